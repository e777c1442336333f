package io.deliverymetrics.core.shard;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * Maps a workspace to its shard: the override list first, else a stable hash.
 *
 * <p>The hash is FNV-1a over the UTF-8 bytes, finalised with SplitMix64, then Lamping and Veach's
 * jump consistent hash: stable across JVMs and versions, even over any number of shards, and adding
 * a shard moves only about 1/n of the workspaces. The job, the batch jobs and the API all route
 * through this one class.
 */
public final class ShardRouter implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int shardCount;
    private final Map<String, Integer> overrides;

    public ShardRouter(ShardMap map) {
        this(map.size(), map.overrides());
    }

    /** A router that needs no connection details, e.g. inside a Flink operator. */
    public ShardRouter(int shardCount, Map<String, Integer> overrides) {
        if (shardCount < 1) {
            throw new IllegalArgumentException("shardCount must be positive, was " + shardCount);
        }
        this.shardCount = shardCount;
        this.overrides = Map.copyOf(Objects.requireNonNull(overrides, "overrides"));
        this.overrides.forEach(
                (ws, shard) -> {
                    if (shard < 0 || shard >= shardCount) {
                        throw new IllegalArgumentException(
                                "override for workspace "
                                        + ws
                                        + " names shard "
                                        + shard
                                        + ", but only 0.."
                                        + (shardCount - 1)
                                        + " exist");
                    }
                });
    }

    public int shardCount() {
        return shardCount;
    }

    /** The shard id for {@code workspaceId}. */
    public int shardOf(String workspaceId) {
        Integer pinned = overrides.get(workspaceId);
        if (pinned != null) {
            return pinned;
        }
        return jumpConsistentHash(hash64(workspaceId), shardCount);
    }

    static long hash64(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x100000001b3L;
        }
        // SplitMix64 finaliser: FNV alone leaves the high bits poorly mixed for short keys.
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }

    static int jumpConsistentHash(long key, int buckets) {
        long b = -1;
        long j = 0;
        while (j < buckets) {
            b = j;
            key = key * 2862933555777941757L + 1;
            j = (long) ((b + 1) * ((double) (1L << 31) / (double) ((key >>> 33) + 1)));
        }
        return (int) b;
    }
}
