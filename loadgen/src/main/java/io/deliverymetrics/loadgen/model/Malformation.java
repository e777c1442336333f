package io.deliverymetrics.loadgen.model;

/** The ways in which a MALFORMED record violates the input record contract. */
public enum Malformation {
    NOT_JSON("not_json"),
    TRUNCATED_JSON("truncated_json"),
    JSON_ARRAY("json_array"),
    MISSING_FIELD("missing_field"),
    UNKNOWN_OUTCOME("unknown_outcome"),
    ATTEMPT_ZERO("attempt_zero"),
    COMPLETED_BEFORE_RECEIVED("completed_before_received"),
    ILLEGAL_ID_CHARACTERS("illegal_id_characters"),
    ID_TOO_LONG("id_too_long"),
    OVERSIZED("oversized"),
    /** destination_type in upper case, with a space or a dot, or starting with '-'. */
    INVALID_DESTINATION_TYPE("invalid_destination_type"),
    /** event_type in upper case, with a space, or empty. */
    INVALID_EVENT_TYPE("invalid_event_type"),
    /** event_name with a control character: NUL, tab, newline, DEL or U+0085. */
    CONTROL_CHARACTER_IN_EVENT_NAME("control_character_in_event_name"),
    /** event_name of 129–160 code points, some of them emoji. */
    EVENT_NAME_TOO_LONG("event_name_too_long"),
    /** error_message with a lone surrogate, written as a JSON escape of D800–DFFF. */
    LONE_SURROGATE_IN_ERROR_MESSAGE("lone_surrogate_in_error_message");

    /** Records larger than this many bytes violate the contract. */
    public static final int MAX_RECORD_BYTES = 16 * 1024;

    private final String label;

    Malformation(String label) {
        this.label = label;
    }

    /** The snake_case name used in the truth file. */
    public String label() {
        return label;
    }
}
