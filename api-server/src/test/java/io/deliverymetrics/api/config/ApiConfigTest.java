package io.deliverymetrics.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deliverymetrics.core.config.ConfigException;
import io.deliverymetrics.core.status.StatusThresholds;
import io.deliverymetrics.core.time.Granularity;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiConfigTest {

    @Test
    void shouldLoadTheBundledDefaults() {
        ApiConfig c = ApiConfig.withOverrides(Map.of());

        assertThat(c.server().port()).isEqualTo(8080);
        assertThat(c.shards().size()).isEqualTo(1);
        assertThat(c.control()).isPresent();
        assertThat(c.tiers().retention(Granularity.MINUTE)).isEqualTo(Duration.ofDays(7));
        assertThat(c.tiers().retention(Granularity.DAY)).isEqualTo(Duration.ofDays(1095));
        assertThat(c.tiers().maxPoints()).isEqualTo(1440);
        assertThat(c.query().defaultRange()).isEqualTo(Duration.ofHours(1));
        assertThat(c.auth().enabled()).isTrue();
        assertThat(c.rateLimit().burst()).isEqualTo(120);
        assertThat(c.pipelineName()).isEqualTo("delivery-metrics");
    }

    @Test
    void shouldTakeOverridesFromTheEnvironmentAndArguments() {
        ApiConfig c =
                ApiConfig.load(
                        Map.of("DM_SERVER_PORT", "9090", "DM_AUTH_ENABLED", "false"),
                        "--rate-limit.burst=5",
                        "--shards.1.jdbc-url=jdbc:mysql://db2:3306/delivery_metrics_1");

        assertThat(c.server().port()).isEqualTo(9090);
        assertThat(c.auth().enabled()).isFalse();
        assertThat(c.rateLimit().burst()).isEqualTo(5);
        assertThat(c.shards().size()).isEqualTo(2);
    }

    @Test
    void shouldNameTheKeyOfAnInvalidValue() {
        assertThatThrownBy(() -> ApiConfig.withOverrides(Map.of("server.port", "70000")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("server.port");
        assertThatThrownBy(() -> ApiConfig.withOverrides(Map.of("rate-limit.burst", "0")))
                .hasMessageContaining("rate-limit.burst");
        assertThatThrownBy(() -> ApiConfig.withOverrides(Map.of("query.default-page-size", "5000")))
                .hasMessageContaining("query.default-page-size");
        assertThatThrownBy(() -> ApiConfig.withOverrides(Map.of("retention.minute", "soon")))
                .hasMessageContaining("retention.minute");
        assertThatThrownBy(() -> ApiConfig.withOverrides(Map.of("retention.hour", "1d")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("retention");
    }

    @Test
    void shouldReadTheStatusKeysAndTheGlobalDatabaseBesideShardZero() {
        ApiConfig c = ApiConfig.withOverrides(Map.of());
        ApiConfig tuned =
                ApiConfig.withOverrides(
                        Map.of(
                                "status.window", "10m",
                                "status.min-workspaces", "4",
                                "status.horizon", "2h",
                                "global.jdbc-url", "jdbc:mysql://db9:3306/g"));

        assertThat(c.status())
                .isEqualTo(
                        new ApiConfig.Status(
                                StatusThresholds.DEFAULTS,
                                Duration.ofHours(1),
                                Duration.ofHours(24),
                                5,
                                Duration.ofSeconds(10)));
        assertThat(c.global().jdbcUrl())
                .isEqualTo("jdbc:mysql://localhost:3306/delivery_metrics_global");
        assertThat(tuned.status().thresholds().windowMinutes()).isEqualTo(10);
        assertThat(tuned.status().thresholds().minWorkspaces()).isEqualTo(4);
        assertThat(tuned.status().horizon()).isEqualTo(Duration.ofHours(2));
        assertThat(tuned.global().jdbcUrl()).isEqualTo("jdbc:mysql://db9:3306/g");
        assertThatThrownBy(() -> ApiConfig.withOverrides(Map.of("status.horizon", "90s")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("status.horizon");
        assertThatThrownBy(() -> ApiConfig.withOverrides(Map.of("status.baseline", "30m")))
                .hasMessageContaining("status.baseline");
        assertThatThrownBy(
                        () -> ApiConfig.withOverrides(Map.of("status.public-min-workspaces", "1")))
                .hasMessageContaining("status.public-min-workspaces");
        assertThatThrownBy(() -> ApiConfig.withOverrides(Map.of("status.outage-loss", "0.05")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("status.outage-loss");
    }

    @Test
    void shouldRequireTheControlDatabaseWhenAuthIsEnabled() {
        assertThatThrownBy(() -> ApiConfig.withOverrides(Map.of("control.jdbc-url", "")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("control.jdbc-url");
        assertThat(
                        ApiConfig.withOverrides(
                                        Map.of("control.jdbc-url", "", "auth.enabled", "false"))
                                .control())
                .isEmpty();
    }

    @Test
    void shouldServeMetricsAndTheDashboardByDefaultAndCheckTheirKeys() {
        ApiConfig c = ApiConfig.withOverrides(Map.of());

        assertThat(c.metrics()).isEqualTo(new ApiConfig.Metrics(true, 10_000));
        assertThat(c.admin()).isEqualTo(new ApiConfig.Admin(true, "127.0.0.1", 8091));
        assertThat(c.dashboard())
                .isEqualTo(
                        new ApiConfig.Dashboard(
                                true, 0.99, Duration.ofSeconds(5), Duration.ofSeconds(10)));
        assertThatThrownBy(() -> ApiConfig.withOverrides(Map.of("admin.port", "70000")))
                .hasMessageContaining("admin.port");
        assertThatThrownBy(() -> ApiConfig.withOverrides(Map.of("metrics.max-pairs", "0")))
                .hasMessageContaining("metrics.max-pairs");
        assertThatThrownBy(
                        () ->
                                ApiConfig.withOverrides(
                                        Map.of("dashboard.success-rate-threshold", "99")))
                .hasMessageContaining("dashboard.success-rate-threshold");
        assertThatThrownBy(
                        () -> ApiConfig.withOverrides(Map.of("dashboard.refresh-interval", "10ms")))
                .hasMessageContaining("dashboard.refresh-interval");
    }

    @Test
    void shouldBoundFailedAuthenticationsAndEachWorkspacesQueriesByDefault() {
        ApiConfig c = ApiConfig.withOverrides(Map.of());

        assertThat(c.auth().failureBurst()).isEqualTo(10);
        assertThat(c.auth().failuresPerMinute()).isEqualTo(30);
        assertThat(c.query().maxConcurrentPerWorkspace()).isEqualTo(4);
        assertThat(c.query().parallelPerWorkspace()).isEqualTo(1);
        assertThat(c.query().maxResponseBytes()).isEqualTo(8 * 1024 * 1024);
        assertThatThrownBy(() -> ApiConfig.withOverrides(Map.of("auth.failure-burst", "0")))
                .hasMessageContaining("auth.failure-burst");
        assertThatThrownBy(
                        () ->
                                ApiConfig.withOverrides(
                                        Map.of("query.max-concurrent-per-workspace", "0")))
                .hasMessageContaining("query.max-concurrent-per-workspace");
        assertThatThrownBy(
                        () -> ApiConfig.withOverrides(Map.of("query.parallel-per-workspace", "0")))
                .hasMessageContaining("query.parallel-per-workspace");
        assertThatThrownBy(() -> ApiConfig.withOverrides(Map.of("query.max-response-bytes", "10")))
                .hasMessageContaining("query.max-response-bytes");
    }

    @Test
    void shouldNeverPrintPasswords() {
        ApiConfig c =
                ApiConfig.withOverrides(
                        Map.of("control.password", "s3cret", "shards.0.password", "s3cret"));

        assertThat(c.toString()).doesNotContain("s3cret");
    }
}
