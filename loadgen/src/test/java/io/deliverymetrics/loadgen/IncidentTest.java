package io.deliverymetrics.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deliverymetrics.loadgen.config.Incident;
import io.deliverymetrics.loadgen.config.LoadSpec;
import io.deliverymetrics.loadgen.generator.IncidentSchedule;
import io.deliverymetrics.loadgen.generator.LoadGenerator;
import io.deliverymetrics.loadgen.generator.PairCatalog;
import io.deliverymetrics.loadgen.model.Attempt;
import io.deliverymetrics.loadgen.model.Destination;
import io.deliverymetrics.loadgen.model.FailureProfile;
import io.deliverymetrics.loadgen.model.GeneratedRecord;
import io.deliverymetrics.loadgen.model.Kind;
import io.deliverymetrics.loadgen.model.Outcome;
import io.deliverymetrics.loadgen.model.Pair;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Incidents: each changes only the events of its type or pair whose chains meet its window, in the
 * way it describes; every other event keeps exactly the attempts of the same run without incidents;
 * runs stay deterministic and the truth exact.
 */
class IncidentTest {

    /** 60 s of events at 1,000/s; incidents from +20 s for 20 s. */
    private static final LoadSpec BASE =
            LoadSpec.builder()
                    .withSeed(7)
                    .withRate(1_000)
                    .withTotalEvents(60_000)
                    .withWorkspaces(5)
                    .withPairs(200)
                    .withMalformedShare(0.01)
                    .build();

    private static final long FROM = BASE.start().toEpochMilli() + 20_000;
    private static final long TO = FROM + 20_000;

    private static final Runs.Collected WITHOUT = Runs.collect(BASE);

    private static final PairCatalog CATALOG = LoadGenerator.create(BASE).catalog();

    private static PairCatalog catalog() {
        return CATALOG;
    }

