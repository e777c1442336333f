package io.deliverymetrics.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deliverymetrics.api.support.Attempts;
import io.deliverymetrics.api.support.HttpResult;
import io.deliverymetrics.api.support.ObservedResponses;
import io.deliverymetrics.api.support.ObservedResponsesExtension;
import io.deliverymetrics.api.support.TestDeployment;
import io.deliverymetrics.core.metrics.ErrorSamples;
import io.deliverymetrics.core.model.AttemptBuilder;
import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.Outcome;
import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.infra.EmbeddedInfraExtension;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.UniqueNames;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A pair's error samples: every key's count and samples equal what the test computes from the
 * seeded attempts on its own (the failed attempts with the ten smallest hashes of (event id,
 * attempt), compared unsigned), over ranges that merge many minute buckets; free text comes back
 * byte-exact.
 */
@ExtendWith({EmbeddedInfraExtension.class, ObservedResponsesExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ErrorSamplesITCase {

    private static final Instant START = Instant.parse("2026-11-26T10:00:00Z");
    private static final Instant END = Instant.parse("2026-11-26T12:00:00Z");
    private static final String SOURCE = "src_web";
    private static final String DESTINATION = "dst_braze";

    /** Messages and names as a destination and a sender may write them. */
    private static final String[] MESSAGES = {
        "{\"error\":\"invalid \\\"currency\\\" at $.properties\"}",
        "C:\\path\\to\\nothing",
        "<img src=x onerror=alert(1)>",
        "rate limited \uD83D\uDEA6 retry later",
        null
    };

    private static final String[] NAMES = {"Order Completed", "Caf\u00e9 \uD83D\uDED2", null};

    private final TestDeployment api;
    private final String ws;
    private final List<DeliveryAttempt> attempts = new ArrayList<>();
    private String token;

    ErrorSamplesITCase(EmbeddedMariaDb db, UniqueNames names, ObservedResponses observed) {
        this.api = TestDeployment.start(db, names, observed, Map.of());
        this.ws = api.workspaceOnShard(0);
    }

    @BeforeAll
    void seed() {
        Random rnd = new Random(7);
        String[] codes = {"http_400", "http_503", "timeout"};
        Outcome[] failures = {Outcome.RETRYING, Outcome.DISCARDED, Outcome.EXPIRED};
        long span = END.toEpochMilli() - START.toEpochMilli();
        for (int i = 0; i < 900; i++) {
            Instant at = START.plusMillis((long) (rnd.nextDouble() * span));
            AttemptBuilder b =
                    AttemptBuilder.anAttempt()
                            .pair(ws, SOURCE, DESTINATION)
                            .event("evt_" + i)
                            .attempt(1 + rnd.nextInt(4))
                            .at(at)
                            .latencyMs(1 + rnd.nextInt(2_000))
                            .eventType("track")
                            .eventName(NAMES[rnd.nextInt(NAMES.length)]);
            if (rnd.nextDouble() < 0.5) {
                attempts.add(b.delivered());
            } else {
                attempts.add(
                        b.errorCode(codes[rnd.nextInt(codes.length)])
                                .errorMessage(MESSAGES[rnd.nextInt(MESSAGES.length)])
                                .outcome(failures[rnd.nextInt(failures.length)]));
            }
        }
        api.write(Granularity.MINUTE, Attempts.rows(Granularity.MINUTE, attempts));
        api.completeThrough(0, END);
        token = api.token(ws);
    }

    @AfterAll
    void stop() {
        api.close();
    }

    @Test
    void shouldAnswerEveryKeysCountAndItsTenSmallestHashesOverTheRange() {
        HttpResult r = api.get(samples("?start=" + START + "&end=" + END), token);

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("source_id").asText()).isEqualTo(SOURCE);
        assertThat(r.json().get("query").get("granularity").asText()).isEqualTo("minute");
        assertKeys(r.json().get("errors"), START, END, a -> true);
    }

    @Test
    void shouldMergeTheSamplesOfTheBucketsOfAnyRange() {
        Instant from = START.plus(Duration.ofMinutes(17));
        Instant to = START.plus(Duration.ofMinutes(43));

        HttpResult r = api.get(samples("?start=" + from + "&end=" + to), token);

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertKeys(r.json().get("errors"), from, to, a -> true);
    }

    @Test
    void shouldAnswerOnlyTheKeysOfTheCodeAndOutcomeAskedFor() {
        String range = "?start=" + START + "&end=" + END;

        HttpResult byCode = api.get(samples(range + "&code=http_400"), token);
        HttpResult byBoth = api.get(samples(range + "&code=http_400&outcome=discarded"), token);

        assertThat(byCode.status()).as(byCode.toString()).isEqualTo(200);
        assertKeys(byCode.json().get("errors"), START, END, a -> "http_400".equals(a.errorCode()));
        assertThat(byBoth.status()).as(byBoth.toString()).isEqualTo(200);
        assertKeys(
                byBoth.json().get("errors"),
                START,
                END,
                a -> "http_400".equals(a.errorCode()) && a.outcome() == Outcome.DISCARDED);
        assertThat(byBoth.json().get("errors")).hasSize(1);
    }

    @Test
    void shouldRefuseABadCodeOrOutcomeNamingTheParameter() {
        HttpResult badCode = api.get(samples("?code=" + encode("http 400!")), token);
        HttpResult delivered = api.get(samples("?outcome=delivered"), token);

        assertThat(badCode.status()).isEqualTo(400);
        assertThat(badCode.json().get("invalid_params").get(0).get("name").asText())
                .isEqualTo("code");
        assertThat(delivered.status()).isEqualTo(400);
        assertThat(delivered.json().get("invalid_params").get(0).get("name").asText())
                .isEqualTo("outcome");
    }

    @Test
    void shouldNotShowTheSamplesToAnotherWorkspacesToken() {
        String other = api.workspaceOnShard(1);

        HttpResult r = api.get(samples("?start=" + START + "&end=" + END), api.token(other));

        assertThat(r.status()).isEqualTo(403);
        assertThat(r.raw().body()).doesNotContain("evt_");
    }

    /**
     * The keys of the failed attempts in [from, to) that match {@code filter}, most frequent first,
     * each with its count and the ten attempts of smallest unsigned hash, every field as seeded.
     */
    private void assertKeys(
            JsonNode errors, Instant from, Instant to, Predicate<DeliveryAttempt> filter) {
        Map<String, List<DeliveryAttempt>> byKey = new LinkedHashMap<>();
        for (DeliveryAttempt a : attempts) {
            if (a.outcome().isFailure()
                    && filter.test(a)
                    && !a.completedAt().isBefore(from)
                    && a.completedAt().isBefore(to)) {
                byKey.computeIfAbsent(
                                a.outcome().wireName() + "/" + a.errorCode(),
                                k -> new ArrayList<>())
                        .add(a);
            }
        }
        assertThat(errors).hasSize(byKey.size());
        long previous = Long.MAX_VALUE;
        for (JsonNode key : errors) {
            String name = key.get("outcome").asText() + "/" + key.get("error_code").asText();
            List<DeliveryAttempt> raw = byKey.get(name);
            assertThat(raw).as("key %s", name).isNotNull();
            assertThat(key.get("count").asLong()).as("count of %s", name).isEqualTo(raw.size());
            assertThat(key.get("count").asLong()).isLessThanOrEqualTo(previous);
            previous = key.get("count").asLong();
            List<DeliveryAttempt> expected =
                    raw.stream()
                            .sorted(
                                    Comparator.comparing(
                                            (DeliveryAttempt a) ->
                                                    ErrorSamples.hash(a.eventId(), a.attempt()),
                                            Long::compareUnsigned))
                            .limit(10)
                            .toList();
            JsonNode samples = key.get("samples");
            assertThat(samples).as("samples of %s", name).hasSize(expected.size());
            for (int i = 0; i < expected.size(); i++) {
                DeliveryAttempt a = expected.get(i);
                JsonNode s = samples.get(i);
                assertThat(s.get("event_id").asText()).isEqualTo(a.eventId());
                assertThat(s.get("attempt").asInt()).isEqualTo(a.attempt());
                assertThat(s.get("outcome").asText()).isEqualTo(a.outcome().wireName());
                assertThat(s.get("error_code").asText()).isEqualTo(a.errorCode());
                assertThat(s.get("completed_at").asText()).isEqualTo(a.completedAt().toString());
                assertThat(s.get("event_type").asText()).isEqualTo("track");
                assertThat(s.get("event_name").isNull() ? null : s.get("event_name").asText())
                        .isEqualTo(a.eventName());
                assertThat(s.get("error_message").isNull() ? null : s.get("error_message").asText())
                        .isEqualTo(a.errorMessage());
            }
        }
    }

    private String samples(String query) {
        return "/v1/workspaces/"
                + ws
                + "/sources/"
                + SOURCE
                + "/destinations/"
                + DESTINATION
                + "/errors/samples"
                + query;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
