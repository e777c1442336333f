package io.deliverymetrics.flink.functions;

import io.deliverymetrics.core.shard.ShardRouter;
import io.deliverymetrics.flink.model.MinuteUpdate;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Routes each update to the side output of its workspace's shard, using the core {@link
 * ShardRouter}.
 */
public final class ShardSplitter extends ProcessFunction<MinuteUpdate, MinuteUpdate> {

    private static final long serialVersionUID = 1L;

    private final ShardRouter router;
    private final List<OutputTag<MinuteUpdate>> tags;

    public ShardSplitter(ShardRouter router) {
        this.router = router;
        this.tags = new ArrayList<>();
        for (int i = 0; i < router.shardCount(); i++) {
            tags.add(tagFor(i));
        }
    }

    /** The side output carrying shard {@code shard}'s updates. */
    public static OutputTag<MinuteUpdate> tagFor(int shard) {
        return new OutputTag<>("shard-" + shard, TypeInformation.of(MinuteUpdate.class));
    }

    @Override
    public void processElement(MinuteUpdate u, Context ctx, Collector<MinuteUpdate> out) {
        ctx.output(tags.get(router.shardOf(u.workspaceId())), u);
    }
}
