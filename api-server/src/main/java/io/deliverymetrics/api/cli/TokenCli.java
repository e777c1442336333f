package io.deliverymetrics.api.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.deliverymetrics.api.auth.ApiToken;
import io.deliverymetrics.api.auth.StoredToken;
import io.deliverymetrics.api.config.ApiConfig;
import io.deliverymetrics.api.internal.Pools;
import io.deliverymetrics.api.internal.TokenStore;
import io.deliverymetrics.api.model.InvalidParam;
import io.deliverymetrics.api.query.Ids;
import io.deliverymetrics.api.query.InvalidRequestException;
import io.deliverymetrics.core.config.ConfigException;
import io.deliverymetrics.sql.Migrator;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/**
 * {@code token create|revoke|list}: manages the API tokens in the control database. The secret of a
 * new token is printed once and never stored.
 */
@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        description = "Manage API tokens (stored hashed in the control database).",
        subcommands = {TokenCli.Create.class, TokenCli.Revoke.class, TokenCli.ListTokens.class})
public final class TokenCli implements Callable<Integer> {

    private final Map<String, String> environment;
    private final PrintStream out;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    private TokenCli(Map<String, String> environment, PrintStream out) {
        this.environment = environment;
        this.out = out;
    }

    /** Runs the CLI; returns the process exit code. */
    public static int run(
            String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
        return execute(new TokenCli(environment, out), args, out, err);
    }

    /**
     * Runs a command line of the server's CLI: {@code error: …} on stderr and exit code 2 for bad
     * input (configuration, options, each invalid field of a request), 1 for any other failure.
     */
    static int execute(Object root, String[] args, PrintStream out, PrintStream err) {
        CommandLine cl =
                new CommandLine(root)
                        .setOut(new PrintWriter(out, true, StandardCharsets.UTF_8))
                        .setErr(new PrintWriter(err, true, StandardCharsets.UTF_8))
                        .setExecutionExceptionHandler(
                                (e, cmd, parsed) -> {
                                    if (e instanceof InvalidRequestException bad) {
                                        for (InvalidParam p : bad.invalidParams()) {
                                            cmd.getErr()
                                                    .println(
                                                            "error: "
                                                                    + p.name()
                                                                    + " "
                                                                    + p.reason());
                                        }
                                        return 2;
                                    }
                                    cmd.getErr().println("error: " + e.getMessage());
                                    return e instanceof ConfigException
                                                    || e instanceof IllegalArgumentException
                                            ? 2
                                            : 1;
                                });
        return cl.execute(args);
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(out);
        return 2;
    }

    /**
     * The {@code --config} option shared by the subcommands; each also collects {@code --key=value}
     * overrides as unmatched arguments.
     */
    static class ConfigOptions {
        @Option(
                names = "--config",
                paramLabel = "FILE",
                description = "Configuration file (as for the server).")
        String config;

        String[] args(List<String> overrides) {
            List<String> a = new ArrayList<>(overrides);
            if (config != null) {
                a.add("--config");
                a.add(config);
            }
            return a.toArray(String[]::new);
        }
    }