    /** The destination type with the most destinations in the run. */
    private static String commonType() {
        return catalog().destinations().stream()
                .collect(Collectors.groupingBy(Destination::type, Collectors.counting()))
                .entrySet()
                .stream()
                .max(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry::getKey))
                .orElseThrow()
                .getKey();
    }

    /** Each event's attempts (VALID and LATE records), in attempt order. */
    private static Map<String, List<Attempt>> chains(Runs.Collected run) {
        Map<String, List<Attempt>> out = new HashMap<>();
        for (GeneratedRecord r : run.records()) {
            if (r.kind() != Kind.MALFORMED) {
                out.computeIfAbsent(r.attempt().eventId(), k -> new ArrayList<>()).add(r.attempt());
            }
        }
        out.values().forEach(l -> l.sort(Comparator.comparingInt(Attempt::attempt)));
        return out;
    }

    /** The events whose attempts differ from the run without incidents. */
    private static Map<String, List<Attempt>> changed(Runs.Collected with) {
        Map<String, List<Attempt>> before = chains(WITHOUT);
        Map<String, List<Attempt>> after = chains(with);
        assertThat(after.keySet()).as("the same events").isEqualTo(before.keySet());
        Map<String, List<Attempt>> out = new HashMap<>();
        after.forEach(
                (id, chain) -> {
                    if (!chain.equals(before.get(id))) {
                        out.put(id, chain);
                    }
                });
        return out;
    }

    private static boolean meetsWindow(List<Attempt> chain) {
        return chain.get(0).receivedAtMs() <= TO
                && chain.get(chain.size() - 1).completedAtMs() >= FROM;
    }

    private static List<Attempt> attempts(Runs.Collected run, Predicate<Attempt> which) {
        return run.records().stream()
                .filter(r -> r.kind() == Kind.VALID)
                .map(GeneratedRecord::attempt)
                .filter(which)
                .toList();
    }

    private static double share(List<Attempt> attempts, Predicate<Attempt> which) {
        return attempts.isEmpty()
                ? Double.NaN
                : attempts.stream().filter(which).count() / (double) attempts.size();
    }

    private static double medianLatency(List<Attempt> attempts) {
        long[] l =
                attempts.stream()
                        .filter(a -> a.outcome() == Outcome.DELIVERED)
                        .mapToLong(Attempt::latencyMs)
                        .sorted()
                        .toArray();
        return l[l.length / 2];
    }

    private static String typeOf(Attempt a) {
        return catalog().destinationOf(a.pair()).type();
    }

    @Test
    void shouldFailMostAttemptsToADownTypeInItsWindowOnlyAndLeaveEveryOtherEventAsItWas() {
        String type = commonType();
        Runs.Collected with =
                Runs.collect(
                        BASE.toBuilder()
                                .withIncident(Incident.parse("type-down:" + type + ":+20s:20s"))
                                .build());
        PairCatalog catalog = catalog();

        Map<String, List<Attempt>> changed = changed(with);
        assertThat(changed).hasSizeGreaterThan(1_000);
        assertThat(changed.values())
                .allSatisfy(
                        c -> {
                            assertThat(catalog.destinationOf(c.get(0).pair()).type())
                                    .isEqualTo(type);
                            assertThat(meetsWindow(c)).as("%s", c).isTrue();
                        });

        // every workspace with a destination of the type is hit
        Set<String> hitWorkspaces = new HashSet<>();
        changed.values().forEach(c -> hitWorkspaces.add(c.get(0).pair().workspaceId()));
        Set<String> ofTheType = new HashSet<>();
        catalog.destinations().stream()
                .filter(d -> d.type().equals(type))
                .forEach(d -> ofTheType.add(d.workspaceId()));
        assertThat(ofTheType).hasSizeGreaterThan(1);
        assertThat(hitWorkspaces).isEqualTo(ofTheType);

        Predicate<Attempt> inWindow =
                a ->
                        a.receivedAtMs() >= FROM + 1_000
                                && a.receivedAtMs() < TO - 10_000
                                && a.completedAtMs() < TO;
        Predicate<Attempt> ofType = a -> catalog.destinationOf(a.pair()).type().equals(type);
        List<Attempt> hitBefore = attempts(WITHOUT, inWindow.and(ofType));
        List<Attempt> hitAfter = attempts(with, inWindow.and(ofType));
        Predicate<Attempt> downAnswer =
                a ->
                        a.outcome() == Outcome.RETRYING
                                && ("http_503".equals(a.errorCode())
                                        || "timeout".equals(a.errorCode()));
        assertThat(share(hitAfter, downAnswer)).isGreaterThan(0.4);
        assertThat(share(hitBefore, downAnswer)).isLessThan(0.2);
        assertThat(medianLatency(hitAfter)).isGreaterThan(2 * medianLatency(hitBefore));
        // Mostly retried, some expire: retries run past the window's end, so count by event.
        long expiredAfter = attempts(with, ofType.and(a -> a.outcome() == Outcome.EXPIRED)).size();
        long expiredBefore =
                attempts(WITHOUT, ofType.and(a -> a.outcome() == Outcome.EXPIRED)).size();
        assertThat(expiredAfter).isGreaterThan(expiredBefore + 30);
        long deliveredAfter =
                changed.values().stream()
                        .filter(c -> c.get(c.size() - 1).outcome() == Outcome.DELIVERED)
                        .count();
        assertThat(deliveredAfter).isGreaterThan(changed.size() / 2);

        // The other types are untouched, minute by minute.
        Set<String> otherPairs = new HashSet<>();
        for (Pair p : catalog.pairs()) {
            if (!catalog.destinationOf(p).type().equals(type)) {
                otherPairs.add(p.key());
            }
        }
        assertThat(otherPairs).isNotEmpty();
        assertThat(minutesOf(with, otherPairs)).isEqualTo(minutesOf(WITHOUT, otherPairs));
    }

    @Test
    void shouldAnswer429sToARateLimitedTypeInItsWindow() {
        String type = commonType();
        Runs.Collected with =
                Runs.collect(
                        BASE.toBuilder()
                                .withIncident(
                                        Incident.ofType(
                                                Incident.Kind.TYPE_RATE_LIMITED,
                                                type,
                                                Duration.ofSeconds(20),
                                                Duration.ofSeconds(20)))
                                .build());
        PairCatalog catalog = catalog();

        Map<String, List<Attempt>> changed = changed(with);
        assertThat(changed).isNotEmpty();
        assertThat(changed.values())
                .allSatisfy(
                        c -> {
                            assertThat(catalog.destinationOf(c.get(0).pair()).type())
                                    .isEqualTo(type);
                            assertThat(meetsWindow(c)).isTrue();
                        });
        Predicate<Attempt> firstInWindow =
                a ->
                        a.attempt() == 1
                                && a.receivedAtMs() >= FROM
                                && a.receivedAtMs() < TO - 1_000
                                && typeOf(a).equals(type);
        Predicate<Attempt> limited =
                a -> a.outcome() != Outcome.DELIVERED && "http_429".equals(a.errorCode());
        assertThat(share(attempts(with, firstInWindow), limited)).isBetween(0.5, 0.75);
        assertThat(share(attempts(WITHOUT, firstInWindow), limited)).isLessThan(0.2);
        // after the window, the type is back to its own profile
        Predicate<Attempt> firstAfter =
                a -> a.attempt() == 1 && a.receivedAtMs() >= TO && typeOf(a).equals(type);
        assertThat(attempts(with, firstAfter)).isEqualTo(attempts(WITHOUT, firstAfter));
    }

    @Test
    void shouldDiscardTheGivenShareOfOnePairsEventsInItsWindowOnly() {
        Pair pair = catalog().pairsByPopularity().get(0);
        Runs.Collected with =
                Runs.collect(
                        BASE.toBuilder()
                                .withIncident(
                                        Incident.parse(
                                                "pair-discards:" + pair.key() + ":0.5:+20s:20s"))
                                .build());

        Map<String, List<Attempt>> changed = changed(with);
        assertThat(changed).hasSizeGreaterThan(500);
        assertThat(changed.values())
                .allSatisfy(
                        c -> {
                            assertThat(c.get(0).pair()).isEqualTo(pair);
                            assertThat(meetsWindow(c)).isTrue();
                        });
        Predicate<Attempt> received =
                a ->
                        a.pair().equals(pair)
                                && a.attempt() == 1
                                && a.receivedAtMs() >= FROM
                                && a.receivedAtMs() < TO;
        List<Attempt> first = attempts(with, received);
        assertThat(first).hasSizeGreaterThan(1_000);
        Predicate<Attempt> incidentDiscard =
                a ->
                        a.outcome() == Outcome.DISCARDED
                                && "http_400".equals(a.errorCode())
                                && a.errorMessage().contains("ISO 4217");
        assertThat(share(first, incidentDiscard)).isBetween(0.45, 0.55);
        assertThat(attempts(WITHOUT, a -> a.errorMessage() != null)).noneMatch(incidentDiscard);
        assertThat(attempts(with, incidentDiscard))
                .allMatch(a -> a.pair().equals(pair) && a.receivedAtMs() >= FROM)
                .allMatch(a -> a.receivedAtMs() < TO);
        // Other pairs of the same destination type keep every minute.
        Set<String> others = new HashSet<>();
        catalog().pairs().stream().filter(p -> !p.equals(pair)).forEach(p -> others.add(p.key()));
        assertThat(minutesOf(with, others)).isEqualTo(minutesOf(WITHOUT, others));
    }

    @Test
    void shouldFailEveryAttemptToAFailingTypeTenTimesAndMultiplyItsAttemptRecords() {
        String type = commonType();
        Runs.Collected with =
                Runs.collect(
                        BASE.toBuilder()
                                .withIncident(Incident.parse("type-failing:" + type + ":+20s:20s"))
                                .build());
        Predicate<Attempt> ofType = a -> typeOf(a).equals(type);

        Map<String, List<Attempt>> changed = changed(with);
        assertThat(changed).hasSizeGreaterThan(1_000);
        assertThat(changed.values())
                .allSatisfy(
                        c -> {
                            assertThat(ofType.test(c.get(0))).isTrue();
                            assertThat(meetsWindow(c)).as("%s", c).isTrue();
                        });
        // An event whose chain falls inside the window fails ten times, whatever --max-attempts
        // (5 here) says, and expires on the tenth attempt.
        List<List<Attempt>> inside =
                chains(with).values().stream()
                        .filter(c -> ofType.test(c.get(0)))
                        .filter(c -> c.get(0).outcome() != Outcome.FILTERED)
                        .filter(
                                c ->
                                        c.get(0).receivedAtMs() >= FROM
                                                && c.get(c.size() - 1).completedAtMs() < TO)
                        .toList();
        assertThat(inside).hasSizeGreaterThan(500);
        assertThat(inside)
                .allSatisfy(
                        c -> {
                            assertThat(c)
                                    .extracting(Attempt::attempt)
                                    .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
                            assertThat(c).allMatch(a -> "http_503".equals(a.errorCode()));
                            assertThat(c.subList(0, 9))
                                    .allMatch(a -> a.outcome() == Outcome.RETRYING);
                            assertThat(c.get(9).outcome()).isEqualTo(Outcome.EXPIRED);
                        });
        // Once the chains of the first events have run their ten attempts, the type's attempt
        // records per second are about ten times those of the run without the incident.
        Predicate<Attempt> lateInWindow =
                a -> a.completedAtMs() >= FROM + 15_000 && a.completedAtMs() < TO;
        double ratio =
                attempts(with, ofType.and(lateInWindow)).size()
                        / (double) attempts(WITHOUT, ofType.and(lateInWindow)).size();
        assertThat(ratio).isBetween(7.0, 10.5);
        // after the window the type's new events are back to its destinations' profiles
        Predicate<Attempt> firstAfter =
                a -> a.attempt() == 1 && a.receivedAtMs() >= TO && ofType.test(a);
        assertThat(attempts(with, firstAfter)).isEqualTo(attempts(WITHOUT, firstAfter));
        Set<String> otherPairs = new HashSet<>();
        catalog().pairs().stream()
                .filter(p -> !catalog().destinationOf(p).type().equals(type))
                .forEach(p -> otherPairs.add(p.key()));
        assertThat(minutesOf(with, otherPairs)).isEqualTo(minutesOf(WITHOUT, otherPairs));
    }

    @Test
    void shouldMultiplyOneWorkspacesEventsByTheFactorInItsWindowAndLeaveTheOthersAsTheyWere() {
        String surging = catalog().pairsByPopularity().get(3).workspaceId();
        Runs.Collected with =
                Runs.collect(
                        BASE.toBuilder()
                                .withIncident(
                                        Incident.parse(
                                                "workspace-surge:" + surging + ":10:+20s:20s"))
                                .build());
        Predicate<Attempt> ofWorkspace = a -> a.pair().workspaceId().equals(surging);
        Predicate<Attempt> firstInWindow =
                a -> a.attempt() == 1 && a.receivedAtMs() >= FROM && a.receivedAtMs() < TO;

        // Events are counted by their first attempt, from the records.
        double ratio =
                attempts(with, ofWorkspace.and(firstInWindow)).size()
                        / (double) attempts(WITHOUT, ofWorkspace.and(firstInWindow)).size();
        assertThat(ratio).isBetween(9.0, 11.0);
        // every event of the run without the surge is there with the same attempts
        Map<String, List<Attempt>> before = chains(WITHOUT);
        Map<String, List<Attempt>> after = chains(with);
        before.forEach((id, chain) -> assertThat(after.get(id)).as(id).isEqualTo(chain));
        // the extra events are the surging workspace's, received in the window (a late one's
        // timestamps are shifted back), spread over its pairs, with ids of their own
        Set<String> late = new HashSet<>();
        with.records().stream()
                .filter(r -> r.kind() == Kind.LATE)
                .forEach(r -> late.add(r.attempt().eventId()));
        List<List<Attempt>> extra =
                after.entrySet().stream()
                        .filter(e -> !before.containsKey(e.getKey()))
                        .map(Map.Entry::getValue)
                        .toList();
        assertThat(extra)
                .allSatisfy(
                        c -> {
                            assertThat(ofWorkspace.test(c.get(0))).isTrue();
                            assertThat(c.get(0).receivedAtMs()).isLessThan(TO);
                            if (!late.contains(c.get(0).eventId())) {
                                assertThat(c.get(0).receivedAtMs()).isGreaterThanOrEqualTo(FROM);
                            }
                        });
        assertThat(extra.stream().map(c -> c.get(0).pair()).distinct().count()).isGreaterThan(5);
        // outside the window the workspace receives what it did without the surge
        Predicate<Attempt> firstOutside =
                a -> a.attempt() == 1 && (a.receivedAtMs() < FROM || a.receivedAtMs() >= TO);
        assertThat(attempts(with, ofWorkspace.and(firstOutside)))
                .isEqualTo(attempts(WITHOUT, ofWorkspace.and(firstOutside)));
        // the other workspaces keep every minute
        Set<String> others = new HashSet<>();
        catalog().pairs().stream()
                .filter(p -> !p.workspaceId().equals(surging))
                .forEach(p -> others.add(p.key()));
        assertThat(minutesOf(with, others)).isEqualTo(minutesOf(WITHOUT, others));
        assertThat(with.stats().events()).isEqualTo(WITHOUT.stats().events() + extra.size());
    }

    @Test
    void shouldRotateOneIncidentPerPeriodOverKindsTypesAndPopularPairsFromTheSeed() {
        LoadSpec spec = BASE.toBuilder().withIncidentEvery(Duration.ofSeconds(6)).build();
        LoadGenerator generator = LoadGenerator.create(spec);
        List<IncidentSchedule.Window> windows = generator.incidents().windows();
        Set<String> types = new HashSet<>();
        generator.catalog().destinations().forEach(d -> types.add(d.type()));
        Set<String> popular = new HashSet<>();
        generator.catalog().pairsByPopularity().subList(0, 10).forEach(p -> popular.add(p.key()));

        // 60,000 events at 1,000/s: the last is received at +59.999 s, in the tenth period.
        assertThat(windows).hasSize(10);
        long start = BASE.start().toEpochMilli();
        for (int k = 0; k < windows.size(); k++) {
            IncidentSchedule.Window w = windows.get(k);
            assertThat(w.fromMs()).isEqualTo(start + k * 6_000L);
            assertThat(w.toMs()).isEqualTo(w.fromMs() + 3_000);
            assertThat(w.rotating()).isTrue();
            assertThat(w.kind())
                    .isEqualTo(
                            List.of(
                                            Incident.Kind.TYPE_DOWN,
                                            Incident.Kind.TYPE_RATE_LIMITED,
                                            Incident.Kind.PAIR_DISCARDS)
                                    .get(k % 3));
            assertThat(w.target()).isIn(w.kind().typeWide() ? types : popular);
        }
        assertThat(windows.stream().filter(w -> w.kind().typeWide()).map(w -> w.target()))
                .doesNotHaveDuplicates();
        assertThat(LoadGenerator.create(spec).incidents().windows()).isEqualTo(windows);
        List<String> otherSeed =
                LoadGenerator.create(spec.toBuilder().withSeed(8).build())
                        .incidents()
                        .windows()
                        .stream()
                        .map(IncidentSchedule.Window::target)
                        .toList();
        assertThat(otherSeed).isNotEqualTo(windows.stream().map(w -> w.target()).toList());
    }

    @Test
    void shouldBeDeterministicAndKeepTheTruthExactUnderIncidents() throws Exception {
        LoadSpec spec =
                BASE.toBuilder()
                        .withIncident(Incident.parse("type-down:" + commonType() + ":+5s:30s"))
                        .withIncident(
                                Incident.parse(
                                        "pair-discards:"
                                                + catalog().pairsByPopularity().get(1).key()
                                                + ":0.3:+0s:1m"))
                        .withIncident(
                                Incident.parse(
                                        "type-failing:"
                                                + catalog().destinations().get(0).type()
                                                + ":+12s:8s"))
                        .withIncident(
                                Incident.parse(
                                        "workspace-surge:"
                                                + catalog().pairsByPopularity().get(2).workspaceId()
                                                + ":5:+10s:10s"))
                        .withIncidentEvery(Duration.ofSeconds(10))
                        .withLateShare(0.02)
                        .withLateBy(Duration.ofMinutes(1))
                        .build();
        Runs.Collected first = Runs.collect(spec);
        Runs.Collected second = Runs.collect(spec);

        assertThat(second.records()).hasSameSizeAs(first.records());
        for (int i = 0; i < first.records().size(); i++) {
            assertThat(second.records().get(i).key()).isEqualTo(first.records().get(i).key());
            assertThat(second.records().get(i).value()).isEqualTo(first.records().get(i).value());
        }
        ByteArrayOutputStream a = new ByteArrayOutputStream();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        first.truth().writeJsonLines(a);
        second.truth().writeJsonLines(b);
        assertThat(b.toByteArray()).isEqualTo(a.toByteArray());

        IndependentAggregation valid = new IndependentAggregation(ChronoUnit.MINUTES);
        IndependentAggregation late = new IndependentAggregation(ChronoUnit.MINUTES);
        IndependentAggregation perType = IndependentAggregation.perDestinationTypeAndMinute();
        for (GeneratedRecord r : first.records()) {
            if (r.kind() == Kind.VALID) {
                valid.add(RecordContract.parse(r.value()));
                perType.add(RecordContract.parse(r.value()));
            } else if (r.kind() == Kind.LATE) {
                late.add(RecordContract.parse(r.value()));
            }
        }
        assertThat(IndependentAggregation.fromTruth(first.truth().minutes()))
                .isEqualTo(valid.totals());
        assertThat(IndependentAggregation.fromTruth(first.truth().late())).isEqualTo(late.totals());
        Map<String, IndependentAggregation.Totals> types = new HashMap<>();
        first.truth()
                .typeMinutes()
                .forEach(
                        (k, v) ->
                                types.put(
                                        k.destinationType() + "|" + k.minute(),
                                        IndependentAggregation.Totals.of(v.totals())));
        assertThat(types).isEqualTo(perType.totals());
        assertThat(first.truth().minutes()).isNotEqualTo(WITHOUT.truth().minutes());
    }

    @Test
    void shouldLeaveARunWithoutIncidentsByteIdentical() {
        // No incidents: the same records as before incidents existed (the shared streams are
        // untouched), so existing truth files stay valid.
        Runs.Collected again = Runs.collect(BASE.toBuilder().withIncidents(List.of()).build());
        assertThat(again.records()).hasSameSizeAs(WITHOUT.records());
        for (int i = 0; i < again.records().size(); i++) {
            assertThat(again.records().get(i).value()).isEqualTo(WITHOUT.records().get(i).value());
        }
    }

    @Test
    void shouldParseTheThreeFormsAndPrintThemBack() {
        Incident down = Incident.parse("type-down:braze:+5m:10m");
        Incident limited = Incident.parse("type-rate-limited:google-ads:+90s:5m");
        Incident pair = Incident.parse("pair-discards:ws_acme/src_web/dst_braze_2:0.5:+1m:30m");

        assertThat(down)
                .isEqualTo(
                        Incident.ofType(
                                Incident.Kind.TYPE_DOWN,
                                "braze",
                                Duration.ofMinutes(5),
                                Duration.ofMinutes(10)));
        assertThat(limited.kind()).isEqualTo(Incident.Kind.TYPE_RATE_LIMITED);
        assertThat(limited.target()).isEqualTo("google-ads");
        assertThat(limited.start()).isEqualTo(Duration.ofSeconds(90));
        assertThat(pair)
                .isEqualTo(
                        Incident.pairDiscards(
                                "ws_acme/src_web/dst_braze_2",
                                0.5,
                                Duration.ofMinutes(1),
                                Duration.ofMinutes(30)));
        for (Incident i : List.of(down, limited, pair)) {
            assertThat(Incident.parse(i.toString())).isEqualTo(i);
        }
        assertThat(down.toString()).isEqualTo("type-down:braze:+5m:10m");
    }

    @Test
    void shouldParseTypeFailingAndWorkspaceSurgeAndPrintThemBack() {
        Incident failing = Incident.parse("type-failing:braze:+5m:2m");
        Incident surge = Incident.parse("workspace-surge:ws_acme:100:+5m:2m");
        Incident half = Incident.parse("workspace-surge:ws_acme:2.5:+90s:30s");

        assertThat(failing)
                .isEqualTo(
                        Incident.ofType(
                                Incident.Kind.TYPE_FAILING,
                                "braze",
                                Duration.ofMinutes(5),
                                Duration.ofMinutes(2)));
        assertThat(failing.kind().typeWide()).isTrue();
        assertThat(surge)
                .isEqualTo(
                        Incident.workspaceSurge(
                                "ws_acme", 100, Duration.ofMinutes(5), Duration.ofMinutes(2)));
        assertThat(surge.kind().typeWide()).isFalse();
        assertThat(half.factor()).isEqualTo(2.5);
        for (Incident i : List.of(failing, surge, half)) {
            assertThat(Incident.parse(i.toString())).isEqualTo(i);
        }
        assertThat(surge.toString()).isEqualTo("workspace-surge:ws_acme:100:+5m:2m");
        assertThat(half.toString()).isEqualTo("workspace-surge:ws_acme:2.5:+90s:30s");
    }

    @Test
    void shouldRejectMalformedIncidentsNamingTheProblem() {
        Map<String, String> bad = new HashMap<>();
        bad.put("type-up:braze:+5m:10m", "unknown incident kind 'type-up'");
        bad.put("type-down:braze:5m:10m", "must be an offset from the run's start");
        bad.put("type-down:braze:+5m", "expected 4 parts");
        bad.put("type-down:Braze:+5m:10m", "lower-case slug");
        bad.put("type-down:braze:+5m:0s", "the length must be at least 1 ms");
        bad.put("type-down:braze:+soon:10m", "'soon' is not a duration");
        bad.put("pair-discards:ws_acme/src_web:0.5:+1m:30m", "WORKSPACE/SOURCE/DESTINATION");
        bad.put("pair-discards:ws_acme/src_web/dst_s3:1.5:+1m:30m", "at most 1, was 1.5");
        bad.put("pair-discards:ws_acme/src_web/dst_s3:half:+1m:30m", "'half' is not a share");
        bad.put("type-failing:braze:3:+1m:30m", "expected 4 parts");
        bad.put("workspace-surge:ws_acme:+1m:30m", "expected 5 parts");
        bad.put("workspace-surge:ws_acme:1:+1m:30m", "greater than 1 and at most 10000, was 1.0");
        bad.put("workspace-surge:ws_acme:20000:+1m:30m", "at most 10000, was 20000.0");
        bad.put("workspace-surge:ws_acme:lots:+1m:30m", "'lots' is not a factor");
        bad.put("workspace-surge:ws acme:10:+1m:30m", "the workspace must be an id");
        bad.forEach(
                (text, problem) ->
                        assertThatThrownBy(() -> Incident.parse(text))
                                .as(text)
                                .isInstanceOf(IllegalArgumentException.class)
                                .hasMessageContaining("invalid --incident '" + text + "'")
                                .hasMessageContaining(problem)
                                .hasMessageContaining("e.g. type-down:braze:+5m:10m"));
        assertThatThrownBy(() -> BASE.toBuilder().withIncidentEvery(Duration.ofMillis(500)).build())
                .hasMessageContaining("incidentEvery must be at least 2s");
    }

    @Test
    void shouldTakeIncidentsOnTheCommandLineAndRejectTypesAndPairsTheRunDoesNotHave() {
        String pair = catalog().pairsByPopularity().get(0).key();
        String[] common = {
            "--dry-run", "--quiet", "--seed", "7", "--workspaces", "5", "--pairs", "200"
        };
        assertThat(
                        run(
                                concat(
                                        common,
                                        "--events",
                                        "3000",
                                        "--incident",
                                        "type-down:" + commonType() + ":+1s:1s",
                                        "--incident",
                                        "pair-discards:" + pair + ":0.5:+0s:2s",
                                        "--incident",
                                        "type-failing:" + commonType() + ":+0s:1s",
                                        "--incident",
                                        "workspace-surge:"
                                                + pair.substring(0, pair.indexOf('/'))
                                                + ":3:+1s:1s",
                                        "--incident-every",
                                        "2s")))
                .isZero();

        StringWriter err = new StringWriter();
        assertThat(run(err, concat(common, "--incident", "type-down:braze:+1m"))).isEqualTo(2);
        assertThat(err.toString()).contains("expected 4 parts");

        Set<String> present = new HashSet<>();
        catalog().destinations().forEach(d -> present.add(d.type()));
        String absent =
                Arrays.stream(
                                new String[] {
                                    "mailchimp", "adjust", "appsflyer", "firebase", "webhook"
                                })
                        .filter(t -> !present.contains(t))
                        .findFirst()
                        .orElseThrow();
        err = new StringWriter();
        assertThat(run(err, concat(common, "--incident", "type-down:" + absent + ":+1m:1m")))
                .isEqualTo(2);
        assertThat(err.toString()).contains("no destination of this run is of type " + absent);

        err = new StringWriter();
        assertThat(
                        run(
                                err,
                                concat(
                                        common,
                                        "--incident",
                                        "pair-discards:ws_nope/src_web/dst_braze:0.5:+1m:1m")))
                .isEqualTo(2);
        assertThat(err.toString()).contains("is not a pair of this run");

        err = new StringWriter();
        assertThat(run(err, concat(common, "--incident", "workspace-surge:ws_nope:10:+1m:1m")))
                .isEqualTo(2);
        assertThat(err.toString()).contains("is not a workspace of this run");
    }

    @Test
    void shouldKeepHealthyDestinationsOfOtherTypesHealthyUnderRotation() {
        // Over a rotation of every kind, a destination whose type and pairs no incident names
        // keeps its attempts.
        LoadSpec spec = BASE.toBuilder().withIncidentEvery(Duration.ofSeconds(10)).build();
        LoadGenerator g = LoadGenerator.create(spec);
        Set<String> named = new HashSet<>();
        g.incidents().windows().forEach(w -> named.add(w.target()));
        Set<String> untouched = new HashSet<>();
        for (Pair p : g.catalog().pairs()) {
            Destination d = g.catalog().destinationOf(p);
            if (!named.contains(d.type())
                    && !named.contains(p.key())
                    && d.profile() == FailureProfile.HEALTHY) {
                untouched.add(p.key());
            }
        }
        assertThat(untouched).isNotEmpty();
        Runs.Collected with = Runs.collect(spec);
        assertThat(minutesOf(with, untouched)).isEqualTo(minutesOf(WITHOUT, untouched));
    }

    /** The truth's minute lines of the given pairs. */
    private static Map<String, IndependentAggregation.Totals> minutesOf(
            Runs.Collected run, Set<String> pairKeys) {
        Map<String, IndependentAggregation.Totals> all =
                IndependentAggregation.fromTruth(run.truth().minutes());
        Map<String, IndependentAggregation.Totals> out = new HashMap<>();
        all.forEach(
                (k, v) -> {
                    if (pairKeys.stream().anyMatch(p -> k.startsWith(p.replace('/', '|') + "|"))) {
                        out.put(k, v);
                    }
                });
        return out;
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static int run(String... args) {
        return run(new StringWriter(), args);
    }

    private static int run(StringWriter err, String... args) {
        CommandLine cl = LoadGenMain.commandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        return cl.execute(args);
    }
}
