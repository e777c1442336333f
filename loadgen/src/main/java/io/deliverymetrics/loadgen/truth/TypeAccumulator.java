package io.deliverymetrics.loadgen.truth;

import io.deliverymetrics.loadgen.model.Attempt;
import io.deliverymetrics.loadgen.model.Pair;
import java.util.HashSet;
import java.util.Set;

/** Mutable running totals of one destination type and bucket, with who contributed. */
final class TypeAccumulator {

    private final BucketAccumulator totals = new BucketAccumulator();
    private final Set<String> workspaces = new HashSet<>();
    private final Set<Pair> pairs = new HashSet<>();
    private final Set<String> affectedWorkspaces = new HashSet<>();
    private final Set<Pair> affectedPairs = new HashSet<>();

    void add(Attempt a) {
        totals.add(a);
        workspaces.add(a.pair().workspaceId());
        pairs.add(a.pair());
        // retrying, discarded and expired: the outcomes that carry an error code
        if (a.outcome().requiresErrorCode()) {
            affectedWorkspaces.add(a.pair().workspaceId());
            affectedPairs.add(a.pair());
        }
    }

    /** Adds {@code o}'s totals and contributors (sets: a workspace in both counts once). */
    void merge(TypeAccumulator o) {
        totals.merge(o.totals);
        workspaces.addAll(o.workspaces);
        pairs.addAll(o.pairs);
        affectedWorkspaces.addAll(o.affectedWorkspaces);
        affectedPairs.addAll(o.affectedPairs);
    }

    TypeMinuteTotals snapshot() {
        return new TypeMinuteTotals(
                totals.snapshot(),
                workspaces.size(),
                pairs.size(),
                affectedWorkspaces.size(),
                affectedPairs.size());
    }
}
