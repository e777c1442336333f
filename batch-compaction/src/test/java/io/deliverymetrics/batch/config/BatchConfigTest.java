package io.deliverymetrics.batch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deliverymetrics.core.config.ConfigException;
import io.deliverymetrics.core.time.Granularity;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchConfigTest {

    @Test
    void shouldLoadTheBundledDefaults() {
        BatchConfig c = BatchConfig.load(Map.of());

        assertThat(c.shards().size()).isEqualTo(1);
        assertThat(c.compaction().buffer()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.compaction().changeOverlap()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.compaction().blockBuckets()).isEqualTo(24);
        assertThat(c.compaction().pairReadMinRows()).isEqualTo(128);
        assertThat(c.retention().policy().retention(Granularity.MINUTE))
                .isEqualTo(Duration.ofDays(7));
        assertThat(c.retention().policy().retention(Granularity.HOUR))
                .isEqualTo(Duration.ofDays(180));
        assertThat(c.retention().policy().retention(Granularity.DAY))
                .isEqualTo(Duration.ofDays(1095));
        assertThat(c.retention().samples()).isEqualTo(Duration.ofDays(7));
        assertThat(c.schedule().hourCompactionCron()).isEqualTo("0 */5 * * * ?");
        assertThat(c.schedule().dayCompactionCron()).isEqualTo("0 7 * * * ?");
        assertThat(c.schedule().retentionCron()).isEqualTo("0 30 3 * * ?");
    }

    @Test
    void shouldTakeOverridesFromArgumentsAndEnvironment() {
        BatchConfig c =
                BatchConfig.load(
                        Map.of("DM_COMPACTION_CHUNK_SIZE", "50"),
                        "--retention.minute=3d",
                        "--retention.samples=2d",
                        "--shards.1.jdbc-url=jdbc:mysql://db2:3306/dm_1");

        assertThat(c.compaction().chunkSize()).isEqualTo(50);
        assertThat(c.retention().policy().retention(Granularity.MINUTE))
                .isEqualTo(Duration.ofDays(3));
        assertThat(c.retention().samples()).isEqualTo(Duration.ofDays(2));
        assertThat(c.shards().size()).isEqualTo(2);
    }

    @Test
    void shouldRejectABufferShorterThanTheSpeedLayersLateness() {
        assertThatThrownBy(() -> BatchConfig.load(Map.of(), "--compaction.buffer=30s"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("compaction.buffer");
    }

    @Test
    void shouldRejectAnInvalidCronExpression() {
        assertThatThrownBy(() -> BatchConfig.load(Map.of(), "--schedule.retention-cron=every day"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schedule.retention-cron");
    }

    @Test
    void shouldServeManagementEndpointsOnPort8090ByDefault() {
        BatchConfig.Management m = BatchConfig.load(Map.of()).management();

        assertThat(m.port()).isEqualTo(8090);
        assertThat(m.healthTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(m.lagRefreshInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(BatchConfig.load(Map.of("DM_MANAGEMENT_PORT", "0")).management().port())
                .isZero();
    }

    @Test
    void shouldRejectAManagementPortOutOfRange() {
        assertThatThrownBy(() -> BatchConfig.load(Map.of(), "--management.port=70000"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("management.port");
    }

    @Test
    void shouldNotPrintPasswords() {
        BatchConfig c = BatchConfig.load(Map.of(), "--control.password=s3cret");
        assertThat(c.toString()).doesNotContain("s3cret");
    }
}
