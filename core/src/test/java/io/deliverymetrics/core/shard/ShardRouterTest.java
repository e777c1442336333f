package io.deliverymetrics.core.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShardRouterTest {

    /**
     * Enough ids for ±5 % per shard to be a meaningful bound: for k shards and n uniformly hashed
     * ids a shard's count has relative standard deviation √((k − 1) / n). With n = 10,000 and k =
     * 16 that is 3.9 %, so ±5 % would fail for a perfect hash most of the time; with n = 100,000 it
     * is 1.2 %, and ±5 % is more than 4 standard deviations.
     */
    private static final int WORKSPACES = 100_000;

    private static final List<String> IDS = workspaceIds(WORKSPACES);

    @ParameterizedTest(name = "{0} shards")
    @ValueSource(ints = {2, 4, 8, 16})
    void shouldSpreadWorkspacesEvenlyOverShards(int shards) {
        ShardRouter router = new ShardRouter(shards, Map.of());
        long[] counts = new long[shards];
        for (String ws : IDS) {
            counts[router.shardOf(ws)]++;
        }

        double mean = (double) WORKSPACES / shards;
        for (int s = 0; s < shards; s++) {
            assertThat((double) counts[s])
                    .as("workspaces on shard %d of %d", s, shards)
                    .isBetween(mean * 0.95, mean * 1.05);
        }
    }

    @ParameterizedTest(name = "{0} shards")
    @ValueSource(ints = {2, 4, 8, 16})
    void shouldSpreadTenThousandWorkspacesOverEveryShard(int shards) {
        ShardRouter router = new ShardRouter(shards, Map.of());
        long[] counts = new long[shards];
        for (String ws : IDS.subList(0, 10_000)) {
            counts[router.shardOf(ws)]++;
        }

        // the brief's 10,000 ids with a bound of 5 standard deviations, √((k − 1) / n)
        double mean = 10_000.0 / shards;
        double tolerance = 5 * Math.sqrt((shards - 1) / 10_000.0);
        for (long c : counts) {
            assertThat((double) c).isBetween(mean * (1 - tolerance), mean * (1 + tolerance));
        }
    }

    @Test
    void shouldRouteTheSameWorkspaceToTheSameShardAcrossInstances() {
        ShardRouter first = new ShardRouter(8, Map.of());
        ShardRouter second = new ShardRouter(shardMap(8, Map.of()));
        List<String> fixed =
                List.of("ws_acme", "ws_globex", "ws_initech", "ws_umbrella", "a", "", "wś_ünï");

        for (String ws : fixed) {
            int shard = first.shardOf(ws);
            assertThat(shard).isBetween(0, 7);
            assertThat(second.shardOf(ws)).as(ws).isEqualTo(shard);
            assertThat(first.shardOf(new String(ws.toCharArray()))).isEqualTo(shard);
        }
    }

    @Test
    void shouldRouteEverythingToShardZeroWithOneShard() {
        ShardRouter router = new ShardRouter(1, Map.of());

        assertThat(IDS.subList(0, 1_000)).allSatisfy(ws -> assertThat(router.shardOf(ws)).isZero());
    }

    @Test
    void shouldMoveExactlyTheOverriddenWorkspace() {
        ShardMap map = shardMap(4, Map.of());
        ShardRouter before = new ShardRouter(map);
        String big = IDS.get(1234);
        int target = (before.shardOf(big) + 1) % 4;

        ShardRouter after = new ShardRouter(map.withOverride(big, target));

        List<String> moved = new ArrayList<>();
        for (String ws : IDS) {
            if (before.shardOf(ws) != after.shardOf(ws)) {
                moved.add(ws);
            }
        }
        assertThat(moved).containsExactly(big);
        assertThat(after.shardOf(big)).isEqualTo(target);
    }

    @Test
    void shouldHonourAnOverrideForAWorkspaceIdWithDots() {
        ShardRouter router = new ShardRouter(shardMap(3, Map.of("ws.acme:eu", 2)));

        assertThat(router.shardOf("ws.acme:eu")).isEqualTo(2);
    }

    @ParameterizedTest(name = "{0} -> {0}+1 shards")
    @ValueSource(ints = {1, 2, 3, 4, 7, 8, 15, 16})
    void shouldMoveAboutOneInNPlusOneWorkspacesOnlyToTheNewShard(int n) {
        ShardRouter before = new ShardRouter(n, Map.of());
        ShardRouter after = new ShardRouter(n + 1, Map.of());

        int moved = 0;
        for (String ws : IDS) {
            int from = before.shardOf(ws);
            int to = after.shardOf(ws);
            if (from != to) {
                moved++;
                assertThat(to).as("new shard of %s", ws).isEqualTo(n);
            }
        }

        double fraction = (double) moved / WORKSPACES;
        assertThat(fraction).isBetween(0.5 / (n + 1), 1.5 / (n + 1));
    }

    @Test
    void shouldRefuseANonPositiveShardCount() {
        assertThatThrownBy(() -> new ShardRouter(0, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shardCount must be positive, was 0");
    }

    @Test
    void shouldReportItsShardCount() {
        assertThat(new ShardRouter(shardMap(5, Map.of())).shardCount()).isEqualTo(5);
    }

    static ShardMap shardMap(int shards, Map<String, Integer> overrides) {
        List<Shard> list = new ArrayList<>();
        for (int i = 0; i < shards; i++) {
            list.add(new Shard(i, "jdbc:mariadb://localhost:3306/dm_shard_" + i, "dm", "secret"));
        }
        return new ShardMap(list, overrides);
    }

    private static List<String> workspaceIds(int n) {
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(String.format("ws_%06d", i));
        }
        return List.copyOf(ids);
    }
}
