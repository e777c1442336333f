package io.deliverymetrics.api.internal;

import com.zaxxer.hikari.HikariDataSource;
import io.deliverymetrics.api.config.ApiConfig;
import io.deliverymetrics.core.shard.Shard;
import io.deliverymetrics.core.shard.ShardMap;
import io.deliverymetrics.core.shard.ShardRouter;
import java.util.ArrayList;
import java.util.List;

/** One read-only connection pool per shard, and core's router to pick the workspace's one. */
public final class ShardPools implements AutoCloseable {

    private final ShardRouter router;
    private final List<HikariDataSource> pools;

    public ShardPools(ShardMap shards, ApiConfig.Pool pool) {
        this.router = new ShardRouter(shards);
        List<HikariDataSource> list = new ArrayList<>();
        for (Shard s : shards.shards()) {
            list.add(
                    Pools.create(
                            "shard-" + s.id(), s.jdbcUrl(), s.user(), s.password(), pool, true));
        }
        this.pools = List.copyOf(list);
    }

    public int shardOf(String workspaceId) {
        return router.shardOf(workspaceId);
    }

    public HikariDataSource pool(int shardId) {
        return pools.get(shardId);
    }

    public int size() {
        return pools.size();
    }

    @Override
    public void close() {
        for (HikariDataSource p : pools) {
            p.close();
        }
    }
}
