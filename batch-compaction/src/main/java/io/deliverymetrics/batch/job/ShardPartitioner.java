package io.deliverymetrics.batch.job;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/** One partition per shard (or only the requested one), named {@code shard<N>}. */
public class ShardPartitioner implements Partitioner {

    private final int shardCount;
    private final OptionalInt only;

    ShardPartitioner(int shardCount, OptionalInt only) {
        if (only.isPresent() && only.getAsInt() >= shardCount) {
            throw new IllegalArgumentException(
                    "shard "
                            + only.getAsInt()
                            + " does not exist: shards are 0.."
                            + (shardCount - 1));
        }
        this.shardCount = shardCount;
        this.only = only;
    }

    @Override
    public Map<String, ExecutionContext> partition(int gridSize) {
        Map<String, ExecutionContext> out = new LinkedHashMap<>();
        for (int id = 0; id < shardCount; id++) {
            if (only.isEmpty() || only.getAsInt() == id) {
                ExecutionContext ctx = new ExecutionContext();
                ctx.putInt(JobParams.SHARD_ID, id);
                out.put("shard" + id, ctx);
            }
        }
        return out;
    }
}
