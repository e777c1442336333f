package io.deliverymetrics.batch.retention;

import io.deliverymetrics.batch.model.PartitionChanges;
import io.deliverymetrics.batch.model.PartitionInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides which partitions of one table to create ahead and which to drop, from the table's current
 * partitions. Pure: the JDBC side lists partitions and applies the result.
 */
public final class PartitionPlanner {

    private PartitionPlanner() {}

    /**
     * Plans one table.
     *
     * @param existing the table's partitions in order, {@code p_future} last
     * @param oldestRetained rows with {@code bucket_start} before this are expired
     * @param ahead periods to create beyond the current one
     * @param oldestRow the oldest {@code bucket_start} in the table, used only when no dated
     *     partition exists yet (the first run splits the catch-all from there)
     */
    public static PartitionChanges plan(
            String table,
            PartitionScheme scheme,
            List<PartitionInfo> existing,
            Instant now,
            Instant oldestRetained,
            int ahead,
            Optional<Instant> oldestRow) {
        if (existing.isEmpty()
                || !existing.get(existing.size() - 1).name().equals(PartitionScheme.FUTURE)
                || existing.get(existing.size() - 1).lessThan().isPresent()) {
            throw new IllegalStateException(
                    table + " must end with partition " + PartitionScheme.FUTURE + " (MAXVALUE)");
        }
        Optional<Instant> highest =
                existing.stream()
                        .map(PartitionInfo::lessThan)
                        .flatMap(Optional::stream)
                        .max(Instant::compareTo);
        Instant start;
        if (highest.isPresent()) {
            start = highest.get();
        } else {
            // First split: start at the oldest row's period, but never before the retention
            // horizon's period (older rows share that first partition until it expires).
            Instant from = oldestRow.filter(t -> t.isBefore(now)).orElse(now);
            start = scheme.floor(from.isBefore(oldestRetained) ? oldestRetained : from);
        }
        Instant end = scheme.floor(now);
        for (int i = 0; i <= ahead; i++) {
            end = scheme.next(end);
        }
        List<PartitionInfo> create = new ArrayList<>();
        for (Instant p = start; p.isBefore(end); p = scheme.next(p)) {
            create.add(PartitionInfo.bounded(scheme.name(p), scheme.next(p)));
        }
        List<String> drop = new ArrayList<>();
        for (PartitionInfo p : existing) {
            // Entirely older than the retention: every row is below the upper bound.
            if (p.lessThan().isPresent() && !p.lessThan().get().isAfter(oldestRetained)) {
                drop.add(p.name());
            }
        }
        return new PartitionChanges(table, create, drop);
    }
}
