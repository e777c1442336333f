package io.deliverymetrics.loadgen.truth;

import java.util.Comparator;

/**
 * One error row of a pair minute: the key of its error samples.
 *
 * @param bucket the pair and minute
 * @param outcome {@code retrying}, {@code discarded} or {@code expired}
 * @param errorCode the record's error code, {@code unknown} without one
 */
public record ErrorSampleKey(BucketKey bucket, String outcome, String errorCode)
        implements Comparable<ErrorSampleKey> {

    private static final Comparator<ErrorSampleKey> ORDER =
            Comparator.comparing(ErrorSampleKey::bucket)
                    .thenComparing(ErrorSampleKey::outcome)
                    .thenComparing(ErrorSampleKey::errorCode);

    @Override
    public int compareTo(ErrorSampleKey o) {
        return ORDER.compare(this, o);
    }
}
