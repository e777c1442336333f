package io.deliverymetrics.batch.cli;

import io.deliverymetrics.batch.BatchApplication;
import io.deliverymetrics.batch.config.BatchConfig;
import io.deliverymetrics.batch.internal.ShardCompactor;
import io.deliverymetrics.batch.internal.ShardDataSources;
import io.deliverymetrics.batch.job.BatchJobs;
import io.deliverymetrics.batch.management.ManagementConfiguration;
import io.deliverymetrics.batch.model.CompactionRequest;
import io.deliverymetrics.batch.model.Databases;
import io.deliverymetrics.batch.model.TierStatus;
import io.deliverymetrics.core.time.Granularity;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * The command line of the batch jar: {@code serve} (the default), {@code compact}, {@code retain}
 * and {@code status}. Every command takes {@code --config FILE} and {@code --key=value} overrides
 * of any configuration key.
 */
@Command(
        name = "delivery-metrics-batch",
        mixinStandardHelpOptions = true,
        subcommands = {
            BatchCli.Serve.class,
            BatchCli.Compact.class,
            BatchCli.Retain.class,
            BatchCli.Status.class
        },
        description = "Compaction, retention and their schedule for Delivery Metrics.")
public final class BatchCli implements Callable<Integer> {

    private final Map<String, String> env;
    private final PrintStream out;

    public BatchCli(Map<String, String> env, PrintStream out) {
        this.env = env;
        this.out = out;
    }

    /** Parses and runs {@code args}; returns the process exit code. */
    public static int run(Map<String, String> env, PrintStream out, String... args) {
        BatchCli cli = new BatchCli(env, out);
        CommandLine cl =
                new CommandLine(
                        cli,
                        new CommandLine.IFactory() {
                            @Override
                            public <K> K create(Class<K> cls) throws Exception {
                                if (cls.getEnclosingClass() == BatchCli.class) {
                                    return cls.getDeclaredConstructor(BatchCli.class)
                                            .newInstance(cli);
                                }
                                return CommandLine.defaultFactory().create(cls);
                            }
                        });
        cl.setOut(new java.io.PrintWriter(out, true));
        return cl.execute(args);
    }

    @Override
    public Integer call() {
        out.println("no command given; use serve, compact, retain or status (--help)");
        return 2;
    }

    /** Options every command shares. */
    abstract class Base implements Callable<Integer> {
        @Option(names = "--config", description = "YAML or properties file")
        Path config;

        @Unmatched List<String> overrides = new ArrayList<>();

        BatchConfig config() {
            List<String> args = new ArrayList<>();
            if (config != null) {
                args.add("--config");
                args.add(config.toString());
            }
            args.addAll(overrides);
            return BatchConfig.load(env, args.toArray(String[]::new));
        }
    }

    @Command(
            name = "serve",
            mixinStandardHelpOptions = true,
            description = "Run the clustered Quartz schedule until stopped.")
    class Serve extends Base {
        @Override
        public Integer call() {
            ConfigurableApplicationContext ctx =
                    BatchApplication.start(config(), BatchApplication.Mode.SCHEDULER);
            out.printf(
                    "serving; health and metrics on http://localhost:%d/actuator/ (%s)%n",
                    ManagementConfiguration.port(ctx), ManagementConfiguration.ENDPOINTS);
            // Quartz and web server threads keep the JVM alive; Spring's shutdown hook stops them
            // cleanly.
            return 0;
        }
    }

    @Command(
            name = "compact",
            mixinStandardHelpOptions = true,
            description =
                    "Compact one tier now: without --from, catch up from each shard's watermark"
                            + " and repair dirty buckets; with --from, recompute the complete"
                            + " buckets of [from, to).")
    class Compact extends Base {
        @Option(names = "--tier", required = true, description = "hour or day")
        String tier;

        @Option(names = "--from", description = "ISO-8601 instant, e.g. 2026-11-26T00:00:00Z")
        Instant from;

        @Option(names = "--to", description = "ISO-8601 instant (default: now - buffer)")
        Instant to;

        @Option(
                names = "--shard",
                description =
                        "only this shard id (without it, every shard and the global database)")
        Integer shard;

