package io.deliverymetrics.flink.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ConfigurationUtils;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.jobmanager.JobManagerProcessSpec;
import org.apache.flink.runtime.jobmanager.JobManagerProcessUtils;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;

/**
 * A Flink standalone session cluster built from Maven artifacts: one JobManager and one
 * TaskManager, each its own JVM started the way {@code bin/jobmanager.sh start-foreground} and
 * {@code bin/taskmanager.sh start-foreground} start them, and the {@code flink} CLI ({@code
 * CliFrontend}) as one more JVM per command. A test can kill the TaskManager with SIGKILL and start
 * a new one, as a crashed machine and its replacement would.
 *
 * <p>The configuration is a copy of the project's {@code flink-conf/} with only ports and
 * directories rewritten, so the test runs the shipped settings (RocksDB, restart strategy, memory
 * sizes, JVM options).
 */
final class StandaloneCluster implements AutoCloseable {

    private static final String JOB_MANAGER_MAIN =
            "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    private static final String TASK_MANAGER_MAIN =
            "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
    private static final String CLI_MAIN = "org.apache.flink.client.cli.CliFrontend";

    private static final List<String> TERMINAL_STATES = List.of("FINISHED", "CANCELED", "FAILED");
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);
    private static final int LOG_TAIL_LINES = 60;

    private final Path workDir;
    private final Path confDir;
    private final Configuration config;
    private final String classpath;
    private final FlinkRest rest;
    private final List<Process> processes = new ArrayList<>();
    private Process jobManager;
    private Process taskManager;
    private int taskManagerStarts;
    private int cliRuns;

    /** A finished CLI command: exit code and everything it printed. */
    record CliResult(int exitCode, String output) {

        /** The last lines of the output, where the CLI prints the error of a failed command. */
        String tail() {
            List<String> lines = output.lines().toList();
            return String.join(
                    "\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        }
    }

    private StandaloneCluster(Path workDir, Path confDir, Configuration config, String classpath) {
        this.workDir = workDir;
        this.confDir = confDir;
        this.config = config;
        this.classpath = classpath;
        this.rest = new FlinkRest(URI.create("http://localhost:" + config.get(RestOptions.PORT)));
    }

    /**
     * Writes the cluster's configuration directory under {@code workDir} and starts the JobManager
     * and TaskManager JVMs without waiting for them; see {@link #awaitTaskManagers}.
     *
     * @param flinkConfDir the project's {@code flink-conf/}
     * @param classpathFile the cluster classpath written by maven-dependency-plugin
     * @param libDir extra jars for the cluster classpath (the Log4j SLF4J binding)
     */
    static StandaloneCluster start(Path flinkConfDir, Path classpathFile, Path libDir, Path workDir)
            throws IOException {
        Path confDir = Files.createDirectories(workDir.resolve("conf"));
        Configuration config = GlobalConfiguration.loadConfiguration(flinkConfDir.toString());
        config.set(RestOptions.PORT, freePort());
        config.set(JobManagerOptions.PORT, freePort());
        config.set(CoreOptions.TMP_DIRS, dir(workDir, "io-tmp").toString());
        config.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                dir(workDir, "checkpoints").toUri().toString());
        config.set(
                CheckpointingOptions.SAVEPOINT_DIRECTORY,
                dir(workDir, "savepoints").toUri().toString());
        Files.write(
                confDir.resolve(GlobalConfiguration.FLINK_CONF_FILENAME),
                ConfigurationUtils.convertConfigToWritableLines(config, false));
        for (String log4j : List.of("log4j-console.properties", "log4j.properties")) {
            Files.copy(flinkConfDir.resolve(log4j), confDir.resolve(log4j));
        }
        dir(workDir, "plugins");
        dir(workDir, "jvm-tmp");
        dir(workDir, "log");

        StandaloneCluster cluster =
                new StandaloneCluster(workDir, confDir, config, classpath(classpathFile, libDir));
        try {
            cluster.startJobManager();
            cluster.startTaskManager();
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    private void startJobManager() throws IOException {
        JobManagerProcessSpec spec = JobManagerProcessUtils.processSpecFromConfig(config);
        List<String> command = new ArrayList<>();
        command.addAll(split(JobManagerProcessUtils.generateJvmParametersStr(spec, config)));
        command.addAll(split(config.get(CoreOptions.FLINK_JM_JVM_OPTIONS)));
        command.addAll(List.of(JOB_MANAGER_MAIN, "--configDir", confDir.toString()));
        command.addAll(split(JobManagerProcessUtils.generateDynamicConfigsStr(spec)));
        jobManager = launch("jobmanager", command);
        processes.add(jobManager);
    }

    /**
     * Starts a TaskManager JVM, without waiting for it to register (see {@link
     * #awaitTaskManagers}). The cluster starts one; after {@link #killTaskManager()} a test starts
     * its replacement with this, which logs to {@code taskmanager-<n>.log}.
     */
    void startTaskManager() throws IOException {
        // What taskmanager.sh asks BashJavaUtils for: heap, direct and metaspace limits, and the
        // derived memory sizes as dynamic properties (TaskManagerRunner refuses to start without
        // them).
        TaskExecutorProcessSpec spec = TaskExecutorProcessUtils.processSpecFromConfig(config);
        List<String> command = new ArrayList<>();
        command.addAll(split(ProcessMemoryUtils.generateJvmParametersStr(spec)));
        command.addAll(split(config.get(CoreOptions.FLINK_TM_JVM_OPTIONS)));
        command.addAll(List.of(TASK_MANAGER_MAIN, "--configDir", confDir.toString()));
        command.addAll(split(TaskExecutorProcessUtils.generateDynamicConfigsStr(spec)));
        taskManagerStarts++;
        taskManager = launch(taskManagerLogName(taskManagerStarts), command);
        processes.add(taskManager);
    }

    /** The process id of the current TaskManager JVM. */
    long taskManagerPid() {
        return taskManager.pid();
    }

    /**
     * Kills the current TaskManager JVM with SIGKILL ({@link Process#destroyForcibly()}, which is
     * {@code kill -9} on Linux): no shutdown hook, no goodbye to the JobManager, its slots and
     * local state gone at once. Returns its exit code once it is dead: 137 (128 + 9) for a JVM that
     * SIGKILL ended.
     */
    int killTaskManager() throws InterruptedException {
        Process killed = taskManager;
        killed.destroyForcibly();
        if (!killed.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("TaskManager " + killed.pid() + " still alive after SIGKILL");
        }
        return killed.exitValue();
    }

    /** The REST API of the cluster's JobManager. */
    FlinkRest rest() {
        return rest;
    }

    /**
     * Runs {@code flink <args>} (CliFrontend in its own JVM with {@code FLINK_CONF_DIR} set) and
     * waits for it to exit.
     */
    CliResult cli(Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> command =
                new ArrayList<>(split(config.get(CoreOptions.FLINK_CLI_JVM_OPTIONS)));
        command.add(CLI_MAIN);
        command.addAll(Arrays.asList(args));
        String name = "cli-" + (++cliRuns) + "-" + args[0];
        Process cli = launch(name, command);
        if (!cli.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            destroy(cli);
            throw new AssertionError(
                    "flink "
                            + String.join(" ", args)
                            + " did not finish within "
                            + timeout
                            + "\n"
                            + tail(logFile(name)));
        }
        return new CliResult(
                cli.exitValue(), Files.readString(logFile(name), StandardCharsets.UTF_8));
    }

    private Process launch(String name, List<String> mainAndArgs) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(split(config.get(CoreOptions.FLINK_JVM_OPTIONS)));
        command.add("-Djava.io.tmpdir=" + workDir.resolve("jvm-tmp"));
        command.add(
                "-Dlog4j.configurationFile=" + confDir.resolve("log4j-console.properties").toUri());
        command.add("-Dlog.file=" + logFile(name));
        command.add("-classpath");
        command.add(classpath);
        command.addAll(mainAndArgs);
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .directory(workDir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(logFile(name).toFile());
        Map<String, String> env = builder.environment();
        // The job reads DM_* variables as configuration; the test's own settings must win.
        env.keySet().removeIf(k -> k.startsWith("DM_"));
        env.put("FLINK_CONF_DIR", confDir.toString());
        env.put("FLINK_PLUGINS_DIR", workDir.resolve("plugins").toString());
        return builder.start();
    }

    /** Waits until {@code count} TaskManagers have registered, failing early if a JVM exits. */
    void awaitTaskManagers(int count, Duration timeout) throws Exception {
        Optional<JsonNode> overview =
                Poll.until(
                        timeout,
                        () -> {
                            requireProcessesAlive();
                            return get("/overview");
                        },
                        o -> o.isPresent() && o.get().path("taskmanagers").asInt() >= count);
        if (overview.isEmpty() || overview.get().path("taskmanagers").asInt() < count) {
            throw new AssertionError(
                    "cluster not ready within " + timeout + ": " + overview + "\n" + logs());
        }
    }

    /** All jobs the JobManager knows, running or not. */
    List<FlinkRest.JobSummary> jobs() throws IOException, InterruptedException {
        return rest.jobs();
    }

    /** The state of a job, e.g. RUNNING or FINISHED. */
    String jobState(String jobId) throws IOException, InterruptedException {
        return rest.jobState(jobId);
    }

    /** Whether the job runs and every one of its tasks is deployed and running. */
    boolean allTasksRunning(String jobId) throws IOException, InterruptedException {
        return rest.allTasksRunning(jobId);
    }

    /** Cancels a job through the REST API (what {@code flink cancel} does), without waiting. */
    void cancel(String jobId) throws IOException, InterruptedException {
        rest.cancel(jobId);
    }

    /** The directory savepoints are written to, as a {@code file://} URI. */
    String savepointDirectory() {
        return config.get(CheckpointingOptions.SAVEPOINT_DIRECTORY);
    }

    /** The ends of the JobManager's and TaskManagers' logs, for failure messages. */
    String logs() {
        StringBuilder logs =
                new StringBuilder("---- jobmanager\n").append(tail(logFile("jobmanager")));
        for (int i = 1; i <= taskManagerStarts; i++) {
            String name = taskManagerLogName(i);
            logs.append("\n---- ").append(name).append('\n').append(tail(logFile(name)));
        }
        return logs.toString();
    }

    private static String taskManagerLogName(int start) {
        return start == 1 ? "taskmanager" : "taskmanager-" + start;
    }

    private Optional<JsonNode> get(String path) throws IOException, InterruptedException {
        return rest.get(path);
    }

    /** The JobManager and the current TaskManager (not one the test killed) must be running. */
    private void requireProcessesAlive() {
        for (Process p : List.of(jobManager, taskManager)) {
            if (!p.isAlive()) {
                throw new AssertionError(
                        "a cluster JVM exited with code " + p.exitValue() + "\n" + logs());
            }
        }
    }

    /** Cancels jobs that are still running, then stops the TaskManager and the JobManager. */
    @Override
    public void close() {
        try {
            for (FlinkRest.JobSummary job : jobs()) {
                if (!TERMINAL_STATES.contains(job.state())) {
                    cancel(job.id());
                }
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("could not cancel the cluster's jobs: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (int i = processes.size() - 1; i >= 0; i--) {
            destroy(processes.get(i));
        }
        processes.clear();
    }

    private static void destroy(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private Path logFile(String name) {
        return workDir.resolve("log").resolve(name + ".log");
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join(
                    "\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static String classpath(Path classpathFile, Path libDir) throws IOException {
        List<String> entries =
                new ArrayList<>(
                        Arrays.asList(
                                Files.readString(classpathFile, StandardCharsets.UTF_8)
                                        .trim()
                                        .split(File.pathSeparator)));
        try (Stream<Path> jars = Files.list(libDir)) {
            jars.filter(p -> p.toString().endsWith(".jar"))
                    .sorted()
                    .forEach(p -> entries.add(p.toString()));
        }
        return String.join(File.pathSeparator, entries);
    }

    private static List<String> split(String options) {
        String trimmed = options == null ? "" : options.trim();
        return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("\\s+"));
    }

    private static Path dir(Path parent, String name) {
        try {
            return Files.createDirectories(parent.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
