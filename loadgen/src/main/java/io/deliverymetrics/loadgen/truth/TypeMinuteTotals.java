package io.deliverymetrics.loadgen.truth;

import java.util.Objects;

/**
 * The exact metrics of one destination type in one minute over all workspaces: the same counters as
 * a pair's minute, plus how many workspaces and pairs contributed records and how many of them were
 * affected (had a retrying, discarded or expired record in the minute).
 */
public record TypeMinuteTotals(
        BucketTotals totals,
        long workspaces,
        long pairs,
        long affectedWorkspaces,
        long affectedPairs) {

    public TypeMinuteTotals {
        Objects.requireNonNull(totals, "totals");
    }
}
