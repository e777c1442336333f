package io.deliverymetrics.core.metrics;

import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.Outcome;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.Objects;

/**
 * One failed attempt kept as a sample of its error key (see {@link ErrorSamples}).
 *
 * @param hash {@link ErrorSamples#hash(String, int)} of (event id, attempt): the sample's rank
 * @param eventId the attempt's event id
 * @param attempt the attempt number
 * @param outcome the failure outcome ({@code retrying}, {@code discarded} or {@code expired})
 * @param errorCode the attempt's own error code ({@value ErrorKey#UNKNOWN} when it had none); it
 *     differs from the key's code when the key was folded into {@value ErrorKey#OTHER}
 * @param completedAt when the attempt completed, to the microsecond (what storage keeps)
 * @param eventType the event type ({@code unknown} when the record had none)
 * @param eventName the event name, {@code null} when the record had none
 * @param errorMessage what the destination answered, {@code null} when the record had none
 */
public record ErrorSample(
        long hash,
        String eventId,
        int attempt,
        Outcome outcome,
        String errorCode,
        Instant completedAt,
        String eventType,
        String eventName,
        String errorMessage)
        implements Comparable<ErrorSample> {

    /**
     * Sample order: by hash as an unsigned number, then (event id, attempt) for the astronomically
     * rare collision, then the remaining fields, so two records of one attempt that differ (a
     * malformed duplicate) still resolve to the same kept one whatever the merge order.
     */
    private static final Comparator<ErrorSample> ORDER =
            Comparator.comparing(ErrorSample::eventId)
                    .thenComparingInt(ErrorSample::attempt)
                    .thenComparing(ErrorSample::outcome)
                    .thenComparing(ErrorSample::errorCode)
                    .thenComparing(ErrorSample::completedAt)
                    .thenComparing(ErrorSample::eventType)
                    .thenComparing(
                            ErrorSample::eventName,
                            Comparator.nullsFirst(Comparator.naturalOrder()))
                    .thenComparing(
                            ErrorSample::errorMessage,
                            Comparator.nullsFirst(Comparator.naturalOrder()));

    public ErrorSample {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(errorCode, "errorCode");
        Objects.requireNonNull(completedAt, "completedAt");
        Objects.requireNonNull(eventType, "eventType");
        if (completedAt.getNano() % 1_000 != 0) {
            completedAt = completedAt.truncatedTo(ChronoUnit.MICROS);
        }
    }

    /** The sample of a failed attempt. */
    public static ErrorSample of(DeliveryAttempt a) {
        return of(ErrorSamples.hash(a.eventId(), a.attempt()), a);
    }

    static ErrorSample of(long hash, DeliveryAttempt a) {
        return new ErrorSample(
                hash,
                a.eventId(),
                a.attempt(),
                a.outcome(),
                a.errorCode() == null ? ErrorKey.UNKNOWN : a.errorCode(),
                a.completedAt(),
                a.eventType() == null ? DeliveryAttempt.UNKNOWN_TYPE : a.eventType(),
                a.eventName(),
                a.errorMessage());
    }

    /** Whether both stand for the same attempt (same event id and attempt number). */
    boolean sameAttempt(ErrorSample o) {
        return hash == o.hash && attempt == o.attempt && eventId.equals(o.eventId);
    }

    @Override
    public int compareTo(ErrorSample o) {
        int c = Long.compareUnsigned(hash, o.hash);
        return c != 0 ? c : ORDER.compare(this, o);
    }
}
