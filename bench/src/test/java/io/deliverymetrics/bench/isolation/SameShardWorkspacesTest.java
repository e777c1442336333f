package io.deliverymetrics.bench.isolation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deliverymetrics.core.shard.ShardRouter;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** How the isolation benchmark picks two workspaces on one shard. */
class SameShardWorkspacesTest {

    @Test
    void shouldPickAQuietWorkspaceThatTheRouterSendsToTheNoisyWorkspacesShard() {
        for (int shards = 1; shards <= 8; shards++) {
            ShardRouter router = new ShardRouter(shards, Map.of());

            SameShardWorkspaces ws = SameShardWorkspaces.pick(router, "ws_noisy", "ws_quiet");

            assertThat(ws.noisy()).isEqualTo("ws_noisy");
            assertThat(ws.quiet()).startsWith("ws_quiet_");
            assertThat(ws.shard()).isEqualTo(router.shardOf("ws_noisy"));
            assertThat(router.shardOf(ws.quiet())).isEqualTo(ws.shard());
            assertThat(ws.sameShardIn(router)).isTrue();
        }
    }

    @Test
    void shouldPickTheSameWorkspacesEveryTime() {
        ShardRouter router = new ShardRouter(2, Map.of());

        assertThat(SameShardWorkspaces.pick(router, "ws_noisy", "ws_quiet"))
                .isEqualTo(SameShardWorkspaces.pick(router, "ws_noisy", "ws_quiet"));
    }

    @Test
    void shouldFollowTheRoutersOverrides() {
        ShardRouter router = new ShardRouter(2, Map.of("ws_noisy", 1, "ws_quiet_0", 0));

        SameShardWorkspaces ws = SameShardWorkspaces.pick(router, "ws_noisy", "ws_quiet");

        assertThat(ws.shard()).isEqualTo(1);
        assertThat(ws.quiet()).isNotEqualTo("ws_quiet_0");
        assertThat(router.shardOf(ws.quiet())).isEqualTo(1);
    }

    @Test
    void shouldFailWhenEveryCandidateIsPinnedToAnotherShard() {
        Map<String, Integer> overrides =
                new HashMap<>(
                        IntStream.range(0, SameShardWorkspaces.MAX_CANDIDATES)
                                .mapToObj(i -> "ws_quiet_" + i)
                                .collect(Collectors.toMap(Function.identity(), ws -> 0)));
        overrides.put("ws_noisy", 1);
        ShardRouter router = new ShardRouter(2, overrides);

        assertThatThrownBy(() -> SameShardWorkspaces.pick(router, "ws_noisy", "ws_quiet"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("shard 1");
    }

    @Test
    void shouldTellWhenAnotherRouterSplitsThePair() {
        SameShardWorkspaces ws =
                SameShardWorkspaces.pick(new ShardRouter(2, Map.of()), "ws_noisy", "ws_quiet");

        ShardRouter split =
                new ShardRouter(2, Map.of(ws.noisy(), ws.shard(), ws.quiet(), 1 - ws.shard()));

        assertThat(ws.sameShardIn(split)).isFalse();
    }
}
