package io.deliverymetrics.batch;

import io.deliverymetrics.batch.compaction.CompactionListener;
import io.deliverymetrics.batch.config.BatchConfig;
import io.deliverymetrics.batch.job.BatchInfrastructureConfiguration;
import io.deliverymetrics.batch.job.BatchJobs;
import io.deliverymetrics.batch.job.CompactionJobConfiguration;
import io.deliverymetrics.batch.schedule.SchedulerConfiguration;
import io.deliverymetrics.sql.Migrator;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.context.support.GenericApplicationContext;

/**
 * Builds the batch application: migrations, then a Spring context with the job repository, the
 * three jobs and (when serving) the clustered Quartz scheduler. Tests call {@link #start} with
 * their own configuration and listeners, {@link BatchMain} with the loaded one.
 */
@SpringBootConfiguration
@Import({BatchInfrastructureConfiguration.class, CompactionJobConfiguration.class, BatchJobs.class})
public class BatchApplication {

    /** Whether the context runs the Quartz schedule or only offers the jobs (CLI, tests). */
    public enum Mode {
        SCHEDULER,
        JOBS_ONLY
    }

    /**
     * Migrates the databases (unless disabled) and starts the context.
     *
     * @param listeners extra compaction listeners (progress output, metrics, tests)
     */
    public static ConfigurableApplicationContext start(
            BatchConfig config, Mode mode, CompactionListener... listeners) {
        if (config.migrateOnStartup()) {
            migrate(config);
        }
        List<Class<?>> sources = new ArrayList<>(List.of(BatchApplication.class));
        if (mode == Mode.SCHEDULER) {
            sources.add(SchedulerConfiguration.class);
        }
        return new SpringApplicationBuilder(sources.toArray(Class<?>[]::new))
                .web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .initializers(
                        context -> {
                            GenericApplicationContext ctx = (GenericApplicationContext) context;
                            ctx.registerBean(BatchConfig.class, () -> config);
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
        Migrator.migrateControl(
                config.control().jdbcUrl(), config.control().user(), config.control().password());
    }
}
