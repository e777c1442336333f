package io.deliverymetrics.batch;

import io.deliverymetrics.batch.compaction.CompactionListener;
import io.deliverymetrics.batch.config.BatchConfig;
import io.deliverymetrics.batch.job.BatchInfrastructureConfiguration;
import io.deliverymetrics.batch.job.BatchJobs;
import io.deliverymetrics.batch.job.CompactionJobConfiguration;
import io.deliverymetrics.batch.management.ManagementConfiguration;
import io.deliverymetrics.batch.schedule.SchedulerConfiguration;
import io.deliverymetrics.sql.Migrator;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Builds the batch application: migrations, then a Spring context with the job repository, the
 * three jobs and (when serving) the clustered Quartz scheduler and the management endpoints. Tests
 * call {@link #start} with their own configuration and listeners, {@link BatchMain} with the loaded
 * one.
 */
@SpringBootConfiguration
@Import({BatchInfrastructureConfiguration.class, CompactionJobConfiguration.class, BatchJobs.class})
public class BatchApplication {

    /** What the context runs besides the jobs. */
    public enum Mode {
        /**
         * {@code serve}: the Quartz schedule, and the management endpoints (health, metrics) on
         * {@code management.port}.
         */
        SCHEDULER,
        /** Only the jobs, launched by the caller (one-shot commands, tests). */
        JOBS_ONLY
    }

    /**
     * Migrates the databases (unless disabled) and starts the context on the system clock.
     *
     * @param listeners extra compaction listeners (progress output, tests)
     */
    public static ConfigurableApplicationContext start(
            BatchConfig config, Mode mode, CompactionListener... listeners) {
        return start(config, mode, Clock.systemUTC(), listeners);
    }

    /**
     * Migrates the databases (unless disabled) and starts the context.
     *
     * @param clock what "now" is for scheduled runs, limits and lag
     * @param listeners extra compaction listeners (progress output, tests)
     */
    public static ConfigurableApplicationContext start(
            BatchConfig config, Mode mode, Clock clock, CompactionListener... listeners) {
        if (config.migrateOnStartup()) {
            migrate(config);
        }
        boolean serving = mode == Mode.SCHEDULER;
        List<Class<?>> sources = new ArrayList<>(List.of(BatchApplication.class));
        if (serving) {
            sources.add(SchedulerConfiguration.class);
            sources.add(ManagementConfiguration.class);
        }
        return new SpringApplicationBuilder(sources.toArray(Class<?>[]::new))
                .web(serving ? WebApplicationType.SERVLET : WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .initializers(
                        context -> {
                            GenericApplicationContext ctx = (GenericApplicationContext) context;
                            if (serving) {
                                // First, so that no property file or variable Spring reads on its
                                // own overrides what BatchConfig says.
                                ctx.getEnvironment()
                                        .getPropertySources()
                                        .addFirst(
                                                new MapPropertySource(
                                                        "deliveryMetricsBatch",
                                                        ManagementConfiguration.springProperties(
                                                                config.management())));
                            }
                            ctx.registerBean(BatchConfig.class, () -> config);
                            ctx.registerBean(Clock.class, () -> clock);
                            for (int i = 0; i < listeners.length; i++) {
                                CompactionListener l = listeners[i];
                                ctx.registerBean(
                                        "compactionListener" + i,
                                        CompactionListener.class,
                                        () -> l);
                            }
                        })
                .run();
    }

    /** Applies the shard and control migrations (creating the databases if needed). */
    public static void migrate(BatchConfig config) {
        Migrator.migrateShards(config.shards());
        Migrator.migrateGlobal(config.global());
        Migrator.migrateControl(
                config.control().jdbcUrl(), config.control().user(), config.control().password());
    }
}
