package io.deliverymetrics.core.parse;

/**
 * Why a raw record was refused; {@link #code()} is the machine-readable form written to the
 * dead-letter topic.
 */
public enum RejectReason {
    TOO_LARGE("too_large"),
    EMPTY("empty"),
    MALFORMED_JSON("malformed_json"),
    NOT_AN_OBJECT("not_an_object"),
    DUPLICATE_FIELD("duplicate_field"),
    MISSING_FIELD("missing_field"),
    WRONG_TYPE("wrong_type"),
    INVALID_ID("invalid_id"),
    UNKNOWN_OUTCOME("unknown_outcome"),
    INVALID_ATTEMPT("invalid_attempt"),
    INVALID_ERROR_CODE("invalid_error_code"),
    INVALID_TIMESTAMP("invalid_timestamp"),
    TIMESTAMP_OUT_OF_RANGE("timestamp_out_of_range"),
    COMPLETED_BEFORE_RECEIVED("completed_before_received"),
    LATENCY_OUT_OF_RANGE("latency_out_of_range"),
    INVALID_DESTINATION_TYPE("invalid_destination_type"),
    INVALID_EVENT_TYPE("invalid_event_type"),
    INVALID_EVENT_NAME("invalid_event_name"),
    INVALID_ERROR_MESSAGE("invalid_error_message");

    private final String code;

    RejectReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
