package io.deliverymetrics.infra;

import io.deliverymetrics.infra.internal.Directories;
import io.deliverymetrics.infra.internal.FreePorts;
import io.deliverymetrics.infra.internal.KafkaBrokerClasspath;
import io.deliverymetrics.infra.internal.LogFiles;
import io.deliverymetrics.infra.internal.Processes;
import io.deliverymetrics.infra.internal.ShutdownHooks;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A real single-node Kafka broker (KRaft) running in its own JVM, for tests and the quickstart. */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration READINESS_ATTEMPT = Duration.ofSeconds(1);
    private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);
    private static final Duration ADMIN_CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final int LOG_TAIL_LINES = 40;
    private static final String BROKER_HEAP = "-Xmx512m";
    private static final int BIND_ATTEMPTS = 3;

    private final Path workDir;
    private final Path logFile;
    private final String classpath;
    private final Path config;
    private final String bootstrapServers;
    private final Admin admin;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** The broker JVM; null while the broker is stopped (see {@link #stop()}). */
    private Process broker;

    private EmbeddedKafka(
            Path workDir, Path logFile, String classpath, Path config, String bootstrapServers) {
        this.workDir = workDir;
        this.logFile = logFile;
        this.classpath = classpath;
        this.config = config;
        this.bootstrapServers = bootstrapServers;
        this.admin = Admin.create(adminProperties(bootstrapServers));
        this.shutdownHook =
                ShutdownHooks.register(
                        "embedded-kafka-shutdown-" + bootstrapServers, this::killAndDelete);
    }

    /**
     * Formats storage in a fresh temporary directory, launches the broker JVM on free ports and
     * returns once an Admin client can describe the cluster.
     *
     * @throws IllegalStateException if the broker does not become ready within 60 s; the message
     *     holds the end of the broker log
     */
    public static EmbeddedKafka start() {
        long startNanos = System.nanoTime();
        String classpath = KafkaBrokerClasspath.load();
        Path workDir = Directories.createTemp("embedded-kafka-");
        Path logFile = workDir.resolve("broker.log");
        EmbeddedKafka kafka = null;
        try {
            int brokerPort = FreePorts.pick();
            int controllerPort = pickPortOtherThan(brokerPort);
            Path config =
                    writeServerProperties(
                            workDir, workDir.resolve("data"), brokerPort, controllerPort);

            formatStorage(classpath, config, logFile);
            long formattedNanos = System.nanoTime();

            kafka =
                    new EmbeddedKafka(
                            workDir, logFile, classpath, config, "localhost:" + brokerPort);
            kafka.launch();
            LOG.info(
                    "Kafka broker ready at {} in {} ms (storage format {} ms, pid {}, log {})",
                    kafka.bootstrapServers,
                    millisSince(startNanos),
                    TimeUnit.NANOSECONDS.toMillis(formattedNanos - startNanos),
                    kafka.pid(),
                    logFile);
            return kafka;
        } catch (RuntimeException e) {
            if (kafka != null) {
                kafka.close();
            } else {
                Directories.deleteRecursively(workDir);
            }
            throw e;
        }
    }

    /** The {@code bootstrap.servers} value for clients, e.g. {@code localhost:41234}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * Creates a topic with replication factor 1 and waits until the broker reports a leader for
     * every partition.
     */
    public void createTopic(String name, int partitions) {
        requireOpen();
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, was " + partitions);
        }
        long deadline = System.nanoTime() + TOPIC_TIMEOUT.toNanos();
        try {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                    .all()
                    .get(TOPIC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            awaitLeaders(name, partitions, deadline);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not create topic " + name, e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "Topic " + name + " not created within " + TOPIC_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topic " + name, e);
        }
        LOG.debug("Created topic {} with {} partitions", name, partitions);
    }

    /** Creates a new Admin client for this broker; the caller closes it. */
    public Admin createAdmin() {
        requireOpen();
        return Admin.create(adminProperties(bootstrapServers));
    }

    /** The file that receives the broker's stdout and stderr (deleted on {@link #close()}). */
    public Path logFile() {
        return logFile;
    }

    /**
     * Stops the broker as an operator would: SIGTERM, so that it shuts down in order (SIGKILL only
     * if it has not exited after 10 s). Its data directory, topics, committed offsets and ports
     * stay; {@link #restart()} brings it back with them. Clients see the broker go away: their
     * requests fail or wait until it is back. Does nothing if the broker is already stopped.
     */
    public synchronized void stop() {
        requireOpen();
        if (broker == null) {
            return;
        }
        long startNanos = System.nanoTime();
        long pid = broker.pid();
        Processes.destroyTree(broker, SHUTDOWN_GRACE);
        broker = null;
        LOG.info(
                "Kafka broker at {} (pid {}) stopped in {} ms; data kept for a restart",
                bootstrapServers,
                pid,
                millisSince(startNanos));
    }

    /**
     * Starts the broker again with the same configuration: the same data directory (no new storage
     * format, so every topic, record and committed offset is still there), node id, cluster id and
     * ports, so clients reconnect to the same {@link #bootstrapServers()}. Stops it first if it is
     * running. Returns once an Admin client can describe the cluster again.
     *
     * @throws IllegalStateException if the broker does not become ready within 60 s
     */
    public synchronized void restart() {
        requireOpen();
        stop();
        long startNanos = System.nanoTime();
        launch();
        LOG.info(
                "Kafka broker restarted at {} in {} ms (pid {})",
                bootstrapServers,
                millisSince(startNanos),
                broker.pid());
    }

    /** Whether the broker process runs (false after {@link #stop()} and {@link #close()}). */
    public synchronized boolean isRunning() {
        return broker != null && broker.isAlive();
    }

    /** The process id of the broker JVM; fails while the broker is stopped. */
    public synchronized long pid() {
        if (broker == null) {
            throw new IllegalStateException("Kafka broker at " + bootstrapServers + " is stopped");
        }
        return broker.pid();
    }

    /** Stops the broker process (and anything it started) and deletes its directory. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long startNanos = System.nanoTime();
        try {
            admin.close(ADMIN_CLOSE_TIMEOUT);
        } finally {
            synchronized (this) {
                if (broker != null) {
                    Processes.destroyTree(broker, SHUTDOWN_GRACE);
                    broker = null;
                }
            }
            ShutdownHooks.remove(shutdownHook);
            Directories.deleteRecursively(workDir);
        }
        LOG.info("Kafka broker at {} stopped in {} ms", bootstrapServers, millisSince(startNanos));
    }

    @Override
    public String toString() {
        return "EmbeddedKafka[" + bootstrapServers + "]";
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new IllegalStateException("Kafka broker at " + bootstrapServers + " is closed");
        }
    }

    private void awaitLeaders(String name, int partitions, long deadline)
            throws InterruptedException, TimeoutException, ExecutionException {
        // The controller answers CreateTopics once the record is committed; the broker applies
        // it to its metadata cache a moment later, and clients see the topic only after that.
        while (true) {
            long remainingMillis = remainingMillis(deadline);
            if (remainingMillis <= 0) {
                throw new TimeoutException("No leaders for all partitions of " + name);
            }
            try {
                TopicDescription description =
                        admin.describeTopics(List.of(name))
                                .allTopicNames()
                                .get(remainingMillis, TimeUnit.MILLISECONDS)
                                .get(name);
                if (description.partitions().size() == partitions
                        && description.partitions().stream()
                                .allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
        }
    }

    private static int pickPortOtherThan(int taken) {
        int port = FreePorts.pick();
        while (port == taken) {
            port = FreePorts.pick();
        }
        return port;
    }

    /** The broker configuration: one node that is both broker and KRaft controller. */
    static Properties serverProperties(Path dataDir, int brokerPort, int controllerPort) {
        Properties props = new Properties();
        props.setProperty("process.roles", "broker,controller");
        props.setProperty("node.id", "1");
        props.setProperty("controller.quorum.voters", "1@localhost:" + controllerPort);
        props.setProperty(
                "listeners",
                "PLAINTEXT://localhost:"
                        + brokerPort
                        + ",CONTROLLER://localhost:"
                        + controllerPort);
        props.setProperty("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort);
        props.setProperty("controller.listener.names", "CONTROLLER");
        props.setProperty("inter.broker.listener.name", "PLAINTEXT");
        props.setProperty(
                "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.setProperty("log.dirs", dataDir.toAbsolutePath().toString());
        props.setProperty("num.partitions", "1");
        props.setProperty("default.replication.factor", "1");
        props.setProperty("min.insync.replicas", "1");
        props.setProperty("auto.create.topics.enable", "false");
        props.setProperty("group.initial.rebalance.delay.ms", "0");
        // Internal topics: one replica, and one partition each instead of 50 so the first
        // consumer group or transaction does not wait for 50 partitions to be created.
        props.setProperty("offsets.topic.replication.factor", "1");
        props.setProperty("offsets.topic.num.partitions", "1");
        props.setProperty("transaction.state.log.replication.factor", "1");
        props.setProperty("transaction.state.log.min.isr", "1");
        props.setProperty("transaction.state.log.num.partitions", "1");
        props.setProperty("share.coordinator.state.topic.replication.factor", "1");
        props.setProperty("share.coordinator.state.topic.min.isr", "1");
        props.setProperty("share.coordinator.state.topic.num.partitions", "1");
        return props;
    }

    private static Path writeServerProperties(
            Path workDir, Path dataDir, int brokerPort, int controllerPort) {
        Path config = workDir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            serverProperties(dataDir, brokerPort, controllerPort)
                    .store(out, "Embedded Kafka broker (KRaft, single node)");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + config, e);
        }
        return config;
    }

    private static void formatStorage(String classpath, Path config, Path logFile) {
        String clusterId = Uuid.randomUuid().toString();
        List<String> command =
                javaCommand(
                        classpath,
                        List.of("-Xmx256m"),
                        "kafka.tools.StorageTool",
                        "format",
                        "-t",
                        clusterId,
                        "-c",
                        config.toString());
        Process format = startProcess(command, logFile);
        try {
            if (!format.waitFor(FORMAT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                Processes.destroyTree(format, Duration.ZERO);
                throw new IllegalStateException(
                        "Kafka storage format did not finish within "
                                + FORMAT_TIMEOUT
                                + "; last lines of "
                                + logFile
                                + ":\n"
                                + LogFiles.tail(logFile, LOG_TAIL_LINES));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Processes.destroyTree(format, Duration.ZERO);
            throw new IllegalStateException("Interrupted while formatting Kafka storage", e);
        }
        if (format.exitValue() != 0) {
            throw new IllegalStateException(
                    "Kafka storage format failed with exit code "
                            + format.exitValue()
                            + "; last lines of "
                            + logFile
                            + ":\n"
                            + LogFiles.tail(logFile, LOG_TAIL_LINES));
        }
    }

    /**
     * Starts the broker JVM from the formatted data directory and waits until it is ready. A broker
     * that exits during start-up because its port is taken (a client's connection to the stopped
     * broker's port may briefly occupy it) is started again, up to three times.
     */
    private synchronized void launch() {
        for (int attempt = 1; ; attempt++) {
            long logOffset = LogFiles.size(logFile);
            broker = launchBroker(classpath, config, logFile);
            try {
                awaitReady(broker, admin, bootstrapServers, logFile);
                return;
            } catch (RuntimeException e) {
                Processes.destroyTree(broker, Duration.ZERO);
                broker = null;
                boolean portTaken =
                        LogFiles.readFrom(logFile, logOffset).contains("Address already in use");
                if (!portTaken || attempt >= BIND_ATTEMPTS) {
                    throw e;
                }
                LOG.warn(
                        "Kafka broker at {} found its port taken, starting it again",
                        bootstrapServers);
            }
        }
    }

    private static Process launchBroker(String classpath, Path config, Path logFile) {
        List<String> jvmOptions =
                List.of(
                        BROKER_HEAP,
                        "-XX:+ExitOnOutOfMemoryError",
                        "-Djava.awt.headless=true",
                        "-Dorg.slf4j.simpleLogger.showDateTime=true",
                        "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS");
        return startProcess(
                javaCommand(classpath, jvmOptions, "kafka.Kafka", config.toString()), logFile);
    }

    private static List<String> javaCommand(
            String classpath, List<String> jvmOptions, String mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(List.of(args));
        return command;
    }

    private static Process startProcess(List<String> command, Path logFile) {
        try {
            return new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + command.get(0), e);
        }
    }

    private static void awaitReady(
            Process broker, Admin admin, String bootstrapServers, Path logFile) {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        Throwable lastFailure = null;
        try {
            while (remainingMillis(deadline) > 0) {
                if (!broker.isAlive()) {
                    throw new IllegalStateException(
                            "Kafka broker exited with code "
                                    + broker.exitValue()
                                    + " during start-up; last lines of "
                                    + logFile
                                    + ":\n"
                                    + LogFiles.tail(logFile, LOG_TAIL_LINES));
                }
                try {
                    // Each attempt blocks for up to a second while the client backs off and
                    // reconnects, so this loop polls without sleeping.
                    long attemptMillis =
                            Math.min(READINESS_ATTEMPT.toMillis(), remainingMillis(deadline));
                    Collection<Node> nodes =
                            admin.describeCluster(
                                            new DescribeClusterOptions()
                                                    .timeoutMs((int) Math.max(1, attemptMillis)))
                                    .nodes()
                                    .get();
                    if (!nodes.isEmpty()) {
                        return;
                    }
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof RetriableException)) {
                        throw new IllegalStateException(
                                "Kafka broker at " + bootstrapServers + " refused describeCluster",
                                e.getCause());
                    }
                    lastFailure = e.getCause();
                }
            }
            throw new IllegalStateException(
                    "Kafka broker at "
                            + bootstrapServers
                            + " not ready within "
                            + STARTUP_TIMEOUT
                            + "; last lines of "
                            + logFile
                            + ":\n"
                            + LogFiles.tail(logFile, LOG_TAIL_LINES),
                    lastFailure);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the Kafka broker", e);
        }
    }

    private static Map<String, Object> adminProperties(String bootstrapServers) {
        return Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, 100,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
    }

    /** The shutdown hook's work when the JVM exits without {@link #close()}. */
    private void killAndDelete() {
        Process running;
        synchronized (this) {
            running = broker;
        }
        if (running != null) {
            Processes.destroyTree(running, Duration.ZERO);
        }
        Directories.deleteRecursively(workDir);
    }

    private static long remainingMillis(long deadlineNanos) {
        return TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
