package io.deliverymetrics.core.status;

import static io.deliverymetrics.core.model.AttemptBuilder.anAttempt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.deliverymetrics.core.config.ConfigException;
import io.deliverymetrics.core.config.Settings;
import io.deliverymetrics.core.metrics.DistinctContributors;
import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.metrics.TypeBucket;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.core.status.StatusClassifier.Assessment;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The classifier on constructed minute rows: each workspace sends the given deliveries and failed
 * attempts per minute, and every expectation follows from the documented thresholds by hand.
 */
class StatusClassifierTest {

    private static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");
    private final StatusClassifier classifier = new StatusClassifier(StatusThresholds.DEFAULTS);

    /** What one workspace sent to the type in one minute. */
    private record Traffic(int delivered, int failed, long latencyMs) {}

    private static Traffic healthy() {
        return new Traffic(100, 1, 200);
    }

    private static TypeBucket minute(int offset, List<Traffic> byWorkspace) {
        MetricBucket b = new MetricBucket();
        DistinctContributors who = new DistinctContributors();
        for (int w = 0; w < byWorkspace.size(); w++) {
            Traffic t = byWorkspace.get(w);
            for (int i = 0; i < t.delivered(); i++) {
                b.add(anAttempt().latencyMs(t.latencyMs()).delivered());
            }
            for (int i = 0; i < t.failed(); i++) {
                b.add(anAttempt().errorCode("http_503").retrying());
            }
            who.add(new PairKey("ws_" + w, "src", "dst_braze"), t.failed() > 0);
        }
        return new TypeBucket("braze", T0.plus(Duration.ofMinutes(offset)), b, who);
    }

    private static List<Traffic> workspaces(int n, Traffic each) {
        return java.util.Collections.nCopies(n, each);
    }

    /** A baseline of 1 % failed attempts and 200 ms deliveries. */
    private static MetricBucket baseline() {
        MetricBucket b = new MetricBucket();
        for (int i = 0; i < 9_900; i++) {
            b.add(anAttempt().latencyMs(200).delivered());
        }
        for (int i = 0; i < 100; i++) {
            b.add(anAttempt().retrying());
        }
        return b;
    }

    private List<Assessment> classify(MetricBucket baseline, List<TypeBucket> rows, int minutes) {
        return classifier.classify(baseline, rows, T0, T0.plus(Duration.ofMinutes(minutes)));
    }

    @Test
    void shouldCallAHealthyTypeOperational() {
        List<TypeBucket> rows = new ArrayList<>();
        for (int m = 0; m < 10; m++) {
            rows.add(minute(m, workspaces(10, healthy())));
        }

        List<Assessment> a = classify(baseline(), rows, 10);

        assertThat(a).hasSize(10).allMatch(x -> x.status() == DestinationStatus.OPERATIONAL);
        assertThat(a.get(9).workspaces()).isEqualTo(10);
        assertThat(StatusClassifier.since(a)).isEqualTo(T0);
    }

    @Test
    void shouldCallAnOutageWhenMostWorkspacesLoseMostDeliveriesAndSayWhenItStarted() {
        List<TypeBucket> rows = new ArrayList<>();
        for (int m = 0; m < 10; m++) {
            rows.add(minute(m, workspaces(10, healthy())));
        }
        for (int m = 10; m < 20; m++) {
            // 80 of 100 attempts fail in every workspace.
            rows.add(minute(m, workspaces(10, new Traffic(20, 80, 900))));
        }

        List<Assessment> a = classify(baseline(), rows, 20);

        // Window of 5 minutes: at minute 10 one bad minute of five: error rate
        // (4·10 + 800) / (4·1010 + 1000) = 840 / 5040 = 0.1667, loss (0.1667 − 0.01) / 0.99
        // = 0.158: degraded. At minute 12 (three bad): (2·10 + 2400) / (2·1010 + 3000) = 0.482,
        // loss 0.477: still degraded. At minute 13 (four bad): (10 + 3200) / (1010 + 4000)
        // = 0.641, loss 0.637: outage.
        assertThat(a.get(9).status()).isEqualTo(DestinationStatus.OPERATIONAL);
        assertThat(a.get(10).status()).isEqualTo(DestinationStatus.DEGRADED);
        assertThat(a.get(12).status()).isEqualTo(DestinationStatus.DEGRADED);
        assertThat(a.get(13).status()).isEqualTo(DestinationStatus.OUTAGE);
        assertThat(a.get(19).status()).isEqualTo(DestinationStatus.OUTAGE);
        assertThat(a.get(19).errorRate()).isEqualTo(0.8);
        assertThat(a.get(19).affectedWorkspaces()).isEqualTo(10);
        assertThat(StatusClassifier.since(a)).isEqualTo(T0.plus(Duration.ofMinutes(13)));
        assertThat(a.get(19).reason()).contains("80 % of the usually successful", "10 of 10");
    }

