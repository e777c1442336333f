package io.deliverymetrics.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.deliverymetrics.loadgen.config.LoadSpec;
import io.deliverymetrics.loadgen.generator.LoadGenerator;
import io.deliverymetrics.loadgen.model.Attempt;
import io.deliverymetrics.loadgen.model.GeneratedRecord;
import io.deliverymetrics.loadgen.model.Kind;
import io.deliverymetrics.loadgen.model.Outcome;
import io.deliverymetrics.loadgen.model.Pair;
import io.deliverymetrics.loadgen.truth.BucketTotals;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The statistical shape of a 100k-event run with the default spec. */
class LoadShapeTest {

    private static LoadSpec spec;
    private static Runs.Collected run;
    private static List<GeneratedRecord> attempts;

    @BeforeAll
    static void generate() {
        spec = LoadSpec.builder().withSeed(2026).withTotalEvents(100_000).build();
        run = Runs.collect(spec);
        attempts = run.records().stream().filter(r -> r.kind() != Kind.MALFORMED).toList();
    }

    @Test
    void shouldEmitTheSpecifiedSharesWithinTolerance() {
        long records = run.records().size();
        long malformed = run.records().stream().filter(r -> r.kind() == Kind.MALFORMED).count();
        Set<String> events = new HashSet<>();
        Set<String> lateEvents = new HashSet<>();
        long valid = 0;
        long outOfOrder = 0;
        long epochMillis = 0;
        for (GeneratedRecord r : attempts) {
            events.add(r.attempt().eventId());
            if (r.kind() == Kind.LATE) {
                lateEvents.add(r.attempt().eventId());
            } else {
                valid++;
                if (r.clockMs() > r.attempt().completedAtMs()) {
                    outOfOrder++;
                }
            }
            if (r.valueAsString().contains("\"received_at\":1")) {
                epochMillis++;
            }
        }

        assertThat(events).hasSize(100_000);
        assertThat((double) malformed / records).isCloseTo(0.005, within(0.0015));
        assertThat((double) lateEvents.size() / events.size()).isCloseTo(0.005, within(0.0015));
        assertThat((double) outOfOrder / valid).isCloseTo(0.02, within(0.003));
        assertThat((double) epochMillis / attempts.size()).isCloseTo(0.10, within(0.01));
        assertThat(run.stats().late()).isEqualTo(attempts.size() - valid);
    }

    @Test
    void shouldMakeTheTopPairFarBusierThanTheMedianPair() {
        Map<Pair, Long> perPair = new HashMap<>();
        for (GeneratedRecord r : attempts) {
            perPair.merge(r.attempt().pair(), 1L, Long::sum);
        }
        List<Pair> all = LoadGenerator.create(spec).catalog().pairs();
        List<Long> counts = new ArrayList<>();
        for (Pair p : all) {
            counts.add(perPair.getOrDefault(p, 0L));
        }
        counts.sort(Comparator.reverseOrder());

        assertThat(all).hasSize(2_000);
        long top = counts.get(0);
        long median = counts.get(counts.size() / 2);
        assertThat(top).isGreaterThan(50 * Math.max(1, median));
    }

    @Test
    void shouldEmitConsistentAttemptChains() {
        Map<String, List<Attempt>> chains = new HashMap<>();
        for (GeneratedRecord r : attempts) {
            chains.computeIfAbsent(r.attempt().eventId(), k -> new ArrayList<>()).add(r.attempt());
        }
        long multiAttempt = 0;
        for (List<Attempt> chain : chains.values()) {
            chain.sort(Comparator.comparingInt(Attempt::attempt));
            for (int i = 0; i < chain.size(); i++) {
                Attempt a = chain.get(i);
                assertThat(a.attempt()).as("%s", chain).isEqualTo(i + 1);
                assertThat(a.receivedAtMs()).isEqualTo(chain.get(0).receivedAtMs());
                assertThat(a.pair()).isEqualTo(chain.get(0).pair());
                boolean last = i == chain.size() - 1;
                assertThat(a.outcome().terminal()).as("%s", chain).isEqualTo(last);
                if (i > 0) {
                    assertThat(a.completedAtMs()).isGreaterThan(chain.get(i - 1).completedAtMs());
                } else {
                    assertThat(a.completedAtMs()).isGreaterThan(a.receivedAtMs());
                }
                if (a.outcome() == Outcome.EXPIRED) {
                    assertThat(a.attempt()).isEqualTo(spec.maxAttempts());
                }
            }
            assertThat(chain.size()).isLessThanOrEqualTo(spec.maxAttempts());
            if (chain.size() > 1) {
                multiAttempt++;
            }
        }
        assertThat(multiAttempt).isGreaterThan(1_000);
    }

