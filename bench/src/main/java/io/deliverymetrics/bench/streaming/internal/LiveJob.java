package io.deliverymetrics.bench.streaming.internal;

import io.deliverymetrics.bench.BenchInfra;
import io.deliverymetrics.bench.internal.ShardDatabases;
import io.deliverymetrics.core.config.ConfigLoader;
import io.deliverymetrics.flink.DeliveryMetricsJob;
import io.deliverymetrics.flink.config.JobConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The speed-layer job running live (unbounded) on a local MiniCluster in this JVM, exactly as
 * {@code DeliveryMetricsJob.main} wires it: production Kafka source and shard JDBC sinks, the
 * defaults of {@code delivery-metrics-job.yaml} plus the given overrides, checkpoints to a local
 * directory, no restarts. Optionally with the MiniCluster's REST endpoint on a loopback port (for
 * checkpoint statistics). {@link #close} cancels the job.
 */
public final class LiveJob implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveJob.class);
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

    private final JobClient client;
    private final int restPort;

    private LiveJob(JobClient client, int restPort) {
        this.client = client;
        this.restPort = restPort;
    }

    /**
     * The job's configuration for the benchmarks: reads {@code topic} from the earliest offset
     * without end, writes into {@code databases}, checkpoints into {@code checkpointDir} (the job's
     * {@code checkpoint.dir}: JobManager memory would refuse state above 5 MB), never restarts;
     * {@code overrides} win over these and the production defaults.
     */
    public static JobConfig config(
            BenchInfra infra,
            ShardDatabases databases,
            String topic,
            Path checkpointDir,
            Map<String, String> overrides) {
        Map<String, String> s = new HashMap<>(databases.settings());
        s.put("kafka.bootstrap-servers", infra.kafka().bootstrapServers());
        s.put("kafka.topic", topic);
        s.put("kafka.group-id", infra.names().topic("bench-live-job"));
        s.put("kafka.starting-offsets", "earliest");
        s.put("kafka.stop-at-latest", "false");
        s.put("kafka.dead-letter-topic", topic + "-dead-letter");
        s.put("kafka.late-topic", topic + "-late");
        // A restart would replay input and disturb the measurement: fail instead.
        s.put("restart.attempts", "0");
        s.put("checkpoint.dir", checkpointDir.toUri().toString());
        s.putAll(overrides);
        return JobConfig.from(
                ConfigLoader.create()
                        .withDefaultsResource(JobConfig.class, "/delivery-metrics-job.yaml")
                        .withOverrides(s)
                        .load());
    }

    /** Submits the job and returns once it is RUNNING. */
    public static LiveJob start(JobConfig config, int parallelism, boolean restEndpoint)
            throws Exception {
        Configuration flink = DeliveryMetricsJob.flinkConfiguration(config);
        int port = -1;
        if (restEndpoint) {
            port = freePort();
            flink.set(RestOptions.ADDRESS, "127.0.0.1");
            flink.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
            flink.set(RestOptions.BIND_PORT, Integer.toString(port));
        }
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(parallelism, flink);
        DeliveryMetricsJob.build(
                env,
                config,
                DeliveryMetricsJob.kafkaSource(config),
                DeliveryMetricsJob.productionSinks(config));
        JobClient client = env.executeAsync("bench-delivery-metrics-live");
        LiveJob job = new LiveJob(client, port);
        try {
            job.awaitRunning();
        } catch (RuntimeException | InterruptedException e) {
            job.close();
            throw e;
        }
        return job;
    }

    private void awaitRunning() throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            JobStatus status;
            try {
                status = client.getJobStatus().get(1, TimeUnit.MINUTES);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("cannot read the status of the live job", e);
            }
            if (status == JobStatus.RUNNING) {
                return;
            }
            if (status.isGloballyTerminalState() || System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "live job " + client.getJobID() + " did not start: " + status);
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    /** Throws if the job has failed or ended (it must run until {@link #close}). */
    public void requireRunning() {
        JobStatus status;
        try {
            status = client.getJobStatus().get(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the status of the live job", e);
        }
        if (status != JobStatus.RUNNING) {
            String cause = "";
            if (status.isGloballyTerminalState()) {
                try {
                    client.getJobExecutionResult().get(10, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    cause = ": " + e.getCause();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (TimeoutException e) {
                    cause = "";
                }
            }
            throw new IllegalStateException(
                    "live job " + client.getJobID() + " is " + status + cause);
        }
    }

    public JobClient client() {
        return client;
    }

    /** The job's REST resource, e.g. {@code http://127.0.0.1:PORT/jobs/ID}. */
    public URI restJobUri() {
        if (restPort < 0) {
            throw new IllegalStateException("the live job was started without REST endpoint");
        }
        return URI.create("http://127.0.0.1:" + restPort + "/jobs/" + client.getJobID());
    }

    /** Cancels the job and waits until it has stopped (and its MiniCluster with it). */
    @Override
    public void close() {
        try {
            client.cancel().get(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("cancelling live job {}: {}", client.getJobID(), e.toString());
        }
        try {
            client.getJobExecutionResult().get(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Expected: a cancelled job has no successful result.
            LOG.debug("live job {} ended: {}", client.getJobID(), e.toString());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
