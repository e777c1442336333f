package io.deliverymetrics.batch.management;

import com.zaxxer.hikari.HikariDataSource;
import io.deliverymetrics.batch.config.BatchConfig;
import io.deliverymetrics.batch.internal.DatabaseProbe;
import io.deliverymetrics.batch.internal.ShardCompactor;
import io.deliverymetrics.batch.internal.ShardDataSources;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The management side of {@code serve}: Spring Boot Actuator over HTTP on {@code management.port}
 * (health, metrics, Prometheus), the health indicators of the control database and the shards, and
 * the compaction and retention metrics.
 *
 * <p>Only this configuration enables auto-configuration (web server, Actuator, Micrometer); the
 * one-shot commands start without it. Spring reads no configuration of its own: {@link
 * #springProperties} derives the few properties it needs from {@link BatchConfig}.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class ManagementConfiguration {

    /** The Actuator endpoints exposed over HTTP. */
    public static final String ENDPOINTS = "health,metrics,prometheus";

    /** The Spring properties that {@code management} settings stand for. */
    public static Map<String, Object> springProperties(BatchConfig.Management m) {
        return Map.of(
                // The application serves nothing else, so the management endpoints get the main
                // server (one connector, one context) rather than a separate management port.
                "server.port",
                m.port(),
                "management.endpoints.web.exposure.include",
                ENDPOINTS,
                "management.endpoint.health.show-details",
                "always",
                "management.endpoint.health.show-components",
                "always");
    }

    /** The port the management endpoints listen on (the actual one when configured as 0). */
    public static int port(ApplicationContext context) {
        if (context instanceof WebServerApplicationContext web && web.getWebServer() != null) {
            return web.getWebServer().getPort();
        }
        throw new IllegalStateException("this context serves no management endpoints");
    }

    @Bean(destroyMethod = "close")
    public DatabaseProbe databaseProbe(BatchConfig config) {
        return new DatabaseProbe(config.management().healthTimeout());
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    public CompactionLag compactionLag(
            BatchConfig config,
            ShardDataSources shards,
            Clock clock,
            DatabaseProbe probe,
            MeterRegistry registry) {
        List<ShardCompactor> compactors = new ArrayList<>();
        List<DataSource> writers = new ArrayList<>();
        for (int id = 0; id < shards.size(); id++) {
            compactors.add(
                    new ShardCompactor(
                            id,
                            shards.reader(id),
                            shards.writer(id),
                            ShardCompactor.Settings.of(config),
                            clock));
            writers.add(shards.writer(id));
        }
        return new CompactionLag(
                compactors, writers, probe, registry, config.management().lagRefreshInterval());
    }

    @Bean
    public CompactionMetrics compactionMetrics(MeterRegistry registry) {
        return new CompactionMetrics(registry);
    }

    @Bean
    public CompactionJobMetrics compactionJobMetrics(MeterRegistry registry, CompactionLag lag) {
        return new CompactionJobMetrics(registry, lag);
    }

    /** Health component {@code control}. */
    @Bean
    public HealthIndicator controlHealthIndicator(
            HikariDataSource dataSource, DatabaseProbe probe) {
        return DatabaseHealth.control(dataSource, probe);
    }

    /** Health component {@code shards}, with one component {@code shard<N>} per shard. */
    @Bean
    public CompositeHealthContributor shardsHealthContributor(CompactionLag lag) {
        return DatabaseHealth.shards(lag);
    }
}
