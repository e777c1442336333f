package io.deliverymetrics.bench.streaming.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;

/** Flink settings the benchmarks' MiniClusters share. */
public final class FlinkSettings {

    /** How old the REST endpoint's copy of the task metrics may be. */
    private static final long METRIC_FETCH_INTERVAL_MS = 10;

    private FlinkSettings() {}

    /**
     * Checkpoints to files under {@code dir}, as on a real cluster: the default JobManager storage
     * keeps them in memory and fails every checkpoint whose state exceeds 5 MB. (Our job sets this
     * through its own {@code checkpoint.dir} setting; the SQL peer needs it here.)
     */
    public static void checkpointToDirectory(Configuration flink, Path dir) {
        flink.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        flink.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir.toUri().toString());
    }

    /**
     * Serves the MiniCluster's REST API on a free loopback port, with task metrics fetched at most
     * {@value #METRIC_FETCH_INTERVAL_MS} ms before a request (the default is 10 s), so a poller
     * sees a job's first record within a few milliseconds.
     *
     * @return the port
     */
    public static int restOnLoopback(Configuration flink) {
        int port = freePort();
        flink.set(RestOptions.ADDRESS, "127.0.0.1");
        flink.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        flink.set(RestOptions.BIND_PORT, Integer.toString(port));
        flink.set(
                MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL,
                java.time.Duration.ofMillis(METRIC_FETCH_INTERVAL_MS));
        return port;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for the Flink REST endpoint", e);
        }
    }
}
