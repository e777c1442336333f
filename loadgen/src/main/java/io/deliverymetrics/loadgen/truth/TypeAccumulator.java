package io.deliverymetrics.loadgen.truth;

import io.deliverymetrics.loadgen.model.Attempt;
import io.deliverymetrics.loadgen.model.Pair;
import java.util.HashSet;
import java.util.Set;

/** Mutable running totals of one destination type and minute, with who contributed. */
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

    TypeMinuteTotals snapshot() {
        return new TypeMinuteTotals(
                totals.snapshot(),
                workspaces.size(),
                pairs.size(),
                affectedWorkspaces.size(),
                affectedPairs.size());
    }
}
