package io.deliverymetrics.datadog.support;

import io.deliverymetrics.datadog.goals.DeliveryGoal;
import io.deliverymetrics.datadog.goals.DeliveryGoal.Kind;
import java.time.Duration;
import java.util.List;

/** One goal of every kind and scope, as in {@code datadog/monitors/goals/example-dry-run.json}. */
public final class ExampleGoals {

    public static final String WS = "ws_acme";

    private ExampleGoals() {}

    public static List<DeliveryGoal> all() {
        return List.of(
                new DeliveryGoal(
                        WS,
                        "all-delivered",
                        Kind.SUCCESS_RATE,
                        0.995,
                        Duration.ofDays(28),
                        null,
                        null,
                        "99.5 % of all events reach their destination"),
                new DeliveryGoal(
                        WS,
                        "s3-weekly",
                        Kind.SUCCESS_RATE,
                        0.999,
                        Duration.ofDays(7),
                        null,
                        "dst_s3",
                        ""),
                new DeliveryGoal(
                        WS,
                        "web-amplitude",
                        Kind.SUCCESS_RATE,
                        0.9,
                        Duration.ofDays(90),
                        "src_web",
                        "dst_amplitude",
                        "best effort"),
                new DeliveryGoal(
                        WS,
                        "s3-latency",
                        Kind.LATENCY_P95,
                        2500,
                        Duration.ofHours(24),
                        null,
                        "dst_s3",
                        ""),
                new DeliveryGoal(
                        WS,
                        "fresh",
                        Kind.DATA_LAG,
                        300,
                        null,
                        null,
                        null,
                        "minutes complete within 5 min"));
    }
}