    @Test
    void shouldShowEveryFailureProfileInTheOutcomesAndErrors() {
        Map<String, Long> errors = new HashMap<>();
        Map<Outcome, Long> outcomes = new HashMap<>();
        for (GeneratedRecord r : attempts) {
            Attempt a = r.attempt();
            outcomes.merge(a.outcome(), 1L, Long::sum);
            if (a.errorCode() != null) {
                errors.merge(a.outcome().wireName() + ":" + a.errorCode(), 1L, Long::sum);
            }
        }

        assertThat(outcomes).containsOnlyKeys(Outcome.values());
        assertThat(errors)
                .containsKeys(
                        "retrying:http_429",
                        "retrying:timeout",
                        "retrying:http_503",
                        "discarded:http_400",
                        "discarded:http_422");
        assertThat(errors.keySet()).anyMatch(k -> k.startsWith("expired:"));
        long delivered = outcomes.get(Outcome.DELIVERED);
        assertThat((double) delivered / 100_000).isBetween(0.85, 0.99);
    }

    @Test
    void shouldCarryRealisticTypesNamesAndMessages() {
        Map<String, Long> destinationTypes = new HashMap<>();
        Map<String, Long> eventTypes = new HashMap<>();
        Map<String, Long> names = new HashMap<>();
        Map<String, long[]> discardsByName = new HashMap<>();
        Set<String> eventsWithoutType = new HashSet<>();
        Set<String> events = new HashSet<>();
        long longMessages = 0;
        for (GeneratedRecord r : attempts) {
            Attempt a = r.attempt();
            events.add(a.eventId());
            if (a.destinationType() == null) {
                eventsWithoutType.add(a.eventId());
            } else {
                destinationTypes.merge(a.destinationType(), 1L, Long::sum);
            }
            eventTypes.merge(a.eventType(), 1L, Long::sum);
            boolean named = Set.of("track", "page", "screen").contains(a.eventType());
            assertThat(a.eventName() != null).as("%s", a).isEqualTo(named);
            // a message exactly on failures
            assertThat(a.errorMessage() != null).as("%s", a).isEqualTo(a.errorCode() != null);
            if (a.eventName() != null) {
                names.merge(a.eventName(), 1L, Long::sum);
                if (a.outcome().terminal()) {
                    long[] c = discardsByName.computeIfAbsent(a.eventName(), k -> new long[2]);
                    c[0]++;
                    c[1] += a.outcome() == Outcome.DISCARDED ? 1 : 0;
                }
            }
            if (a.errorMessage() != null
                    && a.errorMessage().codePointCount(0, a.errorMessage().length()) > 1024) {
                longMessages++;
            }
        }

        assertThat(destinationTypes).hasSizeGreaterThan(20);
        assertThat((double) eventsWithoutType.size() / events.size())
                .isCloseTo(0.02, within(0.005));
        assertThat((double) eventTypes.get("track") / attempts.size())
                .isCloseTo(0.70, within(0.02));
        assertThat(eventTypes)
                .containsOnlyKeys("track", "identify", "page", "screen", "group", "alias");
        assertThat(names).hasSizeGreaterThan(35).containsKey("Caf\u00e9 Visited");
        // Zipf: the most popular name is far ahead of the median one
        List<Long> counts = new ArrayList<>(names.values());
        counts.sort(Comparator.reverseOrder());
        assertThat(counts.get(0)).isGreaterThan(5 * counts.get(counts.size() / 2));
        // failures concentrate on a name: "Order Completed" is discarded far more often
        long[] order = discardsByName.get("Order Completed");
        long[] viewed = discardsByName.get("Product Viewed");
        assertThat((double) order[1] / order[0]).isGreaterThan(3.0 * viewed[1] / viewed[0]);
        assertThat(longMessages).isGreaterThan(10);
    }

    @Test
    void shouldHaveLatenciesWithAMedianOfAFewHundredMillisecondsAndAHeavyTail() {
        List<Long> latencies = new ArrayList<>();
        for (GeneratedRecord r : attempts) {
            if (r.attempt().outcome() == Outcome.DELIVERED) {
                latencies.add(r.attempt().latencyMs());
            }
        }
        latencies.sort(null);

        assertThat(latencies.get(latencies.size() / 2)).isBetween(100L, 400L);
        assertThat(latencies.get(latencies.size() - 1)).isGreaterThan(10_000L);
        assertThat(
                        run.truth().minutes().values().stream()
                                .mapToLong(BucketTotals::latencyMaxMs)
                                .max())
                .hasValue(latencies.get(latencies.size() - 1));
    }

    @Test
    void shouldReceiveEventsEvenlySpacedFromTheStartAtTheRate() {
        TreeSet<Long> received = new TreeSet<>();
        for (GeneratedRecord r : attempts) {
            if (r.kind() == Kind.VALID) {
                received.add(r.attempt().receivedAtMs());
            }
        }
        long start = spec.start().toEpochMilli();

        assertThat(received.first()).isEqualTo(start);
        assertThat(received.last()).isBetween(start + 99_000, start + 99_999);
        assertThat(received).hasSizeGreaterThan(90_000);
    }
}
