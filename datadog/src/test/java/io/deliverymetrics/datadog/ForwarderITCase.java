package io.deliverymetrics.datadog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deliverymetrics.core.config.ConfigException;
import io.deliverymetrics.core.exposition.Promtool;
import io.deliverymetrics.core.exposition.Scrape;
import io.deliverymetrics.datadog.config.ForwarderConfig;
import io.deliverymetrics.datadog.forward.Sleeper;
import io.deliverymetrics.datadog.internal.JsonStateStore;
import io.deliverymetrics.datadog.model.DeliveryMetric;
import io.deliverymetrics.datadog.model.PollResult;
import io.deliverymetrics.datadog.support.Await;
import io.deliverymetrics.datadog.support.FakeDatadogIntake;
import io.deliverymetrics.datadog.support.FakeDatadogIntake.ReceivedPoint;
import io.deliverymetrics.datadog.support.FakeDeliveryMetricsApi;
import io.deliverymetrics.datadog.support.MutableClock;
import io.deliverymetrics.datadog.support.RecordingSleeper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The forwarder against a fake Delivery Metrics API and a local Datadog intake, both real HTTP
 * servers on random ports; time and backoff waits are driven by the test.
 */
class ForwarderITCase {

    private static final String WS = "ws_acme";
    private static final String TOKEN = "dm_00000000000000aa.acme-secret";
    private static final String API_KEY = "test-dd-api-key";
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:42Z");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<String[]> PAIRS =
            List.of(new String[] {"src_web", "dst_amplitude"}, new String[] {"src_ios", "dst_s3"});

    /** What Datadog should hold for one point. */
    record Expected(String metric, List<String> tags, Instant timestamp, double value) {}

    @TempDir Path dir;

    private FakeDeliveryMetricsApi api;
    private FakeDatadogIntake intake;
    private final MutableClock clock = new MutableClock(NOW);
    private final RecordingSleeper sleeper = new RecordingSleeper();
    private final List<DatadogForwarder> forwarders = new ArrayList<>();

    @BeforeEach
    void startFakes() throws Exception {
        api = FakeDeliveryMetricsApi.start();
        intake = FakeDatadogIntake.start();
        api.workspace(WS, TOKEN);
    }

    @AfterEach
    void stop() {
        forwarders.forEach(DatadogForwarder::close);
        api.close();
        intake.close();
    }

    private static Instant minute(String hhmm) {
        return Instant.parse("2026-11-26T" + hhmm + ":00Z");
    }

    /** Deterministic values of pair {@code p} at {@code t}; pair 1 has no successes at :53. */
    private static Map<String, Number> values(int p, Instant t) {
        int m = (int) ((t.getEpochSecond() / 60) % 60);
        Map<String, Number> v = new HashMap<>();
        v.put("retried", m % 4);
        v.put("discarded", p + m % 3);
        v.put("expired", m % 5 == 0 ? 1 : 0);
        v.put("filtered", 2);
        if (p == 1 && m == 53) {
            v.put("successes", 0);
            return v;
        }
        v.put("successes", 100 + 3 * m + p);
        v.put("latency_p50", 100.5 + m);
        v.put("latency_p95", 2 * (100.5 + m) + 0.25);
        v.put("latency_p99", 3 * (100.5 + m) + 0.125);
        return v;
    }

    private void seed(String ws, Instant from, Instant to) {
        for (int p = 0; p < PAIRS.size(); p++) {
            for (Instant t = from; t.isBefore(to); t = t.plusSeconds(60)) {
                api.bucket(ws, PAIRS.get(p)[0], PAIRS.get(p)[1], t, values(p, t));
            }
        }
    }

    private static List<Expected> expected(String ws, Instant from, Instant to) {
        List<Expected> out = new ArrayList<>();
        for (int p = 0; p < PAIRS.size(); p++) {
            List<String> tags =
                    List.of(
                            "workspace:" + ws,
                            "source:" + PAIRS.get(p)[0],
                            "destination:" + PAIRS.get(p)[1]);
            for (Instant t = from; t.isBefore(to); t = t.plusSeconds(60)) {
                Map<String, Number> v = values(p, t);
                for (DeliveryMetric m : DeliveryMetric.of(DeliveryMetric.Scope.PAIR)) {
                    Number n = v.get(m.apiName());
                    if (m.kind() == DeliveryMetric.Kind.COUNT) {
                        out.add(
                                new Expected(
                                        m.datadogName(), tags, t, n == null ? 0 : n.doubleValue()));
                    } else if (n != null) {
                        out.add(new Expected(m.datadogName(), tags, t, n.doubleValue()));
                    }
                }
            }
        }
        return out;
    }

