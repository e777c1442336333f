package io.deliverymetrics.core.parse;

import io.deliverymetrics.core.model.DeliveryAttempt;
import java.util.Objects;

/** The outcome of parsing one raw record: a valid attempt or a rejection with its reason. */
public sealed interface ParseResult {

    /**
     * A record that satisfied the contract.
     *
     * @param errorMessageTruncated whether the record's error message was longer than the limit and
     *     the attempt carries its truncated form
     */
    record Valid(DeliveryAttempt attempt, boolean errorMessageTruncated) implements ParseResult {
        public Valid {
            Objects.requireNonNull(attempt, "attempt");
        }

        /** A record whose error message, if any, was kept whole. */
        public Valid(DeliveryAttempt attempt) {
            this(attempt, false);
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
