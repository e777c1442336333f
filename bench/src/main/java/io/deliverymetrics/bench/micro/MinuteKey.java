package io.deliverymetrics.bench.micro;

import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.PairKey;

/** The (pair, minute) bucket an attempt belongs to; the key of the plain-Java aggregations. */
public record MinuteKey(PairKey pair, long minute) {

    private static final long MINUTE_MS = 60_000L;

    public static MinuteKey of(DeliveryAttempt a) {
        return new MinuteKey(a.pair(), Math.floorDiv(a.eventTimeMillis(), MINUTE_MS));
    }
}
