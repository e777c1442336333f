package io.deliverymetrics.bench.compaction;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code compact} of the batch-compaction jar as its own process, as an operator would, and
 * reads what the run did from its summary line and how long the Spring Batch job took from the job
 * repository (so JVM and Spring start-up are not part of the compaction time).
 */
public final class BatchJar {

    private static final Pattern SUMMARY =
            Pattern.compile(
                    "(\\w+) (\\w+): (\\d+) bucket\\(s\\), (\\d+) \\w+ row\\(s\\) read, (\\d+) \\w+"
                            + " row\\(s\\) written in ([\\d.]+) s");

    private static final String LAST_EXECUTION =
            """
            SELECT TIMESTAMPDIFF(MICROSECOND, START_TIME, END_TIME)
            FROM BATCH_JOB_EXECUTION ORDER BY JOB_EXECUTION_ID DESC LIMIT 1""";

    private static final long TIMEOUT_MINUTES = 60;

    private final Path jar;
    private final Path workDir;

    public BatchJar(Path jar, Path workDir) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException(
                    "batch-compaction jar not found at "
                            + jar
                            + " (build it: ./mvnw -B -q install -DskipTests -pl bench -am)");
        }
        this.jar = jar;
        this.workDir = workDir;
    }

    /**
     * What one compaction did.
     *
     * @param sourceRows finer rows read
     * @param targetRows rows written
     * @param buckets target buckets compacted
     * @param jobSeconds the Spring Batch job's own start-to-end time
     * @param processSeconds the whole process, JVM start included
     */
    public record Result(
            long sourceRows,
            long targetRows,
            long buckets,
            double jobSeconds,
            double processSeconds) {

        public double sourceRowsPerSecond() {
            return sourceRows / jobSeconds;
        }
    }

    /**
     * Runs {@code compact --tier tier [--from from --to to]} against the databases in {@code
     * settings} ({@code shards.*}, {@code control.*}).
     */
    public Result compact(Map<String, String> settings, String tier, Instant from, Instant to)
            throws IOException, InterruptedException, SQLException {
        Path props = Files.createTempFile(workDir, "batch-", ".properties");
        Properties p = new Properties();
        p.putAll(settings);
        try (Writer w = Files.newBufferedWriter(props, StandardCharsets.UTF_8)) {
            p.store(w, "bench compaction");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx1g");
        command.add("-jar");
        command.add(jar.toString());
        command.add("compact");
        command.add("--tier");
        command.add(tier);
        if (from != null) {
            command.add("--from");
            command.add(from.toString());
            command.add("--to");
            command.add(to.toString());
        }
        command.add("--config");
        command.add(props.toString());
        Path log = Files.createTempFile(workDir, "compact-" + tier + "-", ".log");
        long t0 = System.nanoTime();
        Process process =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException(
                    "compaction did not finish in " + TIMEOUT_MINUTES + " min, log " + log);
        }
        double processSeconds = (System.nanoTime() - t0) / 1e9;
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Matcher m = SUMMARY.matcher(output);
        if (process.exitValue() != 0 || !m.find() || !"COMPLETED".equals(m.group(2))) {
            throw new IllegalStateException(
                    "compaction failed (exit "
                            + process.exitValue()
                            + "), log "
                            + log
                            + ":\n"
                            + tail(output));
        }
        return new Result(
                Long.parseLong(m.group(4)),
                Long.parseLong(m.group(5)),
                Long.parseLong(m.group(3)),
                lastJobSeconds(settings),
                processSeconds);
    }

    private static double lastJobSeconds(Map<String, String> settings) throws SQLException {
        try (Connection c =
                        DriverManager.getConnection(
                                settings.get("control.jdbc-url"),
                                settings.get("control.user"),
                                settings.get("control.password"));
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(LAST_EXECUTION)) {
            if (!rs.next()) {
                throw new IllegalStateException("no job execution in the control database");
            }
            return rs.getLong(1) / 1e6;
        }
    }

    private static String tail(String output) {
        String[] lines = output.split("\n");
        int from = Math.max(0, lines.length - 40);
        return String.join("\n", Arrays.copyOfRange(lines, from, lines.length));
    }
}
