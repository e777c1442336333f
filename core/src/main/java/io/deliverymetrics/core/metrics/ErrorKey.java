package io.deliverymetrics.core.metrics;

import io.deliverymetrics.core.model.Outcome;
import java.util.Objects;

/** One row of a bucket's error breakdown: a failure outcome and the destination's error code. */
public record ErrorKey(Outcome outcome, String errorCode) implements Comparable<ErrorKey> {

    /** Code of the row that collects codes beyond the per-bucket cap. */
    public static final String OTHER = "other";

    /** Code used when a failed attempt carried no error code. */
    public static final String UNKNOWN = "unknown";

    public ErrorKey {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(errorCode, "errorCode");
    }

    public boolean isOther() {
        return OTHER.equals(errorCode);
    }

    @Override
    public int compareTo(ErrorKey o) {
        // By outcome, then code; written out because the bucket's error map compares keys for
        // every failed attempt, and a composed Comparator showed in profiles of the job.
        int c = outcome.compareTo(o.outcome);
        return c != 0 ? c : errorCode.compareTo(o.errorCode);
    }
}
