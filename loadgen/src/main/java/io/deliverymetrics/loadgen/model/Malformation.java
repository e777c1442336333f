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
    OVERSIZED("oversized");

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
