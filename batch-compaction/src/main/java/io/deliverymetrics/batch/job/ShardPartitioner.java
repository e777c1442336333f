package io.deliverymetrics.batch.job;

import io.deliverymetrics.batch.model.Databases;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * One partition per shard, named {@code shard<N>}, and one for the global database, named {@code
 * global}; or only the requested shard's.
 */
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
        if (only.isEmpty()) {
            ExecutionContext ctx = new ExecutionContext();
            ctx.putInt(JobParams.SHARD_ID, Databases.GLOBAL);
            out.put("global", ctx);
        }
        return out;
    }
}
