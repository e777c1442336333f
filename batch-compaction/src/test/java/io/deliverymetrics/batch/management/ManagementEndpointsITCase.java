package io.deliverymetrics.batch.management;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.batch.BatchApplication;
import io.deliverymetrics.batch.config.BatchConfig;
import io.deliverymetrics.batch.job.BatchJobs;
import io.deliverymetrics.batch.support.BatchFixture;
import io.deliverymetrics.batch.support.DeliveryWorld;
import io.deliverymetrics.core.exposition.Promtool;
import io.deliverymetrics.core.exposition.Scrape;
import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.infra.EmbeddedInfraExtension;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.UniqueNames;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.batch.core.BatchStatus;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@ExtendWith(EmbeddedInfraExtension.class)
class ManagementEndpointsITCase {

    private static final Instant START =
            Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(2));
    private static final Instant END = START.plus(Duration.ofHours(6));

    /**
     * "Now" for the application: fixed, so that the lag after a catch-up stays 0 even when the test
     * runs across the minute at which another hour becomes complete.
     */
    private static final Clock CLOCK =
            Clock.fixed(
                    Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofMinutes(30)),
                    ZoneOffset.UTC);

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

    private final EmbeddedMariaDb mariaDb;
    private final UniqueNames names;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ManagementEndpointsITCase(EmbeddedMariaDb mariaDb, UniqueNames names) {
        this.mariaDb = mariaDb;
        this.names = names;
    }

    @Test
    void shouldReportEveryShardUpAndCountEveryRowCompactedWithNoLagLeft() throws Exception {
        BatchFixture fixture = new BatchFixture(mariaDb, names);
        BatchApplication.migrate(fixture.config());
        DeliveryWorld world = new DeliveryWorld(fixture.router(), 5);
        world.generate(world.pairs(2), START, END, 0.1);
        world.seed(fixture);
        Map<Integer, Long> minuteRows = world.rowsPerShard(Granularity.MINUTE);
        Map<Integer, Long> hourRows = world.rowsPerShard(Granularity.HOUR);
        Map<Integer, Long> hours = world.bucketsPerShard(Granularity.HOUR);
        assertThat(minuteRows).containsOnlyKeys(0, 1);

        try (ConfigurableApplicationContext app =
                BatchApplication.start(fixture.config(), BatchApplication.Mode.SCHEDULER, CLOCK)) {
            int port = ManagementConfiguration.port(app);
            BatchJobs jobs = app.getBean(BatchJobs.class);
            assertThat(jobs.compactNow(Granularity.HOUR).getStatus())
                    .isEqualTo(BatchStatus.COMPLETED);
            assertThat(jobs.compactNow(Granularity.DAY).getStatus())
                    .isEqualTo(BatchStatus.COMPLETED);
            assertThat(jobs.retainNow().getStatus()).isEqualTo(BatchStatus.COMPLETED);

            HttpResponse<String> health = get(port, "/actuator/health");
            assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
            JsonNode h = JsonMapper.shared().readTree(health.body());
            assertThat(h.path("status").asString()).isEqualTo("UP");
            assertThat(h.at("/components/control/status").asString()).isEqualTo("UP");
            for (int shard = 0; shard < BatchFixture.SHARDS; shard++) {
                JsonNode s = h.at("/components/shards/components/shard" + shard);
                assertThat(s.path("status").asString()).as(s.toString()).isEqualTo("UP");
                assertThat(s.at("/details/hour/lagBuckets").asLong()).isZero();
                assertThat(s.at("/details/day/lagBuckets").asLong()).isZero();
                assertThat(s.at("/details/hour/compactedThrough").asString())
                        .isEqualTo(CLOCK.instant().truncatedTo(ChronoUnit.HOURS).toString());
            }

            Scrape metrics =
                    awaitPrometheus(
                            port,
                            m ->
                                    m.sum("delivery_metrics_compaction_lag_buckets") == 0
                                            && m.sum(
                                                            "delivery_metrics_compaction_duration_seconds_count")
                                                    == 2);
            assertThat(
                            metrics.value(
                                    "delivery_metrics_compaction_rows_total",
                                    "tier",
                                    "hour",
                                    "shard",
                                    "global"))
                    .as("global minute rows read")
                    .isEqualTo((double) world.typeRows(Granularity.MINUTE));
            for (int shard = 0; shard < BatchFixture.SHARDS; shard++) {
                String id = Integer.toString(shard);
                assertThat(
                                metrics.value(
                                        "delivery_metrics_compaction_rows_total",
                                        "tier",
                                        "hour",
                                        "shard",
                                        id))
                        .as("minute rows read on shard %s", id)
                        .isEqualTo(minuteRows.get(shard).doubleValue());
                assertThat(
                                metrics.value(
                                        "delivery_metrics_compaction_rows_total",
                                        "tier",
                                        "day",
                                        "shard",
                                        id))
                        .as("hour rows read on shard %s", id)
                        .isEqualTo(hourRows.get(shard).doubleValue());
                assertThat(
                                metrics.value(
                                        "delivery_metrics_compaction_buckets_total",
                                        "tier",
                                        "hour",
                                        "shard",
                                        id,
                                        "kind",
                                        "catch-up"))
                        .isEqualTo(hours.get(shard).doubleValue());
                assertThat(
                                metrics.value(
                                        "delivery_metrics_compaction_buckets_total",
                                        "tier",
                                        "hour",
                                        "shard",
                                        id,
                                        "kind",
                                        "repair"))
                        .isZero();
                for (String tier : new String[] {"hour", "day"}) {
                    assertThat(
                                    metrics.value(
                                            "delivery_metrics_compaction_lag_buckets",
                                            "tier",
                                            tier,
                                            "shard",
                                            id))
                            .isZero();
                }
                assertThat(
                                metrics.sum(
                                        "delivery_metrics_compaction_retention_partitions_added_total",
                                        "shard",
                                        id))
                        .isEqualTo(partitionsBesidesFuture(fixture, shard))
                        .isPositive();
                assertThat(
                                metrics.sum(
                                        "delivery_metrics_compaction_retention_partitions_dropped_total",
                                        "shard",
                                        id))
                        .isZero();
            }
            for (String tier : new String[] {"hour", "day"}) {
                assertThat(
                                metrics.value(
                                        "delivery_metrics_compaction_duration_seconds_count",
                                        "tier",
                                        tier,
                                        "outcome",
                                        "completed"))
                        .isEqualTo(1);
            }
            String own = ownMeters(get(port, "/actuator/prometheus").body());
            assertThat(own).contains("delivery_metrics_compaction_lag_buckets{");
            Promtool.Result lint = Promtool.checkMetrics(own);
            assertThat(lint.exitCode()).as(lint.output()).isZero();
            assertThat(lint.output().strip()).as(own).isEmpty();

            HttpResponse<String> rows =
                    get(port, "/actuator/metrics/delivery.metrics.compaction.rows");
            assertThat(rows.statusCode()).isEqualTo(200);
            assertThat(
                            JsonMapper.shared()
                                    .readTree(rows.body())
                                    .at("/measurements/0/value")
                                    .asLong())
                    .isEqualTo(
                            minuteRows.values().stream().mapToLong(Long::longValue).sum()
                                    + hourRows.values().stream().mapToLong(Long::longValue).sum()
                                    + world.typeRows(Granularity.MINUTE)
                                    + world.typeRows(Granularity.HOUR));
        }
    }

    @Test
    void shouldReportDownNamingTheShardThatDoesNotAnswer() throws Exception {
        BatchFixture fixture = new BatchFixture(mariaDb, names);
        BatchApplication.migrate(fixture.config());
        BatchConfig config =
                fixture.with("shards.1.jdbc-url", "jdbc:mysql://127.0.0.1:" + closedPort() + "/x")
                        .with("migrate-on-startup", "false")
                        .with("management.health-timeout", "1s")
                        .config();

        try (ConfigurableApplicationContext app =
                BatchApplication.start(config, BatchApplication.Mode.SCHEDULER)) {
            int port = ManagementConfiguration.port(app);

            HttpResponse<String> health = get(port, "/actuator/health");

            assertThat(health.statusCode()).as(health.body()).isEqualTo(503);
            JsonNode h = JsonMapper.shared().readTree(health.body());
            assertThat(h.path("status").asString()).isEqualTo("DOWN");
            assertThat(h.at("/components/control/status").asString()).isEqualTo("UP");
            assertThat(h.at("/components/shards/status").asString()).isEqualTo("DOWN");
            assertThat(h.at("/components/shards/components/shard0/status").asString())
                    .isEqualTo("UP");
            JsonNode down = h.at("/components/shards/components/shard1");
            assertThat(down.path("status").asString()).isEqualTo("DOWN");
            assertThat(down.at("/details/error").asString()).isNotBlank();

            Scrape metrics =
                    awaitPrometheus(
                            port,
                            m ->
                                    Double.isNaN(
                                            m.value(
                                                    "delivery_metrics_compaction_lag_buckets",
                                                    "tier",
                                                    "hour",
                                                    "shard",
                                                    "1")));
            assertThat(
                            metrics.value(
                                    "delivery_metrics_compaction_lag_buckets",
                                    "tier",
                                    "hour",
                                    "shard",
                                    "0"))
                    .isNotNaN();
        }
    }

    private HttpResponse<String> get(int port, String path)
            throws IOException, InterruptedException {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(20))
                        .GET()
                        .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Scrapes until {@code ready} holds, or fails at the deadline with the last scrape. */
    private Scrape awaitPrometheus(int port, Predicate<Scrape> ready)
            throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(DEADLINE);
        while (true) {
            HttpResponse<String> r = get(port, "/actuator/prometheus");
            assertThat(r.statusCode()).isEqualTo(200);
            Scrape metrics = Scrape.parse(r.body());
            if (ready.test(metrics)) {
                return metrics;
            }
            assertThat(Instant.now())
                    .as("scrape at the deadline:%n%s", r.body())
                    .isBefore(deadline);
            LockSupport.parkNanos(POLL_INTERVAL.toNanos());
        }
    }

    /**
     * The lines of this process's own meters ({@code delivery_metrics_*}): Boot's JVM and process
     * meters follow Micrometer's names, which promtool's lint does not all accept.
     */
    private static String ownMeters(String exposition) {
        StringBuilder out = new StringBuilder();
        for (String line : exposition.split("\n")) {
            if (line.replaceFirst("^# (HELP|TYPE|UNIT) ", "").startsWith("delivery_metrics_")) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    private static long partitionsBesidesFuture(BatchFixture fixture, int shard)
            throws SQLException {
        try (Connection c = fixture.shard(shard);
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT COUNT(*) FROM INFORMATION_SCHEMA.PARTITIONS WHERE"
                                        + " TABLE_SCHEMA = DATABASE() AND PARTITION_NAME <>"
                                        + " 'p_future'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
