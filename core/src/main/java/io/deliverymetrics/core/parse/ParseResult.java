package io.deliverymetrics.core.parse;

import io.deliverymetrics.core.model.DeliveryAttempt;
import java.util.Objects;

/** The outcome of parsing one raw record: a valid attempt or a rejection with its reason. */
public sealed interface ParseResult {

    /** A record that satisfied the contract. */
    record Valid(DeliveryAttempt attempt) implements ParseResult {
        public Valid {
            Objects.requireNonNull(attempt, "attempt");
        }
    }

    /**
     * A record that did not.
     *
     * @param field the offending JSON field, or {@code null} when the record as a whole is bad
     * @param detail a short human-readable explanation (never contains more than a prefix of input)
     */
    record Rejected(RejectReason reason, String field, String detail) implements ParseResult {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }

        /**
         * One line for logs and the dead-letter record, e.g. {@code invalid_id(source_id): ...}.
         */
        public String describe() {
            return reason.code() + (field == null ? "" : "(" + field + ")") + ": " + detail;
        }
    }
}
