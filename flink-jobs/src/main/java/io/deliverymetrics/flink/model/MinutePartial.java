package io.deliverymetrics.flink.model;

import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.core.time.Granularity;
import java.util.Objects;

/**
 * What the pre-aggregation step sends through the shuffle to the minute windows: the attempts of
 * one pair and minute seen by one source subtask since its last flush, either as the single attempt
 * itself ({@code single} set) or, for two or more, merged into a {@link MetricBucket}.
 *
 * <p>Keeping a lone attempt as itself costs nothing extra on the wire and means a too-late single
 * can still be published to the late topic unchanged.
 *
 * @param pair the (workspace, source, destination) pair
 * @param minuteStartMs start of the attempts' event-time minute, epoch milliseconds
 * @param bucket the merged attempts when there are two or more, else {@code null}
 * @param single the attempt when there is exactly one, else {@code null}
 * @param destinationType the destination type of the attempts (the pre-aggregation step never
 *     merges attempts of different types), for the per-type roll-up
 */
public record MinutePartial(
        PairKey pair,
        long minuteStartMs,
        MetricBucket bucket,
        DeliveryAttempt single,
        String destinationType) {

    public MinutePartial {
        Objects.requireNonNull(pair, "pair");
        Objects.requireNonNull(destinationType, "destinationType");
        if ((bucket == null) == (single == null)) {
            throw new IllegalArgumentException("exactly one of bucket and single must be set");
        }
    }

    /** A partial holding one attempt. */
    public static MinutePartial of(DeliveryAttempt a) {
        return new MinutePartial(
                a.pair(),
                Granularity.MINUTE.floorMillis(a.eventTimeMillis()),
                null,
                a,
                a.destinationType());
    }

    /**
     * This partial as the destination type roll-up needs it: a merged bucket without its event
     * breakdown and error samples, which the type tables do not keep (a lone attempt stays as it
     * is). The roll-up's shuffle then carries neither, and its windows merge neither.
     */
    public MinutePartial forTypeRollup() {
        return single != null
                ? this
                : new MinutePartial(
                        pair,
                        minuteStartMs,
                        bucket.copyWithoutEventsAndSamples(),
                        null,
                        destinationType);
    }

    /** Whether any of the attempts was retrying, discarded or expired. */
    public boolean affected() {
        return single != null
                ? single.outcome().isFailure()
                : bucket.retried() + bucket.discarded() + bucket.expired() > 0;
    }

    /** The number of attempts this partial stands for. */
    public long attempts() {
        return single != null ? 1 : bucket.attempts();
    }

    /** Adds this partial's attempts to {@code acc} and returns {@code acc}. */
    public MetricBucket addTo(MetricBucket acc) {
        return single != null ? acc.add(single) : acc.merge(bucket);
    }
}
