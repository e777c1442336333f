package io.deliverymetrics.core.status;

import java.util.Locale;

/** How a destination type (a partner API) is doing for everyone who sends to it. */
public enum DestinationStatus {
    /** Failures and latency as usual for the type, or too little traffic to judge. */
    OPERATIONAL,
    /** Clearly more failures or slower deliveries than usual, across many workspaces. */
    DEGRADED,
    /** Most of what the type usually delivers fails, across most of its workspaces. */
    OUTAGE;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    /** The name in API answers and configuration: {@code operational}, {@code degraded}, … */
    public String wireName() {
        return wireName;
    }
}
