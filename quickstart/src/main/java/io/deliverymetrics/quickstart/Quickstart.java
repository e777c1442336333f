package io.deliverymetrics.quickstart;

import com.zaxxer.hikari.HikariDataSource;
import io.deliverymetrics.api.ApiServer;
import io.deliverymetrics.api.auth.ApiToken;
import io.deliverymetrics.api.cli.GoalCli;
import io.deliverymetrics.api.config.ApiConfig;
import io.deliverymetrics.api.internal.JdbcTotalsStore;
import io.deliverymetrics.api.internal.ShardPools;
import io.deliverymetrics.api.internal.TokenStore;
import io.deliverymetrics.core.config.ConfigLoader;
import io.deliverymetrics.core.config.Settings;
import io.deliverymetrics.core.shard.ShardMap;
import io.deliverymetrics.flink.DeliveryMetricsJob;
import io.deliverymetrics.flink.config.JobConfig;
import io.deliverymetrics.infra.EmbeddedKafka;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.loadgen.LoadRunner;
import io.deliverymetrics.loadgen.config.Incident;
import io.deliverymetrics.loadgen.config.KafkaSinkConfig;
import io.deliverymetrics.loadgen.config.LoadSpec;
import io.deliverymetrics.loadgen.generator.IncidentSchedule;
import io.deliverymetrics.loadgen.generator.LoadGenerator;
import io.deliverymetrics.loadgen.generator.PairCatalog;
import io.deliverymetrics.loadgen.model.FailureProfile;
import io.deliverymetrics.loadgen.model.Pair;
import io.deliverymetrics.loadgen.sink.KafkaLoadSink;
import io.deliverymetrics.sql.Migrator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the whole system on one machine — broker, database, Flink job (MiniCluster with web UI),
 * compaction, API server, load generator — and stops every part on {@link #close()}.
 *
 * <p>The load runs rotating incidents, a steady one on the demo workspace's busiest pair, which
 * discards half of its events, and the status incident: the destination type with the most
 * workspaces goes down in all of them a few minutes after the start and then periodically, so the
 * destination status (operators' and public) shows an outage. The demo workspace gets delivery
 * goals (declared as {@code goal set} declares them, so validated and stored as by the API) that
 * show the incident burning its error budget next to a healthy pair.
 */
public final class Quickstart implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Quickstart.class);

    private final QuickstartConfig config;
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private Path workDir;
    private String bootstrapServers;
    private Map<String, String> wiring;
    private JobClient job;
    private ApiServer api;
    private Process batch;
    private Path batchLog;
    private LoadRunner loadRunner;
    private String demoWorkspace;
    private String demoToken;
    private String operatorToken;
    private String statusIncidentType;
    private int statusIncidentWorkspaces;
    private Pair incidentPair;
    private Pair healthyPair;
    private Thread goalsThread;
    private volatile boolean closing;

    /** Goal of the demo workspace: 99 % of its events delivered over 7 days. */
    public static final String WORKSPACE_GOAL = "deliveries";

    /** Goal of the demo workspace: p95 latency of 5 s over 7 days. */
    public static final String LATENCY_GOAL = "latency-p95";

    /** Goal of the pair with the steady incident: 99 % over 7 days, burning. */
    public static final String INCIDENT_PAIR_GOAL = "incident-pair";

    /** Goal of a healthy pair of the demo workspace, for contrast. */
    public static final String HEALTHY_PAIR_GOAL = "healthy-pair";

    /** How long the healthy pair is left alone by the rotating incidents, at least. */
    static final Duration HEALTHY_FOR = Duration.ofMinutes(30);

    /** How long the load runs. */
    private static final Duration RUN = Duration.ofDays(30);

    private Quickstart(QuickstartConfig config) {
        this.config = config;
    }

    /** Starts everything; on failure, stops what was started and rethrows. */
    public static Quickstart start(QuickstartConfig config) throws Exception {
        Quickstart q = new Quickstart(config);
        try {
            q.startAll();
            return q;
        } catch (Exception | Error e) {
            q.close();
            throw e;
        }
    }

    private void startAll() throws Exception {
        workDir = Files.createTempDirectory("delivery-metrics-quickstart-");
        startStorageAndBroker();
        createTopics();
        Migrator.migrateShards(ShardMap.fromSettings(Settings.of(wiring)));
        Migrator.migrateControl(
                wiring.get("control.jdbc-url"),
                wiring.get("control.user"),
                wiring.get("control.password"));
        startJob();
        startApi();
        if (config.batchEnabled()) {
            startBatch();
        }
        demoWorkspace = config.settings().string("api.demo-workspace", "ws_acme");
        if (config.loadgenEnabled()) {
            startLoad();
        }
        if (config.auth()) {
            demoToken = createToken(s -> s.create(demoWorkspace, "quickstart demo token"));
            operatorToken = createToken(s -> s.createOperator("quickstart operator token"));
        }
        if (config.loadgenEnabled() && wiring.containsKey("control.jdbc-url")) {
            declareDemoGoals();
        }
    }

    private void startStorageAndBroker() {
        wiring = new LinkedHashMap<>();
        Settings s = config.settings();
        if (config.embedded()) {
            EmbeddedKafka kafka = EmbeddedKafka.start();
            toClose.add(kafka);
            EmbeddedMariaDb db = EmbeddedMariaDb.start();
            toClose.add(db);
            bootstrapServers = kafka.bootstrapServers();
            for (int i = 0; i < config.embeddedShards(); i++) {
                wiring.put("shards." + i + ".jdbc-url", db.jdbcUrl("delivery_metrics_" + i));
                wiring.put("shards." + i + ".user", db.user());
                wiring.put("shards." + i + ".password", db.password());
            }
            wiring.put("control.jdbc-url", db.jdbcUrl("delivery_metrics_control"));
            wiring.put("control.user", db.user());
            wiring.put("control.password", db.password());
        } else {
            bootstrapServers = s.string("kafka.bootstrap-servers");
            for (Map.Entry<String, String> e : s.asMap().entrySet()) {
                if (e.getKey().startsWith("shards.")
                        || e.getKey().startsWith("shard-overrides.")
                        || e.getKey().startsWith("control.")) {
                    wiring.put(e.getKey(), e.getValue());
                }
            }
            wiring.putIfAbsent("control.user", "root");
            wiring.putIfAbsent("control.password", "");
        }
        wiring.put("kafka.bootstrap-servers", bootstrapServers);
        wiring.put("kafka.topic", config.topic());
        wiring.put("pipeline-name", "delivery-metrics");
    }

    private void createTopics() throws InterruptedException, ExecutionException {
        Map<String, Object> props =
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> topics = new ArrayList<>();
            for (String t :
                    List.of(
                            config.topic(),
                            config.topic() + "-dead-letter",
                            config.topic() + "-late")) {
                if (!existing.contains(t)) {
                    topics.add(
                            new NewTopic(
                                    t,
                                    t.equals(config.topic()) ? config.partitions() : 1,
                                    (short) 1));
                }
            }
            admin.createTopics(topics).all().get();
        }
        wiring.put("kafka.dead-letter-topic", config.topic() + "-dead-letter");
        wiring.put("kafka.late-topic", config.topic() + "-late");
    }

    private void startJob() throws Exception {
        Map<String, String> jobSettings = new LinkedHashMap<>(wiring);
        jobSettings.put("kafka.starting-offsets", "committed");
        jobSettings.putIfAbsent(
                "checkpoint.dir", workDir.resolve("flink-checkpoints").toUri().toString());
        JobConfig jobConfig =
                JobConfig.from(
                        ConfigLoader.create()
                                .withDefaultsResource(JobConfig.class, "/delivery-metrics-job.yaml")
                                .withOverrides(jobSettings)
                                .load());
        Configuration flink = DeliveryMetricsJob.flinkConfiguration(jobConfig);
        flink.set(RestOptions.PORT, config.flinkWebPort());
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(flink);
        env.setParallelism(config.parallelism());
        DeliveryMetricsJob.build(
                env,
                jobConfig,
                DeliveryMetricsJob.kafkaSource(jobConfig),
                DeliveryMetricsJob.productionSinks(jobConfig));
        job = env.executeAsync(jobConfig.pipelineName());
        LOG.info("Flink job {} submitted", job.getJobID());
    }

    private void startApi() {
        Map<String, String> apiSettings = new LinkedHashMap<>(wiring);
        apiSettings.put("server.port", Integer.toString(config.apiPort()));
        apiSettings.put("server.migrate-on-start", "false");
        apiSettings.put("auth.enabled", Boolean.toString(config.auth()));
        apiSettings.put("admin.port", config.settings().string("api.admin-port", "8091"));
        api = ApiServer.create(ApiConfig.withOverrides(apiSettings)).start();
    }

    private void startBatch() throws IOException {
        Path jar = config.batchJar();
        if (!Files.isRegularFile(jar)) {
            LOG.warn(
                    "Compaction jar {} not found; hour and day rows are computed on the fly only",
                    jar);
            return;
        }
        Map<String, String> batchSettings = new LinkedHashMap<>(wiring);
        batchSettings.put("migrate-on-startup", "false");
        batchSettings.put(
                "schedule.hour-compaction-cron",
                config.settings().string("batch.hour-compaction-cron"));
        batchSettings.put(
                "schedule.day-compaction-cron",
                config.settings().string("batch.day-compaction-cron"));
        batchSettings.put(
                "management.port", config.settings().string("batch.management-port", "8090"));
        // A properties file rather than arguments, so database passwords do not show up in ps.
        Properties props = new Properties();
        props.putAll(batchSettings);
        Path file = workDir.resolve("batch.properties");
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            props.store(w, "written by the quickstart");
        }
        List<String> args =
                List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx512m",
                        "-jar",
                        jar.toAbsolutePath().toString(),
                        "serve",
                        "--config",
                        file.toString());
        batchLog = workDir.resolve("batch-compaction.log");
        batch =
                new ProcessBuilder(args)
                        .redirectErrorStream(true)
                        .redirectOutput(batchLog.toFile())
                        .start();
        LOG.info("Compaction started (pid {}), log: {}", batch.pid(), batchLog);
    }

    private void startLoad() {
        LoadSpec.Builder builder =
                LoadSpec.builder()
                        .withSeed(config.loadgenSeed())
                        .withRealtime(true)
                        .withRate(config.loadgenRate())
                        .withDuration(RUN)
                        .withWorkspaces(config.loadgenWorkspaces())
                        .withPairs(config.loadgenPairs())
                        .withLateShare(config.lateShare())
                        .withMalformedShare(config.malformedShare())
                        .withIncidentEvery(config.incidentEvery());
        // The catalog and the rotation as the run will have them (they do not depend on the
        // start): the busiest workspace is the demo workspace, its busiest pair gets the steady
        // incident.
        PairCatalog catalog = preview(builder).catalog();
        if (config.typeIncidentEvery() != null) {
            addStatusIncident(builder, catalog);
        }
        LoadGenerator preview = preview(builder);
        incidentPair = catalog.pairsByPopularity().get(0);
        demoWorkspace = incidentPair.workspaceId();
        healthyPair = healthyPair(preview, incidentPair).orElse(null);
        if (config.pairIncidentShare() > 0) {
            builder.withIncident(
                    Incident.pairDiscards(
                            incidentPair.key(), config.pairIncidentShare(), Duration.ZERO, RUN));
        } else {
            incidentPair = null;
        }
        LoadSpec spec = builder.build();
        KafkaLoadSink sink =
                KafkaLoadSink.create(
                        KafkaSinkConfig.of(bootstrapServers, config.topic()), record -> {});
        loadRunner = new LoadRunner(spec, sink);
        Thread t =
                new Thread(
                        () -> {
                            try (sink) {
                                loadRunner.run();
                            } catch (RuntimeException e) {
                                LOG.error("Load generator stopped: {}", e.toString());
                            }
                        },
                        "load-generator");
        t.setDaemon(true);
        t.start();
    }

    /** The run's catalog and incidents as {@code builder} has them, without sending anything. */
    private static LoadGenerator preview(LoadSpec.Builder builder) {
        return LoadGenerator.create(builder.build().toBuilder().withRealtime(false).build());
    }

    /**
     * Schedules the status incident: the destination type that the most workspaces send to (the
     * most popular first on a tie) is down in every one of them for {@code
     * loadgen.type-incident-length}, from {@code loadgen.type-incident-start} and then every {@code
     * loadgen.type-incident-every}, for the whole run.
     */
    private void addStatusIncident(LoadSpec.Builder builder, PairCatalog catalog) {
        Map<String, Set<String>> workspaces = new LinkedHashMap<>();
        for (Pair p : catalog.pairsByPopularity()) {
            workspaces
                    .computeIfAbsent(catalog.destinationOf(p).type(), t -> new HashSet<>())
                    .add(p.workspaceId());
        }
        Map.Entry<String, Set<String>> widest =
                workspaces.entrySet().stream()
                        .max(Comparator.comparingInt(e -> e.getValue().size()))
                        .orElseThrow();
        statusIncidentType = widest.getKey();
        statusIncidentWorkspaces = widest.getValue().size();
        for (Duration at = config.typeIncidentStart();
                at.compareTo(RUN) < 0;
                at = at.plus(config.typeIncidentEvery())) {
            builder.withIncident(
                    Incident.ofType(
                            Incident.Kind.TYPE_DOWN,
                            statusIncidentType,
                            at,
                            config.typeIncidentLength()));
        }
    }

    /**
     * The demo workspace's busiest pair, other than {@code incident}, whose destination is healthy
     * and that no incident (rotating or the status incident) touches in the first {@link
     * #HEALTHY_FOR}.
     */
    private static Optional<Pair> healthyPair(LoadGenerator preview, Pair incident) {
        PairCatalog catalog = preview.catalog();
        long start = preview.spec().start().toEpochMilli();
        List<IncidentSchedule.Window> early =
                preview.incidents().windows().stream()
                        .filter(w -> w.fromMs() - start < HEALTHY_FOR.toMillis())
                        .toList();
        return catalog.pairsByPopularity().stream()
                .filter(p -> p.workspaceId().equals(incident.workspaceId()) && !p.equals(incident))
                .filter(p -> catalog.destinationOf(p).profile() == FailureProfile.HEALTHY)
                .filter(
                        p ->
                                early.stream()
                                        .noneMatch(
                                                w ->
                                                        w.target().equals(p.key())
                                                                || w.target()
                                                                        .equals(
                                                                                catalog.destinationOf(
                                                                                                p)
                                                                                        .type())))
                .findFirst();
    }

    /**
     * Declares the demo workspace's goals in the background with {@code goal set} (the API's
     * validation and store): the workspace ones at once, the pair ones once their pair has a final
     * minute, which the validation requires.
     */
    private void declareDemoGoals() {
        List<DemoGoal> pending = new ArrayList<>();
        pending.add(
                new DemoGoal(
                        null,
                        List.of(
                                WORKSPACE_GOAL,
                                "--kind=success_rate",
                                "--target=0.99",
                                "--window=7d",
                                "--description=99 % of the workspace's events delivered, over 7"
                                        + " days")));
        pending.add(
                new DemoGoal(
                        null,
                        List.of(
                                LATENCY_GOAL,
                                "--kind=latency_p95",
                                "--target=5000",
                                "--window=7d",
                                "--description=95 % of deliveries within 5 s of receipt, over 7"
                                        + " days")));
        if (incidentPair != null) {
            pending.add(
                    pairGoal(
                            INCIDENT_PAIR_GOAL,
                            incidentPair,
                            "This pair discards part of its events (a simulated incident)"));
        }
        if (healthyPair != null) {
            pending.add(pairGoal(HEALTHY_PAIR_GOAL, healthyPair, "A healthy pair, for contrast"));
        }
        List<String> connection = new ArrayList<>();
        wiring.forEach((k, v) -> connection.add("--" + k + "=" + v));
        goalsThread =
                new Thread(
                        () -> {
                            try {
                                declare(pending, connection);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            } catch (RuntimeException e) {
                                LOG.warn("Declaring the demo goals failed: {}", e.toString());
                            }
                        },
                        "demo-goals");
        goalsThread.setDaemon(true);
        goalsThread.start();
    }

    /** A demo goal: the arguments of {@code goal set} after the workspace, and its pair or null. */
    private record DemoGoal(Pair pair, List<String> args) {}

    private static DemoGoal pairGoal(String id, Pair pair, String description) {
        return new DemoGoal(
                pair,
                List.of(
                        id,
                        "--kind=success_rate",
                        "--target=0.99",
                        "--window=7d",
                        "--source=" + pair.sourceId(),
                        "--destination=" + pair.destinationId(),
                        "--description=" + description));
    }

    private void declare(List<DemoGoal> pending, List<String> connection)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        String lastProblem = "";
        ApiConfig api = ApiConfig.withOverrides(wiring);
        // The validation wants a final minute of a goal's pair: wait for it with the same check,
        // rather than run the command until it stops refusing.
        try (ShardPools shards =
                new ShardPools(
                        api.shards(), new ApiConfig.Pool(1, api.pool().connectionTimeout()))) {
            JdbcTotalsStore totals = new JdbcTotalsStore(shards, api.pipelineName());
            while (!pending.isEmpty() && !closing && System.nanoTime() < deadline) {
                lastProblem = declareReady(pending, connection, totals, lastProblem);
                if (!pending.isEmpty()) {
                    Thread.sleep(5_000);
                }
            }
        }
        if (!pending.isEmpty() && !closing) {
            LOG.warn(
                    "Gave up declaring {} demo goal(s); last problem: {}",
                    pending.size(),
                    lastProblem);
        }
    }

    /** Declares the pending goals whose pair has a final minute; returns the last problem. */
    private String declareReady(
            List<DemoGoal> pending,
            List<String> connection,
            JdbcTotalsStore totals,
            String lastProblem) {
        for (Iterator<DemoGoal> it = pending.iterator(); it.hasNext() && !closing; ) {
            DemoGoal goal = it.next();
            Pair p = goal.pair();
            if (p != null && !totals.hasPair(p.workspaceId(), p.sourceId(), p.destinationId())) {
                continue;
            }
            List<String> args = new ArrayList<>(List.of("set", demoWorkspace));
            args.addAll(goal.args());
            args.addAll(connection);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int exit =
                    GoalCli.run(
                            args.toArray(String[]::new),
                            Map.of(),
                            new PrintStream(out, true, StandardCharsets.UTF_8),
                            new PrintStream(err, true, StandardCharsets.UTF_8));
            if (exit == 0) {
                it.remove();
                LOG.info("{}", out.toString(StandardCharsets.UTF_8).trim());
            } else {
                lastProblem =
                        goal.args().get(0) + ": " + err.toString(StandardCharsets.UTF_8).trim();
                LOG.debug("Goal not declared yet, {}", lastProblem);
            }
        }
        return lastProblem;
    }

    /** A token made by {@code create} in the control database, as the token CLI makes them. */
    private String createToken(Function<TokenStore, ApiToken> create) {
        try (HikariDataSource ds = new HikariDataSource()) {
            ds.setJdbcUrl(wiring.get("control.jdbc-url"));
            ds.setUsername(wiring.get("control.user"));
            ds.setPassword(wiring.get("control.password"));
            ds.setMaximumPoolSize(1);
            return create.apply(new TokenStore(ds, new SecureRandom())).value();
        }
    }

    /** What to tell the person who started it. */
    public String banner() {
        String base = "http://localhost:" + api.port();
        String auth = demoToken == null ? "" : " -H 'Authorization: Bearer " + demoToken + "'";
        StringBuilder sb = new StringBuilder();
        sb.append("\n  Delivery Metrics is running.\n\n");
        sb.append("  Dashboard    ").append(base).append("/\n");
        sb.append("  Status page  ")
                .append(base)
                .append("/#/status  (destination status of every type, operator token)\n");
        sb.append("  Public status ").append(base).append("/#/public-status  (no token)\n");
        sb.append("  API          ")
                .append(base)
                .append("/v1/workspaces/")
                .append(demoWorkspace)
                .append("/delivery-metrics\n");
        sb.append("  Metrics      ")
                .append(base)
                .append("/v1/workspaces/")
                .append(demoWorkspace)
                .append("/metrics  (the workspace's own, with its token)\n");
        sb.append("  Goals        ")
                .append(base)
                .append("/v1/workspaces/")
                .append(demoWorkspace)
                .append("/goals/status  (budget and burn rates of the demo goals)\n");
        if (incidentPair != null) {
            sb.append("  Incident     ")
                    .append(incidentPair.sourceId())
                    .append(" -> ")
                    .append(incidentPair.destinationId())
                    .append(" discards ")
                    .append(Math.round(config.pairIncidentShare() * 100))
                    .append(" % of its events: goal ")
                    .append(INCIDENT_PAIR_GOAL)
                    .append(" burns")
                    .append(healthyPair == null ? "" : ", goal " + HEALTHY_PAIR_GOAL + " does not")
                    .append('\n');
        }
        if (statusIncidentType != null) {
            sb.append("  Type outage  ")
                    .append(statusIncidentType)
                    .append(" is down in all ")
                    .append(statusIncidentWorkspaces)
                    .append(" workspaces sending to it for ")
                    .append(minutes(config.typeIncidentLength()))
                    .append(", from ")
                    .append(minutes(config.typeIncidentStart()))
                    .append(" after the start and every ")
                    .append(minutes(config.typeIncidentEvery()))
                    .append(": see the status page\n");
        }
        api.adminPort()
                .ifPresent(
                        p ->
                                sb.append("  Operator     http://localhost:")
                                        .append(p)
                                        .append("/metrics  (every workspace, loopback only)\n"));
        sb.append("  Flink web UI http://localhost:").append(config.flinkWebPort()).append("/\n");
        sb.append("  Kafka        ")
                .append(bootstrapServers)
                .append(" (topic ")
                .append(config.topic())
                .append(")\n");
        if (demoToken != null) {
            sb.append("  Demo token   ")
                    .append(demoToken)
                    .append("  (workspace ")
                    .append(demoWorkspace)
                    .append(")\n");
        }
        if (operatorToken != null) {
            sb.append("  Operator token ")
                    .append(operatorToken)
                    .append("  (sign in to the status page with it)\n");
        }
        if (batchLog != null) {
            sb.append("  Compaction   http://localhost:")
                    .append(config.settings().string("batch.management-port", "8090"))
                    .append("/actuator/health  (log ")
                    .append(batchLog)
                    .append(")\n");
        }
        sb.append("\n  Try:\n    curl -s")
                .append(auth)
                .append(" '")
                .append(base)
                .append("/v1/workspaces/")
                .append(demoWorkspace)
                .append("/delivery-metrics/summary'\n");
        sb.append("    curl -s")
                .append(auth)
                .append(" '")
                .append(base)
                .append("/v1/workspaces/")
                .append(demoWorkspace)
                .append("/goals/status'\n");
        sb.append("\n  Press Ctrl-C to stop everything.\n");
        return sb.toString();
    }

    private static String minutes(Duration d) {
        return d.toSeconds() % 60 == 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
    }

    public int apiPort() {
        return api.port();
    }

    /** The API server's operator listener (loopback), when it is open. */
    public Optional<Integer> apiAdminPort() {
        return api.adminPort();
    }

    public String demoWorkspace() {
        return demoWorkspace;
    }

    public Optional<String> demoToken() {
        return Optional.ofNullable(demoToken);
    }

    /** A token of the operators, for the destination status; empty without auth. */
    public Optional<String> operatorToken() {
        return Optional.ofNullable(operatorToken);
    }

    /** The destination type of the status incident, when there is one. */
    public Optional<String> statusIncidentType() {
        return Optional.ofNullable(statusIncidentType);
    }

    /** The pair with the steady incident (goal {@link #INCIDENT_PAIR_GOAL}), when there is one. */
    public Optional<Pair> incidentPair() {
        return Optional.ofNullable(incidentPair);
    }

    /** The healthy pair of goal {@link #HEALTHY_PAIR_GOAL}, when there is one. */
    public Optional<Pair> healthyPair() {
        return Optional.ofNullable(healthyPair);
    }

    @Override
    public void close() {
        closing = true;
        if (goalsThread != null) {
            goalsThread.interrupt();
            try {
                goalsThread.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (loadRunner != null) {
            loadRunner.stop();
        }
        if (api != null) {
            api.close();
        }
        if (batch != null) {
            batch.destroy();
            try {
                if (!batch.waitFor(20, TimeUnit.SECONDS)) {
                    batch.destroyForcibly();
                }
            } catch (InterruptedException e) {
                batch.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        if (job != null) {
            try {
                job.cancel().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("Cancelling the Flink job failed: {}", e.toString());
            }
        }
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception e) {
                LOG.warn("Stopping {} failed: {}", toClose.get(i), e.toString());
            }
        }
        deleteWorkDir();
    }

    private void deleteWorkDir() {
        if (workDir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(workDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("Could not delete {}: {}", workDir, e.toString());
        }
    }
}