    @Test
    void shouldNotBlameTheTypeForOneWorkspacesBrokenConfiguration() {
        List<Traffic> one = new ArrayList<>(workspaces(9, new Traffic(100, 0, 200)));
        one.add(new Traffic(0, 300, 0));
        List<TypeBucket> rows = new ArrayList<>();
        for (int m = 0; m < 5; m++) {
            rows.add(minute(m, one));
        }

        List<Assessment> a = classify(baseline(), rows, 5);

        // 300 of 1,200 attempts fail (loss 0.24), but in 1 of 10 workspaces: not the partner.
        assertThat(a.get(4).status()).isEqualTo(DestinationStatus.OPERATIONAL);
        assertThat(a.get(4).reason()).contains("confined to 1 of 10 workspace(s)");
    }

    @Test
    void shouldCallFailuresInAFifthOfTheWorkspacesDegradedButNotAnOutage() {
        List<Traffic> some = new ArrayList<>(workspaces(7, new Traffic(100, 0, 200)));
        some.addAll(workspaces(3, new Traffic(0, 100, 0)));
        List<TypeBucket> rows = new ArrayList<>();
        for (int m = 0; m < 5; m++) {
            rows.add(minute(m, some));
        }

        List<Assessment> a = classify(baseline(), rows, 5);

        // Error rate 0.3, loss (0.3 − 0.01) / 0.99 = 0.29; 3 of 10 affected: degraded (≥ 0.2),
        // short of an outage on both counts.
        assertThat(a.get(4).status()).isEqualTo(DestinationStatus.DEGRADED);
        assertThat(a.get(4).affectedWorkspaces()).isEqualTo(3);
    }

    @Test
    void shouldJudgeATypeThatAlwaysRateLimitsOnWhatItDoesBeyondThat() {
        // Usually a third of the attempts get 429 and are retried.
        MetricBucket usual = new MetricBucket();
        for (int i = 0; i < 2_000; i++) {
            usual.add(anAttempt().latencyMs(200).delivered());
        }
        for (int i = 0; i < 1_000; i++) {
            usual.add(anAttempt().errorCode("http_429").retrying());
        }
        List<TypeBucket> rows = new ArrayList<>();
        for (int m = 0; m < 5; m++) {
            rows.add(minute(m, workspaces(10, new Traffic(60, 40, 200))));
        }
        for (int m = 5; m < 10; m++) {
            rows.add(minute(m, workspaces(10, new Traffic(25, 75, 200))));
        }

        List<Assessment> a = classify(usual, rows, 10);

        // 40 % failing against a usual 33.3 %: loss 0.1 exactly... (0.4 − 1/3) / (2/3) = 0.1,
        // at the degraded threshold.
        assertThat(a.get(4).status()).isEqualTo(DestinationStatus.DEGRADED);
        // 75 % failing: loss (0.75 − 1/3) / (2/3) = 0.625: outage.
        assertThat(a.get(9).status()).isEqualTo(DestinationStatus.OUTAGE);
        assertThat(a.get(9).baselineErrorRate()).isEqualTo(1.0 / 3);

        // 35 % failing is what such a type does: loss 0.025.
        List<TypeBucket> usualDay = new ArrayList<>();
        for (int m = 0; m < 5; m++) {
            usualDay.add(minute(m, workspaces(10, new Traffic(65, 35, 200))));
        }
        assertThat(classify(usual, usualDay, 5).get(4).status())
                .isEqualTo(DestinationStatus.OPERATIONAL);
    }

