package io.deliverymetrics.api.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariDataSource;
import io.deliverymetrics.api.config.ApiConfig;
import io.deliverymetrics.api.goals.Goal;
import io.deliverymetrics.api.goals.GoalParser;
import io.deliverymetrics.api.internal.GoalStore;
import io.deliverymetrics.api.internal.JdbcTotalsStore;
import io.deliverymetrics.api.internal.Pools;
import io.deliverymetrics.api.internal.ShardPools;
import io.deliverymetrics.api.query.Ids;
import io.deliverymetrics.core.config.ConfigException;
import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.sql.Migrator;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/**
 * {@code goal set|list|delete}: manages a workspace's delivery goals in the control database, with
 * the same validation as {@code PUT /v1/workspaces/{ws}/goals/{goal_id}}.
 */
@Command(
        name = "goal",
        mixinStandardHelpOptions = true,
        description = "Manage delivery goals (stored in the control database).",
        subcommands = {GoalCli.Set.class, GoalCli.ListGoals.class, GoalCli.Delete.class})
public final class GoalCli implements Callable<Integer> {

    private final Map<String, String> environment;
    private final PrintStream out;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    private GoalCli(Map<String, String> environment, PrintStream out) {
        this.environment = environment;
        this.out = out;
    }

    /** Runs the CLI; returns the process exit code (2 for a bad goal or bad options). */
    public static int run(
            String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
        return TokenCli.execute(new GoalCli(environment, out), args, out, err);
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(out);
        return 2;
    }

    private <T> T withStore(
            TokenCli.ConfigOptions options,
            List<String> overrides,
            BiFunction<GoalStore, GoalParser, T> action) {
        ApiConfig config = ApiConfig.load(environment, options.args(overrides));
        ApiConfig.Database db =
                config.control()
                        .orElseThrow(() -> new ConfigException("control.jdbc-url is not set"));
        Migrator.migrateControl(db.jdbcUrl(), db.user(), db.password());
        ApiConfig.Pool one = new ApiConfig.Pool(1, config.pool().connectionTimeout());
        try (HikariDataSource ds =
                        Pools.create(
                                "goal-cli", db.jdbcUrl(), db.user(), db.password(), one, false);
                ShardPools shards = new ShardPools(config.shards(), one)) {
            JdbcTotalsStore totals = new JdbcTotalsStore(shards, config.pipelineName());
            GoalParser parser =
                    new GoalParser(config.tiers().retention(Granularity.DAY), totals::hasPair);
            return action.apply(new GoalStore(ds), parser);
        }
    }

    @Command(
            name = "set",
            mixinStandardHelpOptions = true,
            description = "Declare a goal, or replace the one of the same id.")
    static final class Set implements Callable<Integer> {
        @CommandLine.ParentCommand GoalCli parent;

        @Parameters(index = "0", paramLabel = "WORKSPACE_ID")
        String workspace;

        @Parameters(index = "1", paramLabel = "GOAL_ID")
        String goalId;

        @Option(
                names = "--kind",
                required = true,
                description = "success_rate, latency_p95 or data_lag.")
        String kind;

        @Option(
                names = "--target",
                required = true,
                description =
                        "success_rate: a fraction (0.995); latency_p95: ms; data_lag: seconds.")
        double target;

        @Option(names = "--window", description = "success_rate, latency_p95: e.g. 28d, 24h.")
        String window;

        @Option(names = "--source", paramLabel = "SOURCE_ID")
        String source;

        @Option(names = "--destination", paramLabel = "DESTINATION_ID")
        String destination;

        @Option(names = "--description", defaultValue = "")
        String description;

        @CommandLine.Mixin TokenCli.ConfigOptions options = new TokenCli.ConfigOptions();

        @Unmatched List<String> overrides = new ArrayList<>();

        @Override
        public Integer call() {
            Ids.require("workspace", workspace);
            ObjectNode body = new ObjectMapper().createObjectNode();
            body.put("kind", kind);
            body.put("target", target);
            body.put("window", window);
            body.put("source_id", source);
            body.put("destination_id", destination);
            body.put("description", description);
            Goal stored =
                    parent.withStore(
                            options,
                            overrides,
                            (store, parser) -> store.put(parser.parse(workspace, goalId, body)));
            parent.out.println("Stored goal " + stored.goalId() + " of " + workspace + ".");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the goals.")
    static final class ListGoals implements Callable<Integer> {
        @CommandLine.ParentCommand GoalCli parent;

        @Parameters(paramLabel = "WORKSPACE_ID")
        String workspace;

        @CommandLine.Mixin TokenCli.ConfigOptions options = new TokenCli.ConfigOptions();

        @Unmatched List<String> overrides = new ArrayList<>();

        @Override
        public Integer call() {
            Ids.require("workspace", workspace);
            List<Goal> goals = parent.withStore(options, overrides, (s, p) -> s.list(workspace));
            parent.out.printf(
                    "%-24s  %-12s  %10s  %-6s  %-11s  %s%n",
                    "GOAL", "KIND", "TARGET", "WINDOW", "SCOPE", "SOURCE -> DESTINATION");
            for (Goal g : goals) {
                parent.out.printf(
                        "%-24s  %-12s  %10s  %-6s  %-11s  %s%n",
                        g.goalId(),
                        g.kind().wireName(),
                        g.target(),
                        g.window() == null ? "-" : g.window().toHours() + "h",
                        g.scope(),
                        (g.sourceId() == null ? "*" : g.sourceId())
                                + " -> "
                                + (g.destinationId() == null ? "*" : g.destinationId()));
            }
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a goal.")
    static final class Delete implements Callable<Integer> {
        @CommandLine.ParentCommand GoalCli parent;

        @Parameters(index = "0", paramLabel = "WORKSPACE_ID")
        String workspace;

        @Parameters(index = "1", paramLabel = "GOAL_ID")
        String goalId;

        @CommandLine.Mixin TokenCli.ConfigOptions options = new TokenCli.ConfigOptions();

        @Unmatched List<String> overrides = new ArrayList<>();

        @Override
        public Integer call() {
            boolean deleted =
                    parent.withStore(options, overrides, (s, p) -> s.delete(workspace, goalId));
            parent.out.println(
                    deleted
                            ? "Deleted goal " + goalId + " of " + workspace + "."
                            : "No goal " + goalId + " in " + workspace + ".");
            return deleted ? 0 : 1;
        }
    }
}