    private static List<Expected> received(List<ReceivedPoint> points) {
        return points.stream()
                .map(p -> new Expected(p.metric(), p.tags(), p.timestamp(), p.value()))
                .toList();
    }

    private Map<String, String> settings() {
        Map<String, String> s = new HashMap<>();
        s.put("api.base-url", api.baseUrl().toString());
        s.put("workspaces.0.id", WS);
        s.put("workspaces.0.token", TOKEN);
        s.put("datadog.base-url", intake.baseUrl().toString());
        s.put("datadog.api-key", API_KEY);
        s.put("datadog.timeout", "5s");
        s.put("api.timeout", "5s");
        s.put("state.file", dir.resolve("state.json").toString());
        return s;
    }

    private DatadogForwarder forwarder(Map<String, String> settings, Sleeper sleeper) {
        DatadogForwarder f =
                DatadogForwarder.create(
                        ForwarderConfig.withOverrides(settings, Map.of()),
                        clock,
                        sleeper,
                        new Random(42));
        forwarders.add(f);
        return f;
    }

    private DatadogForwarder forwarder() {
        return forwarder(settings(), sleeper);
    }

    @Test
    void shouldSubmitEveryCompleteBucketAtItsOriginalTimestampWithPairTagsAndTheApisValues()
            throws Exception {
        seed(WS, minute("11:50"), minute("12:00"));
        api.completeThrough(WS, Instant.parse("2026-11-26T11:58:20Z"));

        List<PollResult> results = forwarder().pollOnce();

        assertThat(results).singleElement().satisfies(r -> assertThat(r.succeeded()).isTrue());
        assertThat(received(intake.points()))
                .containsExactlyInAnyOrderElementsOf(
                        expected(WS, minute("11:50"), minute("11:58")));
        for (ReceivedPoint p : intake.points()) {
            DeliveryMetric m =
                    java.util.Arrays.stream(DeliveryMetric.values())
                            .filter(d -> d.datadogName().equals(p.metric()))
                            .findFirst()
                            .orElseThrow();
            if (m.kind() == DeliveryMetric.Kind.COUNT) {
                assertThat(p.type()).as("count type").isEqualTo(1);
                assertThat(p.interval()).isEqualTo(60L);
            } else {
                assertThat(p.type()).as("gauge type").isEqualTo(3);
                assertThat(p.unit()).isEqualTo("millisecond");
            }
        }
        assertThat(intake.points())
                .extracting(ReceivedPoint::metric)
                .containsAll(DeliveryMetric.datadogNames(DeliveryMetric.Scope.PAIR))
                .allMatch(DeliveryMetric.datadogNames(DeliveryMetric.Scope.PAIR)::contains);
        assertThat(api.destinationRequests()).as("destinations are off by default").isEmpty();
        assertThat(intake.accepted())
                .allSatisfy(
                        s -> {
                            assertThat(s.apiKey()).isEqualTo(API_KEY);
                            assertThat(s.contentEncoding()).isEqualTo("gzip");
                            assertThat(s.compressedBytes()).isLessThan(s.jsonBytes());
                        });
        assertThat(api.requests())
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.start()).isEqualTo(minute("11:50"));
                            assertThat(r.end()).isEqualTo(minute("12:00"));
                        });
        assertThat(new JsonStateStore(dir.resolve("state.json")).load().get(WS).forwardedThrough())
                .contains(minute("11:58"));
    }

    @Test
    void shouldResendOnlyACorrectedLateBucketWithItsOriginalTimestamp() throws Exception {
        seed(WS, minute("11:50"), minute("12:00"));
        api.completeThrough(WS, minute("12:00"));
        DatadogForwarder forwarder = forwarder();
        forwarder.pollOnce();
        int firstRequests = intake.accepted().size();

        // A late event corrects 11:55 of the first pair; one more minute completes.
        Map<String, Number> corrected = new HashMap<>(values(0, minute("11:55")));
        corrected.put("successes", 999);
        api.bucket(WS, "src_web", "dst_amplitude", minute("11:55"), corrected);
        seed(WS, minute("12:00"), minute("12:01"));
        api.completeThrough(WS, minute("12:01"));
        clock.set(NOW.plusSeconds(60));
        PollResult second = forwarder.pollOnce().get(0);

        List<ReceivedPoint> resent =
                intake.points()
                        .subList(
                                expected(WS, minute("11:50"), minute("12:00")).size(),
                                intake.points().size());
        List<Expected> wanted = new ArrayList<>(expected(WS, minute("12:00"), minute("12:01")));
        wanted.add(
                new Expected(
                        "event_delivery.successes",
                        List.of("workspace:" + WS, "source:src_web", "destination:dst_amplitude"),
                        minute("11:55"),
                        999));
        assertThat(intake.accepted().size()).isGreaterThan(firstRequests);
        assertThat(received(resent)).containsExactlyInAnyOrderElementsOf(wanted);
        assertThat(second.pointsUnchanged())
                .isEqualTo(expected(WS, minute("11:51"), minute("12:00")).size() - 1);
    }

    @Test
    void shouldSendPartialBucketsOnlyOnceTheyAreComplete() throws Exception {
        seed(WS, minute("11:50"), minute("12:00"));
        api.completeThrough(WS, minute("11:58"));
        DatadogForwarder forwarder = forwarder();
        forwarder.pollOnce();
        assertThat(intake.points()).noneMatch(p -> !p.timestamp().isBefore(minute("11:58")));

        api.completeThrough(WS, minute("12:00"));
        clock.set(NOW.plusSeconds(60));
        forwarder.pollOnce();

        assertThat(received(intake.points()))
                .containsExactlyInAnyOrderElementsOf(
                        expected(WS, minute("11:50"), minute("12:00")));
    }

    @Test
    void shouldSubmitNothingWhileThePipelineHasNotReported() throws Exception {
        seed(WS, minute("11:50"), minute("12:00"));

        PollResult r = forwarder().pollOnce().get(0);

        assertThat(r.succeeded()).isTrue();
        assertThat(r.forwardedThrough()).contains(minute("11:50"));
        assertThat(intake.attempts()).isZero();
    }

    @Test
    void shouldDeliverOnceWhenDatadogAnswers429WithRetryAfter() throws Exception {
        seed(WS, minute("11:50"), minute("12:00"));
        api.completeThrough(WS, minute("12:00"));
        intake.answerNext(429, Map.of("Retry-After", "7", "X-RateLimit-Reset", "30"));

        PollResult r = forwarder().pollOnce().get(0);

        assertThat(r.succeeded()).isTrue();
        assertThat(sleeper.waits()).containsExactly(Duration.ofSeconds(7));
        assertThat(intake.attempts()).isEqualTo(2);
        assertThat(received(intake.points()))
                .containsExactlyInAnyOrderElementsOf(
                        expected(WS, minute("11:50"), minute("12:00")));
    }

    @Test
    void shouldFollowDatadogsRateLimitResetWhenThereIsNoRetryAfter() throws Exception {
        seed(WS, minute("11:50"), minute("12:00"));
        api.completeThrough(WS, minute("12:00"));
        intake.answerNext(429, Map.of("X-RateLimit-Limit", "100", "X-RateLimit-Reset", "13"));

        forwarder().pollOnce();

        assertThat(sleeper.waits()).containsExactly(Duration.ofSeconds(13));
        assertThat(intake.accepted()).hasSize(1);
    }

    @Test
    void shouldRetryServerErrorsWithGrowingJitteredBackoff() throws Exception {
        seed(WS, minute("11:50"), minute("12:00"));
        api.completeThrough(WS, minute("12:00"));
        intake.answerNext(500, Map.of());
        intake.answerNext(503, Map.of());
        intake.answerNext(502, Map.of());

        PollResult r = forwarder().pollOnce().get(0);

        assertThat(r.succeeded()).isTrue();
        List<Duration> waits = sleeper.waits();
        assertThat(waits).hasSize(3);
        assertThat(waits.get(0)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
        assertThat(waits.get(1)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThat(waits.get(2)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
        assertThat(intake.attempts()).isEqualTo(4);
        assertThat(intake.accepted()).hasSize(1);
        assertThat(received(intake.points()))
                .containsExactlyInAnyOrderElementsOf(
                        expected(WS, minute("11:50"), minute("12:00")));
    }

    @Test
    void shouldKeepItsProgressWhenRetriesRunOutAndSendWhatIsMissingNextPoll() throws Exception {
        seed(WS, minute("11:50"), minute("12:01"));
        api.completeThrough(WS, minute("12:00"));
        Map<String, String> s = settings();
        s.put("datadog.retry.max-attempts", "3");
        DatadogForwarder forwarder = forwarder(s, sleeper);
        for (int i = 0; i < 3; i++) {
            intake.answerNext(500, Map.of());
        }

        PollResult failed = forwarder.pollOnce().get(0);

        assertThat(failed.succeeded()).isFalse();
        assertThat(failed.forwardedThrough()).contains(minute("11:50"));
        assertThat(forwarder.stats().submitFailures()).isEqualTo(1);
        assertThat(intake.accepted()).isEmpty();

        api.completeThrough(WS, minute("12:01"));
        clock.set(NOW.plusSeconds(60));
        PollResult next = forwarder.pollOnce().get(0);

        assertThat(next.succeeded()).isTrue();
        // The failed first poll fixed where this workspace's history starts: 11:50 is not lost.
        assertThat(next.window().orElseThrow().start()).isEqualTo(minute("11:50"));
        assertThat(next.forwardedThrough()).contains(minute("12:01"));
        assertThat(received(intake.points()))
                .containsExactlyInAnyOrderElementsOf(
                        expected(WS, minute("11:50"), minute("12:01")));
    }

    @Test
    void shouldResumeFromTheStateFileWithoutSkippingOrFlooding() throws Exception {
        seed(WS, minute("11:50"), minute("12:00"));
        api.completeThrough(WS, minute("12:00"));
        DatadogForwarder first = forwarder();
        first.pollOnce();
        first.close();
        int sentBeforeRestart = intake.points().size();

        // Down for four minutes: four new minutes complete and a late event corrects 11:57.
        seed(WS, minute("12:00"), minute("12:04"));
        Map<String, Number> corrected = new HashMap<>(values(1, minute("11:57")));
        corrected.put("discarded", 41);
        api.bucket(WS, "src_ios", "dst_s3", minute("11:57"), corrected);
        api.completeThrough(WS, minute("12:04"));
        clock.set(NOW.plus(Duration.ofMinutes(4)));
        PollResult afterRestart = forwarder().pollOnce().get(0);

        List<ReceivedPoint> resent =
                intake.points().subList(sentBeforeRestart, intake.points().size());
        assertThat(afterRestart.window().orElseThrow().start()).isEqualTo(minute("11:54"));
        Set<Instant> minutes =
                resent.stream().map(ReceivedPoint::timestamp).collect(Collectors.toSet());
        assertThat(minutes)
                .containsExactlyInAnyOrder(
                        minute("11:57"),
                        minute("12:00"),
                        minute("12:01"),
                        minute("12:02"),
                        minute("12:03"));
        assertThat(resent)
                .filteredOn(p -> p.timestamp().equals(minute("11:57")))
                .filteredOn(p -> p.metric().equals("event_delivery.discarded"))
                .filteredOn(p -> "src_ios".equals(p.tag("source")))
                .singleElement()
                .satisfies(p -> assertThat(p.value()).isEqualTo(41));
        assertThat(afterRestart.forwardedThrough()).contains(minute("12:04"));
    }

    @Test
    void shouldCatchUpAfterAnOutageButNotBeyondWhatDatadogIngests() throws Exception {
        seed(WS, minute("11:50"), minute("12:00"));
        api.completeThrough(WS, minute("12:00"));
        forwarder().pollOnce();
        forwarders.get(0).close();
        int before = intake.points().size();

        seed(WS, minute("12:00"), minute("14:00"));
        api.completeThrough(WS, minute("14:00"));
        clock.set(Instant.parse("2026-11-26T14:00:30Z"));
        DatadogForwarder after = forwarder();
        PollResult r = after.pollOnce().get(0);

        assertThat(r.window().orElseThrow().start()).isEqualTo(minute("13:05"));
        assertThat(after.stats().minutesSkipped()).isEqualTo(65);
        assertThat(received(intake.points().subList(before, intake.points().size())))
                .containsExactlyInAnyOrderElementsOf(
                        expected(WS, minute("13:05"), minute("14:00")));
    }

    @Test
    void shouldKeepGoingForOtherWorkspacesWhenTheApiFailsAndHonourItsRetryAfter() throws Exception {
        String other = "ws_other";
        api.workspace(other, "dm_00000000000000bb.other-secret");
        seed(WS, minute("11:50"), minute("12:00"));
        seed(other, minute("11:50"), minute("12:00"));
        api.completeThrough(WS, minute("12:00"));
        api.completeThrough(other, minute("12:00"));
        api.failNext(WS, 503, 120, 1);
        Map<String, String> s = settings();
        s.put("workspaces.1.id", other);
        s.put("workspaces.1.token", "dm_00000000000000bb.other-secret");
        DatadogForwarder forwarder = forwarder(s, sleeper);

        List<PollResult> first = forwarder.pollOnce();

        assertThat(first.get(0).succeeded()).isFalse();
        assertThat(first.get(1).succeeded()).isTrue();
        assertThat(forwarder.stats().apiErrors()).isEqualTo(1);
        assertThat(intake.points())
                .allSatisfy(p -> assertThat(p.tag("workspace")).isEqualTo(other));

        clock.set(NOW.plusSeconds(60));
        assertThat(forwarder.pollOnce().get(0).failure())
                .hasValueSatisfying(f -> assertThat(f).contains("deferred"));

        clock.set(NOW.plusSeconds(121));
        assertThat(forwarder.pollOnce().get(0).succeeded()).isTrue();
        assertThat(received(intake.points()))
                .containsAll(expected(WS, minute("11:50"), minute("12:00")));
    }

    @Test
    void shouldSplitManyPairsIntoRequestsOfAtMost500SeriesAndPageThroughTheApi() throws Exception {
        for (int p = 0; p < 100; p++) {
            api.bucket(
                    WS,
                    "src_" + p,
                    "dst_" + p,
                    minute("11:59"),
                    Map.of(
                            "successes",
                            p,
                            "latency_p50",
                            1.5,
                            "latency_p95",
                            2.5,
                            "latency_p99",
                            3.5));
        }
        api.completeThrough(WS, minute("12:00"));
        Map<String, String> s = settings();
        s.put("api.page-size", "30");
        DatadogForwarder forwarder = forwarder(s, sleeper);

        PollResult r = forwarder.pollOnce().get(0);

        assertThat(api.requests()).hasSize(4);
        assertThat(r.requests()).isEqualTo(2);
        assertThat(intake.accepted())
                .allSatisfy(
                        a -> assertThat(a.body().get("series").size()).isLessThanOrEqualTo(500));
        // 100 pairs × 8 metrics at 11:59, plus zero counts for 11:50..11:58
        assertThat(intake.points())
                .filteredOn(p -> p.timestamp().equals(minute("11:59")))
                .hasSize(800);
        assertThat(intake.points().stream().map(ReceivedPoint::tags).distinct()).hasSize(100);
    }

    @Test
    void shouldPollOnItsOwnUntilClosed() throws Exception {
        seed(WS, minute("11:50"), minute("12:00"));
        api.completeThrough(WS, minute("12:00"));
        Map<String, String> s = settings();
        s.put("poll.interval", "20ms");
        DatadogForwarder forwarder = forwarder(s, Sleeper.system()).start();

        Await.until("a few polls", Duration.ofSeconds(10), () -> api.requests().size() >= 3);
        forwarder.close();
        int polls = api.requests().size();

        assertThat(received(intake.points()))
                .containsExactlyInAnyOrderElementsOf(
                        expected(WS, minute("11:50"), minute("12:00")));
        assertThat(forwarder.stats().pointsUnchanged()).isPositive();
        assertThat(api.requests()).hasSize(polls);
        assertThat(Optional.of(forwarder.stats().unexpectedErrors())).contains(0L);
    }

    @Test
    void shouldCountOnItsMetricsEndpointWhatTheIntakeReceivedAndHowFarBehindItIs()
            throws Exception {
        String other = "ws_other";
        api.workspace(other, "dm_00000000000000bb.other-secret");
        seed(WS, minute("11:50"), minute("12:00"));
        api.completeThrough(WS, minute("12:00"));
        api.completeThrough(other, minute("12:00"));
        api.failNext(other, 500, null, 1);
        intake.answerNext(429, Map.of("Retry-After", "7"));
        intake.answerNext(503, Map.of());
        Map<String, String> s = settings();
        s.put("workspaces.1.id", other);
        s.put("workspaces.1.token", "dm_00000000000000bb.other-secret");
        s.put("metrics.port", "0");
        DatadogForwarder forwarder = forwarder(s, sleeper);
        InetSocketAddress address = forwarder.serveMetrics().orElseThrow();

        forwarder.pollOnce();
        Scrape first = Scrape.parse(scrape(address).body());

        // The other workspace has not been forwarded past 11:50, where its failed poll started.
        assertThat(first.value("delivery_metrics_forwarder_lag_seconds"))
                .isEqualTo(Duration.between(minute("11:50"), NOW).toSeconds());
        assertThat(first.value("delivery_metrics_forwarder_poll_errors_total", "kind", "api"))
                .isEqualTo(1);

        // A minute later: one more complete minute, which Datadog refuses for good.
        seed(WS, minute("12:00"), minute("12:01"));
        api.completeThrough(WS, minute("12:01"));
        intake.answerNext(403, Map.of());
        clock.set(NOW.plusSeconds(60));
        forwarder.pollOnce();
        HttpResponse<String> r = scrape(address);
        Scrape metrics = Scrape.parse(r.body());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(address.getAddress().isLoopbackAddress()).isTrue();
        assertThat(metrics.value("delivery_metrics_forwarder_points_submitted_total"))
                .isEqualTo(intake.points().size())
                .isEqualTo(expected(WS, minute("11:50"), minute("12:00")).size());
        assertThat(metrics.value("delivery_metrics_forwarder_points_unchanged_total"))
                .isEqualTo(forwarder.stats().pointsUnchanged())
                .isPositive();
        assertThat(submissions(metrics, "accepted")).isEqualTo(intake.accepted().size());
        assertThat(submissions(metrics, "rejected")).isEqualTo(1);
        assertThat(submissions(metrics, "retries_exhausted")).isZero();
        assertThat(retries(metrics, "rate_limited")).isEqualTo(1);
        assertThat(retries(metrics, "server_error")).isEqualTo(1);
        assertThat(retries(metrics, "timeout") + retries(metrics, "no_answer")).isZero();
        // Every request the intake saw either ended a submission or was retried.
        assertThat(
                        metrics.sum("delivery_metrics_forwarder_submissions_total")
                                + metrics.sum(
                                        "delivery_metrics_forwarder_submission_retries_total"))
                .isEqualTo(intake.attempts());
        assertThat(metrics.value("delivery_metrics_forwarder_polls_total")).isEqualTo(4);
        assertThat(metrics.value("delivery_metrics_forwarder_poll_errors_total", "kind", "api"))
                .isEqualTo(1);
        assertThat(
                        metrics.value(
                                "delivery_metrics_forwarder_poll_errors_total",
                                "kind",
                                "unexpected"))
                .isZero();
        assertThat(metrics.value("delivery_metrics_forwarder_intake_errors_total")).isZero();
        assertThat(metrics.value("delivery_metrics_forwarder_skipped_buckets_total")).isZero();
        // Both workspaces are through 12:00 now: ws_acme's 12:00 was refused.
        assertThat(metrics.value("delivery_metrics_forwarder_lag_seconds"))
                .isEqualTo(Duration.between(minute("12:00"), clock.instant()).toSeconds());
        assertThat(metrics.value("delivery_metrics_forwarder_last_submission_timestamp_seconds"))
                .isEqualTo(NOW.getEpochSecond());
        assertThat(metrics.has("jvm_memory_used_bytes")).isTrue();

        Promtool.Result lint = Promtool.checkMetrics(r.body());
        assertThat(lint.exitCode()).as(lint.output()).isZero();
        assertThat(lint.output().strip()).as(r.body()).isEmpty();
        assertThat(get(address, "/").statusCode()).isEqualTo(404);
    }

    @Test
    void shouldServeNoMetricsEndpointWhenDisabled() {
        Map<String, String> s = settings();
        s.put("metrics.enabled", "false");

        assertThat(forwarder(s, sleeper).serveMetrics()).isEmpty();
    }

    private static final String OPERATOR_TOKEN = "dm_00000000000000ff.operator-secret";

    /** An outage without deliveries, a degraded type and a healthy one, as the API reports them. */
    private static List<FakeDeliveryMetricsApi.TypeStatus> report(int minute) {
        return List.of(
                new FakeDeliveryMetricsApi.TypeStatus(
                        "amplitude", "outage", 600 + minute, 0.0, null, 9, 8),
                new FakeDeliveryMetricsApi.TypeStatus(
                        "braze", "degraded", 1_250, 0.8125 + minute / 1000.0, 431.5, 12, 4),
                new FakeDeliveryMetricsApi.TypeStatus(
                        "segment", "operational", 48, null, 88.25, 2, 0));
    }

    /** What Datadog should hold for {@code types} reported through {@code completeThrough}. */
    private static List<Expected> expectedDestinations(
            Instant completeThrough, List<FakeDeliveryMetricsApi.TypeStatus> types) {
        Instant minute = completeThrough.minusSeconds(60);
        List<Expected> out = new ArrayList<>();
        for (FakeDeliveryMetricsApi.TypeStatus t : types) {
            List<String> tags = List.of("destination_type:" + t.type());
            int status = List.of("operational", "degraded", "outage").indexOf(t.status());
            out.add(
                    new Expected(
                            "event_delivery.destination.status",
                            List.of("destination_type:" + t.type(), "status:" + t.status()),
                            minute,
                            status));
            out.add(
                    new Expected(
                            "event_delivery.destination.attempts", tags, minute, t.attempts()));
            if (t.successRate() != null) {
                out.add(
                        new Expected(
                                "event_delivery.destination.success_rate",
                                tags,
                                minute,
                                t.successRate()));
            }
            if (t.latencyP95Ms() != null) {
                out.add(
                        new Expected(
                                "event_delivery.destination.latency_p95_ms",
                                tags,
                                minute,
                                t.latencyP95Ms()));
            }
            out.add(
                    new Expected(
                            "event_delivery.destination.workspaces", tags, minute, t.workspaces()));
            out.add(
                    new Expected(
                            "event_delivery.destination.affected_workspaces",
                            tags,
                            minute,
                            t.affectedWorkspaces()));
        }
        return out;
    }

    private static List<Expected> destinationPoints(List<ReceivedPoint> points) {
        return received(
                points.stream()
                        .filter(p -> p.metric().startsWith("event_delivery.destination."))
                        .toList());
    }

    private Map<String, String> operatorSettings(String token) {
        Map<String, String> s = settings();
        s.put("destinations.enabled", "true");
        s.put("destinations.token", token);
        return s;
    }

    @Test
    void shouldSendEachDestinationTypesFiguresOncePerCompleteMinuteWithAnOperatorToken()
            throws Exception {
        seed(WS, minute("11:50"), minute("12:00"));
        api.completeThrough(WS, minute("12:00"));
        api.operatorToken(OPERATOR_TOKEN);
        api.destinations(minute("12:00"), report(0));
        DatadogForwarder forwarder = forwarder(operatorSettings(OPERATOR_TOKEN), sleeper);
        forwarder.verifyAccess();

        List<PollResult> first = forwarder.pollOnce();

        assertThat(first).hasSize(2);
        assertThat(first.get(1).workspace()).isEqualTo("/v1/destinations");
        assertThat(first.get(1).succeeded()).isTrue();
        assertThat(first.get(1).forwardedThrough()).contains(minute("12:00"));
        assertThat(destinationPoints(intake.points()))
                .containsExactlyInAnyOrderElementsOf(
                        expectedDestinations(minute("12:00"), report(0)));
        for (ReceivedPoint p : intake.points()) {
            if (p.metric().startsWith("event_delivery.destination.")) {
                assertThat(p.type()).as("gauge type").isEqualTo(3);
                assertThat(p.interval()).isNull();
            }
        }
        assertThat(intake.points())
                .filteredOn(p -> p.metric().equals("event_delivery.destination.latency_p95_ms"))
                .allSatisfy(p -> assertThat(p.unit()).isEqualTo("millisecond"));
        // The pairs' points are what they are without the switch.
        assertThat(
                        received(
                                intake.points().stream()
                                        .filter(p -> p.tag("workspace") != null)
                                        .toList()))
                .containsExactlyInAnyOrderElementsOf(
                        expected(WS, minute("11:50"), minute("12:00")));

        // The same report again: complete_through has not moved, nothing is sent.
        int before = intake.points().size();
        clock.set(NOW.plusSeconds(60));
        PollResult same = forwarder.pollOnce().get(1);
        assertThat(same.pointsSubmitted()).isZero();
        assertThat(intake.points()).hasSize(before);

        // A minute later the amplitude outage goes on, braze recovers.
        List<FakeDeliveryMetricsApi.TypeStatus> next = new ArrayList<>(report(1));
        next.set(
                1,
                new FakeDeliveryMetricsApi.TypeStatus(
                        "braze", "operational", 1_260, 0.995, 120.0, 12, 1));
        api.destinations(minute("12:01"), next);
        clock.set(NOW.plusSeconds(120));
        PollResult moved = forwarder.pollOnce().get(1);

        assertThat(moved.forwardedThrough()).contains(minute("12:01"));
        assertThat(destinationPoints(intake.points().subList(before, intake.points().size())))
                .containsExactlyInAnyOrderElementsOf(expectedDestinations(minute("12:01"), next));
        assertThat(api.destinationRequests()).containsOnly(OPERATOR_TOKEN).hasSize(4);
    }

    @Test
    void shouldSendTheDestinationStatusAgainWhenItsSubmissionFailedForGood() throws Exception {
        api.operatorToken(OPERATOR_TOKEN);
        api.destinations(null, report(0));
        Map<String, String> s = operatorSettings(OPERATOR_TOKEN);
        s.put("datadog.retry.max-attempts", "1");
        DatadogForwarder forwarder = forwarder(s, sleeper);

        // Until the pipeline reported, there is nothing to send.
        assertThat(forwarder.pollOnce().get(1).pointsRead()).isZero();
        api.destinations(minute("12:00"), report(0));
        intake.answerNext(503, Map.of());
        PollResult failed = forwarder.pollOnce().get(1);
        assertThat(failed.succeeded()).isFalse();
        assertThat(failed.forwardedThrough()).isEmpty();
        assertThat(destinationPoints(intake.points())).isEmpty();

        PollResult again = forwarder.pollOnce().get(1);

        assertThat(again.succeeded()).isTrue();
        assertThat(destinationPoints(intake.points()))
                .containsExactlyInAnyOrderElementsOf(
                        expectedDestinations(minute("12:00"), report(0)));
    }

    @Test
    void shouldNeverAskForTheDestinationStatusWhenTheSwitchIsOff() throws Exception {
        seed(WS, minute("11:50"), minute("12:00"));
        api.completeThrough(WS, minute("12:00"));
        api.operatorToken(OPERATOR_TOKEN);
        api.destinations(minute("12:00"), report(0));
        DatadogForwarder forwarder = forwarder();
        forwarder.verifyAccess();

        List<PollResult> results = forwarder.pollOnce();

        assertThat(results).singleElement().satisfies(r -> assertThat(r.workspace()).isEqualTo(WS));
        assertThat(intake.points()).isNotEmpty();
        assertThat(intake.points())
                .noneMatch(p -> p.metric().startsWith("event_delivery.destination."));
        assertThat(api.destinationRequests()).isEmpty();
    }

    @Test
    void shouldRefuseToStartWhenTheDestinationTokenIsAWorkspaceToken() {
        api.operatorToken(OPERATOR_TOKEN);
        api.destinations(minute("12:00"), report(0));
        DatadogForwarder forwarder = forwarder(operatorSettings(TOKEN), sleeper);

        assertThatThrownBy(forwarder::verifyAccess)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("destinations.token")
                .hasMessageContaining("HTTP 403")
                .hasMessageContaining("operator token");
        assertThat(api.destinationRequests()).containsExactly(TOKEN);
        assertThat(intake.points()).isEmpty();
    }

    private static double submissions(Scrape metrics, String outcome) {
        return metrics.value("delivery_metrics_forwarder_submissions_total", "outcome", outcome);
    }

    private static double retries(Scrape metrics, String outcome) {
        return metrics.value(
                "delivery_metrics_forwarder_submission_retries_total", "outcome", outcome);
    }

    private static HttpResponse<String> scrape(InetSocketAddress address)
            throws IOException, InterruptedException {
        return get(address, "/metrics");
    }

    private static HttpResponse<String> get(InetSocketAddress address, String path)
            throws IOException, InterruptedException {
        URI uri =
                URI.create(
                        "http://"
                                + address.getAddress().getHostAddress()
                                + ":"
                                + address.getPort()
                                + path);
        return HTTP.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