    @Test
    void shouldCallSlowDeliveriesAcrossWorkspacesDegraded() {
        List<TypeBucket> rows = new ArrayList<>();
        for (int m = 0; m < 5; m++) {
            rows.add(minute(m, workspaces(10, new Traffic(100, 1, 700))));
        }

        Assessment slow = classify(baseline(), rows, 5).get(4);

        // p95 ≈ 700 ms (1 % relative accuracy) against 200: more than 2× and 250 ms above.
        assertThat(slow.status()).isEqualTo(DestinationStatus.DEGRADED);
        assertThat(slow.p95Ms()).isCloseTo(700, within(7.0));
        assertThat(slow.baselineP95Ms()).isCloseTo(200, within(2.0));
        assertThat(slow.reason())
                .isEqualTo(
                        "p95 latency "
                                + Math.round(slow.p95Ms())
                                + " ms against a usual "
                                + Math.round(slow.baselineP95Ms())
                                + " ms");

        // 400 ms is 2× but only 200 ms above: operational.
        List<TypeBucket> bitSlower = new ArrayList<>();
        for (int m = 0; m < 5; m++) {
            bitSlower.add(minute(m, workspaces(10, new Traffic(100, 1, 400))));
        }
        assertThat(classify(baseline(), bitSlower, 5).get(4).status())
                .isEqualTo(DestinationStatus.OPERATIONAL);

        // Slow for the only two workspaces that send to it: not enough to blame the type.
        List<TypeBucket> two = new ArrayList<>();
        for (int m = 0; m < 5; m++) {
            two.add(minute(m, workspaces(2, new Traffic(100, 1, 700))));
        }
        assertThat(classify(baseline(), two, 5).get(4).status())
                .isEqualTo(DestinationStatus.OPERATIONAL);
    }

    @Test
    void shouldNotJudgeATypeWithTooLittleTraffic() {
        // 5 minutes × 3 workspaces × 6 attempts = 90 attempts, all failing: below 100.
        List<TypeBucket> rows = new ArrayList<>();
        for (int m = 0; m < 5; m++) {
            rows.add(minute(m, workspaces(3, new Traffic(0, 6, 0))));
        }

        Assessment a = classify(baseline(), rows, 5).get(4);

        assertThat(a.status()).isEqualTo(DestinationStatus.OPERATIONAL);
        assertThat(a.attempts()).isEqualTo(90);
        assertThat(a.reason()).contains("too few to judge");
    }

    @Test
    void shouldJudgeANewTypeAgainstNoFailuresAndNoLatencyBaseline() {
        List<TypeBucket> rows = new ArrayList<>();
        for (int m = 0; m < 5; m++) {
            rows.add(minute(m, workspaces(10, new Traffic(50, 50, 5_000))));
        }

        Assessment a = classify(new MetricBucket(), rows, 5).get(4);

        assertThat(a.baselineErrorRate()).isZero();
        assertThat(a.baselineP95Ms()).isNaN();
        assertThat(a.status()).isEqualTo(DestinationStatus.OUTAGE);
    }

    @Test
    void shouldReadItsThresholdsFromSettingsWithDocumentedDefaults() {
        assertThat(StatusThresholds.fromSettings(Settings.of(Map.of())))
                .isEqualTo(StatusThresholds.DEFAULTS);
        StatusThresholds t =
                StatusThresholds.fromSettings(
                        Settings.of(
                                Map.of(
                                        "status.window", "10m",
                                        "status.min-workspaces", "5",
                                        "status.outage-loss", "0.8")));
        assertThat(t.windowMinutes()).isEqualTo(10);
        assertThat(t.minWorkspaces()).isEqualTo(5);
        assertThat(t.outageLoss()).isEqualTo(0.8);

        assertThatThrownBy(
                        () ->
                                StatusThresholds.fromSettings(
                                        Settings.of(Map.of("status.degraded-loss", "1.5"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("status.degraded-loss");
        assertThatThrownBy(
                        () ->
                                StatusThresholds.fromSettings(
                                        Settings.of(
                                                Map.of(
                                                        "status.outage-loss", "0.05",
                                                        "status.degraded-loss", "0.1"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("status.outage-loss");
        assertThatThrownBy(
                        () ->
                                StatusThresholds.fromSettings(
                                        Settings.of(Map.of("status.window", "90s"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("whole minutes");
    }
}
