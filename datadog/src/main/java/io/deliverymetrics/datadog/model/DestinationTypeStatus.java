package io.deliverymetrics.datadog.model;

import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One destination type of the API's destination status ({@code GET /v1/destinations}): its verdict
 * and figures over the status window, across all workspaces.
 *
 * @param successRate empty when the window had no terminal events
 * @param latencyP95Ms empty when the window had no deliveries
 */
public record DestinationTypeStatus(
        String destinationType,
        Status status,
        long attempts,
        OptionalDouble successRate,
        OptionalDouble latencyP95Ms,
        long workspaces,
        long affectedWorkspaces) {

    /** The API's verdict, and the value of the status gauge. */
    public enum Status {
        OPERATIONAL(0),
        DEGRADED(1),
        OUTAGE(2);

        private final int gauge;

        Status(int gauge) {
            this.gauge = gauge;
        }

        /** 0 operational, 1 degraded, 2 outage: the worse, the higher. */
        public int gauge() {
            return gauge;
        }

        /** The name as the API writes it and the {@code status:} tag carries it. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Status fromWireName(String name) {
            for (Status s : values()) {
                if (s.wireName().equals(name)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown destination status '" + name + "'");
        }
    }

    public DestinationTypeStatus {
        Objects.requireNonNull(destinationType, "destinationType");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(successRate, "successRate");
        Objects.requireNonNull(latencyP95Ms, "latencyP95Ms");
    }
}
