package io.deliverymetrics.flink.functions;

import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.flink.model.MinutePartial;
import io.deliverymetrics.flink.model.MinuteUpdate;
import io.deliverymetrics.sql.DestinationTypes;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Tells the shards which type each destination's records name: for a partial whose records named a
 * type, a {@link MinuteUpdate#destinationTypeSeen} update, but only when it {@linkplain
 * DestinationTypes.Seen#supersedes supersedes} what this subtask last sent for the destination (a
 * later minute, or a greater type in the same minute). A busy destination therefore costs one
 * element per minute here, not one per partial, and the shard sink writes at most one row per
 * destination and flush.
 *
 * <p>Partials of type {@code unknown} (records without {@code destination_type}) and of the
 * overflow pair send nothing: an unnamed type never replaces a named one, and the overflow pair is
 * no destination.
 *
 * <p>What was sent is remembered in a bounded cache, not in state: after a restart, or once a
 * destination was evicted, the next partial sends its sighting again, which the sink's upsert
 * rewrites or ignores. Everything sent before a checkpoint barrier is written before the checkpoint
 * completes (the sink flushes on it), so forgetting never loses a sighting.
 */
public final class DestinationTypeSightings
        implements FlatMapFunction<MinutePartial, MinuteUpdate> {

    private static final long serialVersionUID = 1L;

    /** Destinations remembered per subtask: a few megabytes at most. */
    static final int MAX_REMEMBERED = 50_000;

    private transient Map<String, DestinationTypes.Seen> sent;

    @Override
    public void flatMap(MinutePartial p, Collector<MinuteUpdate> out) {
        PairKey pair = p.pair();
        if (p.destinationType().equals(DeliveryAttempt.UNKNOWN_TYPE) || pair.isOverflow()) {
            return;
        }
        if (sent == null) {
            sent = lruCache();
        }
        DestinationTypes.Seen seen =
                new DestinationTypes.Seen(
                        pair.workspaceId(),
                        pair.destinationId(),
                        p.destinationType(),
                        Instant.ofEpochMilli(p.minuteStartMs()));
        // Ids cannot contain '/', so the key is unambiguous.
        String key = pair.workspaceId() + '/' + pair.destinationId();
        DestinationTypes.Seen before = sent.get(key);
        if (before == null || seen.supersedes(before)) {
            sent.put(key, seen);
            out.collect(
                    MinuteUpdate.destinationTypeSeen(pair, p.minuteStartMs(), p.destinationType()));
        }
    }

    private static Map<String, DestinationTypes.Seen> lruCache() {
        return new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, DestinationTypes.Seen> eldest) {
                return size() > MAX_REMEMBERED;
            }
        };
    }
}
