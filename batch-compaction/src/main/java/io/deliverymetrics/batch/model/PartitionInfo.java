package io.deliverymetrics.batch.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One range partition of a tier table.
 *
 * @param lessThan the exclusive upper bound of {@code bucket_start}, empty for {@code MAXVALUE}
 */
public record PartitionInfo(String name, Optional<Instant> lessThan) {

    public PartitionInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(lessThan, "lessThan");
    }

    public static PartitionInfo bounded(String name, Instant lessThan) {
        return new PartitionInfo(name, Optional.of(lessThan));
    }
}