        @Override
        public Integer call() throws Exception {
            Granularity g =
                    Granularity.fromWireName(tier)
                            .filter(t -> t != Granularity.MINUTE)
                            .orElseThrow(
                                    () ->
                                            new CommandLine.ParameterException(
                                                    new CommandLine(this),
                                                    "--tier must be hour or day"));
            BatchConfig cfg = config();
            Instant end =
                    to != null
                            ? to
                            : Clock.systemUTC()
                                    .instant()
                                    .minus(cfg.compaction().buffer())
                                    .truncatedTo(ChronoUnit.SECONDS);
            CompactionRequest request =
                    new CompactionRequest(
                            g,
                            end,
                            Optional.ofNullable(from),
                            shard == null ? OptionalInt.empty() : OptionalInt.of(shard));
            ConsoleProgress progress = new ConsoleProgress(out);
            long started = System.nanoTime();
            try (ConfigurableApplicationContext ctx =
                    BatchApplication.start(cfg, BatchApplication.Mode.JOBS_ONLY, progress)) {
                JobExecution e = ctx.getBean(BatchJobs.class).compact(request);
                double secs = (System.nanoTime() - started) / 1e9;
                out.printf(
                        "%s %s: %d bucket(s), %d %s row(s) read, %d %s row(s) written in %.1f s"
                                + " (%.0f source rows/s)%n",
                        e.getJobInstance().getJobName(),
                        e.getStatus(),
                        progress.buckets(),
                        progress.sourceRows(),
                        g.finer().orElseThrow().wireName(),
                        progress.targetRows(),
                        g.wireName(),
                        secs,
                        progress.sourceRows() / Math.max(secs, 1e-9));
                return e.getStatus() == BatchStatus.COMPLETED ? 0 : 1;
            }
        }
    }

    @Command(
            name = "retain",
            mixinStandardHelpOptions = true,
            description = "Create upcoming partitions and drop expired ones now.")
    class Retain extends Base {
        @Option(names = "--at", description = "ISO-8601 instant to apply retention as of")
        Instant at;

        @Option(
                names = "--shard",
                description =
                        "only this shard id (without it, every shard and the global database)")
        Integer shard;

        @Override
        public Integer call() throws Exception {
            try (ConfigurableApplicationContext ctx =
                    BatchApplication.start(config(), BatchApplication.Mode.JOBS_ONLY)) {
                BatchJobs jobs = ctx.getBean(BatchJobs.class);
                JobExecution e =
                        jobs.retain(
                                at != null ? at : Instant.now().truncatedTo(ChronoUnit.SECONDS),
                                shard == null ? OptionalInt.empty() : OptionalInt.of(shard));
                out.printf("retentionJob %s%n", e.getStatus());
                return e.getStatus() == BatchStatus.COMPLETED ? 0 : 1;
            }
        }
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description =
                    "Per shard (and the global database) and tier: compacted through, complete"
                            + " through, lag.")
    class Status extends Base {
        @Override
        public Integer call() throws Exception {
            BatchConfig cfg = config();
            out.printf(
                    "%-6s %-4s %-20s %-20s %-26s %s%n",
                    "shard",
                    "tier",
                    "compacted_through",
                    "complete_through",
                    "changes_seen_through",
                    "lag_buckets");
            try (ShardDataSources shards =
                    ShardDataSources.open(
                            cfg.shards(), cfg.global(), cfg.compaction().shardPoolSize())) {
                for (int id : shards.ids()) {
                    ShardCompactor c =
                            new ShardCompactor(
                                    id,
                                    shards.reader(id),
                                    shards.writer(id),
                                    ShardCompactor.Settings.of(cfg),
                                    Clock.systemUTC());
                    for (Granularity g : List.of(Granularity.HOUR, Granularity.DAY)) {
                        TierStatus s = c.status(g);
                        out.printf(
                                "%-6s %-4s %-20s %-20s %-26s %d%n",
                                Databases.label(s.shard()),
                                g.wireName(),
                                s.compactedThrough().map(Object::toString).orElse("-"),
                                s.completeThrough(),
                                s.changesSeenThrough().map(Object::toString).orElse("-"),
                                s.lagBuckets());
                    }
                }
            }
            return 0;
        }
    }
}
