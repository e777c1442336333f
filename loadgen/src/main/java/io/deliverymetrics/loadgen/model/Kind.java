package io.deliverymetrics.loadgen.model;

/** What an emitted record is meant to test in the pipeline. */
public enum Kind {
    /**
     * A contract-conforming attempt, possibly emitted out of order; counted in the minute totals.
     */
    VALID,
    /** A contract-conforming attempt whose completed_at is far behind the clock at emission. */
    LATE,
    /** A record that violates the contract and must go to the dead-letter topic. */
    MALFORMED
}
