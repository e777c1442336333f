package io.deliverymetrics.loadgen.model;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One Kafka message produced by the generator, with what it means for the ground truth.
 *
 * @param key the Kafka key, {@code workspace_id/source_id/destination_id}
 * @param value the JSON bytes (or deliberately broken bytes for MALFORMED records)
 * @param kind whether the record counts in the totals, is late, or is malformed
 * @param emitSeq 0-based position in the emitted sequence
 * @param clockMs the simulated (or wall) clock, epoch ms, at which the record is emitted
 * @param attempt the attempt this record encodes; null for MALFORMED records
 * @param malformation how the record violates the contract; null unless MALFORMED
 */
public record GeneratedRecord(
        String key,
        byte[] value,
        Kind kind,
        long emitSeq,
        long clockMs,
        Attempt attempt,
        Malformation malformation) {

    public GeneratedRecord {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.MALFORMED) != (malformation != null)) {
            throw new IllegalArgumentException(
                    "malformation must be set exactly for MALFORMED records, kind=" + kind);
        }
        if ((kind == Kind.MALFORMED) == (attempt != null)) {
            throw new IllegalArgumentException(
                    "attempt must be set exactly for VALID and LATE records, kind=" + kind);
        }
    }

    /** The value decoded as UTF-8, for logs and assertions. */
    public String valueAsString() {
        return new String(value, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GeneratedRecord other
                && emitSeq == other.emitSeq
                && clockMs == other.clockMs
                && kind == other.kind
                && malformation == other.malformation
                && key.equals(other.key)
                && Arrays.equals(value, other.value)
                && Objects.equals(attempt, other.attempt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, Arrays.hashCode(value), kind, emitSeq, clockMs, attempt);
    }

    @Override
    public String toString() {
        return "GeneratedRecord[#"
                + emitSeq
                + ' '
                + kind
                + (malformation == null ? "" : "/" + malformation)
                + " key="
                + key
                + " value="
                + (value.length > 200
                        ? new String(value, 0, 200, StandardCharsets.UTF_8) + "…"
                        : valueAsString())
                + ']';
    }
}
