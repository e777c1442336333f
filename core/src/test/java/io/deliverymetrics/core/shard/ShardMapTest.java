package io.deliverymetrics.core.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deliverymetrics.core.config.ConfigException;
import io.deliverymetrics.core.config.Settings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShardMapTest {

    private static Shard shard(int id) {
        return new Shard(id, "jdbc:mariadb://db" + id + ":3306/dm", "dm", "pw" + id);
    }

    @Test
    void shouldRefuseShardIdsWithAGap() {
        assertThatThrownBy(() -> new ShardMap(List.of(shard(0), shard(2)), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shard ids must be 0..1 in order; position 1 has id 2");
    }

    @Test
    void shouldRefuseShardIdsOutOfOrder() {
        assertThatThrownBy(() -> new ShardMap(List.of(shard(1), shard(0)), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shard ids must be 0..1 in order; position 0 has id 1");
    }

    @Test
    void shouldRefuseAnEmptyShardList() {
        assertThatThrownBy(() -> new ShardMap(List.of(), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("at least one shard must be configured");
    }

    @Test
    void shouldRefuseAnOverrideToAnUnknownShard() {
        assertThatThrownBy(() -> new ShardMap(List.of(shard(0), shard(1)), Map.of("ws_big", 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("override for workspace ws_big names shard 2, but only 0..1 exist");
        assertThatThrownBy(() -> new ShardMap(List.of(shard(0)), Map.of("ws_big", -1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("override for workspace ws_big names shard -1, but only 0..0 exist");
    }

    @Test
    void shouldAddAnOverrideWithoutChangingTheOriginal() {
        ShardMap map = new ShardMap(List.of(shard(0), shard(1)), Map.of());

        ShardMap pinned = map.withOverride("ws_big", 1);

        assertThat(pinned.overrides()).containsExactly(Map.entry("ws_big", 1));
        assertThat(map.overrides()).isEmpty();
        assertThat(pinned.shards()).isEqualTo(map.shards());
        assertThatThrownBy(() -> map.withOverride("ws_big", 5))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldCopyItsInputs() {
        List<Shard> shards = new ArrayList<>(List.of(shard(0)));
        Map<String, Integer> overrides = new HashMap<>(Map.of("ws_a", 0));
        ShardMap map = new ShardMap(shards, overrides);

        shards.add(shard(1));
        overrides.put("ws_b", 0);

        assertThat(map.size()).isEqualTo(1);
        assertThat(map.overrides()).containsOnlyKeys("ws_a");
    }

    @Test
    void shouldValidateAShard() {
        assertThatThrownBy(() -> new Shard(-1, "jdbc:x", "u", "p"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shard id must be >= 0, was -1");
        assertThatThrownBy(() -> new Shard(3, "mysql://db/dm", "u", "p"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shard 3: jdbc url must start with jdbc:");
        assertThat(new Shard(0, "jdbc:x", "u", null).password()).isEmpty();
    }

    @Test
    void shouldNeverPrintAShardPassword() {
        Shard s = new Shard(0, "jdbc:mariadb://db:3306/dm", "dm", "hunter2");

        assertThat(s.toString()).doesNotContain("hunter2").contains("jdbc:mariadb://db:3306/dm");
    }

    @Test
    void shouldReadShardsAndOverridesFromSettings() {
        Settings settings =
                Settings.of(
                        Map.of(
                                "shards.0.jdbc-url", "jdbc:mariadb://db0:3306/dm",
                                "shards.1.jdbc-url", "jdbc:mariadb://db1:3306/dm",
                                "shards.1.user", "metrics",
                                "shards.1.password", "s3cret",
                                "shard-overrides.ws_big", "1",
                                "shard-overrides.ws.acme:eu", "0",
                                "unrelated.key", "x"));

        ShardMap map = ShardMap.fromSettings(settings);

        assertThat(map.size()).isEqualTo(2);
        assertThat(map.shard(0)).isEqualTo(new Shard(0, "jdbc:mariadb://db0:3306/dm", "root", ""));
        assertThat(map.shard(1))
                .isEqualTo(new Shard(1, "jdbc:mariadb://db1:3306/dm", "metrics", "s3cret"));
        assertThat(map.overrides())
                .containsOnly(Map.entry("ws_big", 1), Map.entry("ws.acme:eu", 0));
    }

    @Test
    void shouldOrderShardsNumericallyFromSettings() {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < 12; i++) {
            values.put("shards." + i + ".jdbc-url", "jdbc:mariadb://db" + i + "/dm");
        }

        ShardMap map = ShardMap.fromSettings(Settings.of(values));

        assertThat(map.size()).isEqualTo(12);
        assertThat(map.shard(10).jdbcUrl()).isEqualTo("jdbc:mariadb://db10/dm");
    }

    @Test
    void shouldReportAGapInConfiguredShards() {
        Settings settings =
                Settings.of(
                        Map.of(
                                "shards.0.jdbc-url", "jdbc:mariadb://db0/dm",
                                "shards.2.jdbc-url", "jdbc:mariadb://db2/dm"));

        assertThatThrownBy(() -> ShardMap.fromSettings(settings))
                .isInstanceOf(ConfigException.class)
                .hasMessage("shards must be numbered 0..1 without gaps");
    }

    @Test
    void shouldReportMissingShards() {
        assertThatThrownBy(() -> ShardMap.fromSettings(Settings.of(Map.of("a", "b"))))
                .isInstanceOf(ConfigException.class)
                .hasMessage("no shards configured: set shards.0.jdbc-url");
    }

    @Test
    void shouldReportAShardWithoutJdbcUrl() {
        Settings settings = Settings.of(Map.of("shards.0.user", "dm"));

        assertThatThrownBy(() -> ShardMap.fromSettings(settings))
                .isInstanceOf(ConfigException.class)
                .hasMessage("missing required setting 'shards.0.jdbc-url'");
    }

    @Test
    void shouldReportAnOverrideToAnUnknownShardAsConfigError() {
        Settings settings =
                Settings.of(
                        Map.of(
                                "shards.0.jdbc-url", "jdbc:mariadb://db0/dm",
                                "shard-overrides.ws_big", "3"));

        assertThatThrownBy(() -> ShardMap.fromSettings(settings))
                .isInstanceOf(ConfigException.class)
                .hasMessage("override for workspace ws_big names shard 3, but only 0..0 exist");
    }

    @Test
    void shouldReportAnOverrideThatIsNotANumber() {
        Settings settings =
                Settings.of(
                        Map.of(
                                "shards.0.jdbc-url", "jdbc:mariadb://db0/dm",
                                "shard-overrides.ws_big", "two"));

        assertThatThrownBy(() -> ShardMap.fromSettings(settings))
                .isInstanceOf(ConfigException.class)
                .hasMessage("setting 'shard-overrides.ws_big' must be an integer, was 'two'");
    }
}
