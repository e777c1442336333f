package io.deliverymetrics.core.goals;

import java.time.Duration;
import java.util.List;

/**
 * A multi-window burn-rate alert on a success-rate goal: it fires when the error budget burns at
 * least {@code factor} times the sustainable rate over both the long and the short window. The one
 * definition read by the API's goal status, the generated Prometheus rules and the generated
 * Datadog monitors.
 */
public record BurnAlert(String name, Duration longWindow, Duration shortWindow, double factor) {

    /**
     * The SRE workbook's page and ticket pairs: {@code fast_burn} at 14.4 over 1 h and 5 min (2 %
     * of a 30-day budget in an hour), {@code slow_burn} at 6 over 6 h and 30 min (5 % in six
     * hours).
     */
    public static final List<BurnAlert> STANDARD =
            List.of(
                    new BurnAlert("fast_burn", Duration.ofHours(1), Duration.ofMinutes(5), 14.4),
                    new BurnAlert("slow_burn", Duration.ofHours(6), Duration.ofMinutes(30), 6));
}