    private <T> T withStore(
            ConfigOptions options, List<String> overrides, Function<TokenStore, T> action) {
        ApiConfig config = ApiConfig.load(environment, options.args(overrides));
        ApiConfig.Database db =
                config.control()
                        .orElseThrow(() -> new ConfigException("control.jdbc-url is not set"));
        Migrator.migrateControl(db.jdbcUrl(), db.user(), db.password());
        try (HikariDataSource ds =
                Pools.create(
                        "token-cli",
                        db.jdbcUrl(),
                        db.user(),
                        db.password(),
                        new ApiConfig.Pool(1, config.pool().connectionTimeout()),
                        false)) {
            return action.apply(new TokenStore(ds, new SecureRandom()));
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a token.")
    static final class Create implements Callable<Integer> {
        @CommandLine.ParentCommand TokenCli parent;

        @Option(
                names = "--workspace",
                paramLabel = "WORKSPACE_ID",
                description = "The one workspace the token may read.")
        String workspace;

        @Option(
                names = "--operator",
                description =
                        "An operator token instead: no workspace, accepted only on the operator"
                                + " routes (e.g. GET /v1/destinations).")
        boolean operator;

        @Option(
                names = "--description",
                defaultValue = "",
                description = "Free text shown in listings.")
        String description;

        @CommandLine.Mixin ConfigOptions options = new ConfigOptions();

        @Unmatched List<String> overrides = new ArrayList<>();

        @Override
        public Integer call() {
            if (operator == (workspace != null)) {
                throw new IllegalArgumentException(
                        "give exactly one of --workspace WORKSPACE_ID and --operator");
            }
            if (operator) {
                ApiToken token =
                        parent.withStore(options, overrides, s -> s.createOperator(description));
                parent.out.println(
                        "Created operator token "
                                + token.id()
                                + " (operator routes only, no workspace). Store it now; it is not"
                                + " shown again:");
                parent.out.println(token.value());
                return 0;
            }
            if (!Ids.isValid(workspace)) {
                throw new IllegalArgumentException("--workspace " + Ids.RULE);
            }
            ApiToken token =
                    parent.withStore(options, overrides, s -> s.create(workspace, description));
            parent.out.println(
                    "Created token "
                            + token.id()
                            + " for workspace "
                            + workspace
                            + ". Store it now; it is not shown again:");
            parent.out.println(token.value());
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token.")
    static final class Revoke implements Callable<Integer> {
        @CommandLine.ParentCommand TokenCli parent;

        @Parameters(paramLabel = "TOKEN_ID", description = "The token id (dm_ prefix optional).")
        String id;

        @CommandLine.Mixin ConfigOptions options = new ConfigOptions();

        @Unmatched List<String> overrides = new ArrayList<>();

        @Override
        public Integer call() {
            String tokenId =
                    ApiToken.parseId(id)
                            .orElseThrow(
                                    () ->
                                            new IllegalArgumentException(
                                                    "not a token id: expected 16 hex characters"));
            boolean revoked = parent.withStore(options, overrides, s -> s.revoke(tokenId));
            parent.out.println(
                    revoked
                            ? "Revoked token " + tokenId + "."
                            : "No valid token " + tokenId + " (unknown or already revoked).");
            return revoked ? 0 : 1;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List tokens.")
    static final class ListTokens implements Callable<Integer> {
        @CommandLine.ParentCommand TokenCli parent;

        @Option(names = "--workspace", paramLabel = "WORKSPACE_ID", description = "Only this one.")
        String workspace;

        @Option(names = "--operator", description = "Only operator tokens.")
        boolean operator;

        @CommandLine.Mixin ConfigOptions options = new ConfigOptions();

        @Unmatched List<String> overrides = new ArrayList<>();

        @Override
        public Integer call() {
            if (operator && workspace != null) {
                throw new IllegalArgumentException(
                        "give at most one of --workspace WORKSPACE_ID and --operator");
            }
            List<StoredToken> tokens =
                    parent.withStore(
                            options,
                            overrides,
                            s ->
                                    operator
                                            ? s.listOperators()
                                            : s.list(Optional.ofNullable(workspace)));
            parent.out.printf(
                    "%-16s  %-9s  %-24s  %-27s  %-27s  %s%n",
                    "ID", "SCOPE", "WORKSPACE", "CREATED", "REVOKED", "DESCRIPTION");
            for (StoredToken t : tokens) {
                parent.out.printf(
                        "%-16s  %-9s  %-24s  %-27s  %-27s  %s%n",
                        t.id(),
                        t.operator() ? "operator" : "workspace",
                        t.operator() ? "-" : t.workspaceId(),
                        t.createdAt(),
                        t.revoked() ? t.revokedAt() : "-",
                        t.description());
            }
            return 0;
        }
    }
}
