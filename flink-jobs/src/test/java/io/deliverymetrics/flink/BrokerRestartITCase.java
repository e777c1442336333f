package io.deliverymetrics.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.flink.cluster.CompleteMinutes;
import io.deliverymetrics.flink.cluster.LoadBatch;
import io.deliverymetrics.infra.EmbeddedInfraExtension;
import io.deliverymetrics.infra.EmbeddedKafka;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.UniqueNames;
import io.deliverymetrics.loadgen.truth.BucketKey;
import io.deliverymetrics.loadgen.truth.BucketTotals;
import io.deliverymetrics.loadgen.truth.Truth;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Broker restart: the Kafka broker is stopped (SIGTERM, an orderly shutdown) and started again with
 * the same data directory and port while the job runs, between two batches of input; every complete
 * minute equals the load generator's ground truth and the job is still running afterwards, so the
 * outage cost it nothing permanent.
 *
 * <p>The broker is a dedicated {@link EmbeddedKafka} of this test, never the shared broker of the
 * test JVM that other tests use. The job runs on a MiniCluster ({@link JobHarness#start}), not the
 * standalone cluster: what is under test is the job's Kafka source and sinks riding out the outage,
 * which run the same way in both, and the MiniCluster's REST API reports the job's state.
 */
@ExtendWith(EmbeddedInfraExtension.class)
class BrokerRestartITCase {

    private static final Instant START = Instant.parse("2026-11-26T10:00:00Z");
    private static final int PARALLELISM = 2;
    private static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(30);
    private static final Duration ALLOWED_LATENESS = Duration.ofSeconds(30);
    private static final Duration IDLENESS = Duration.ofMinutes(5);
    private static final Duration JOB_RUNNING = Duration.ofSeconds(60);
    private static final Duration ROWS_COMPLETE = Duration.ofSeconds(90);

    @Test
    void shouldKeepEveryMinuteExactWhenTheBrokerIsStoppedAndStartedAgainMidStream(
            EmbeddedMariaDb db, UniqueNames names) throws Exception {
        long testStart = System.nanoTime();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            JobHarness h =
                    new JobHarness(
                            kafka,
                            db,
                            names,
                            Map.of(
                                    "kafka.stop-at-latest",
                                    "false",
                                    "watermark.out-of-orderness",
                                    OUT_OF_ORDERNESS.toSeconds() + "s",
                                    "window.allowed-lateness",
                                    ALLOWED_LATENESS.toSeconds() + "s",
                                    // Longer than the outage, as in production (30 s against a
                                    // broker restart of seconds): no partition may be declared
                                    // idle while the broker is away. Otherwise the partition that
                                    // resumes first carries the watermark over the backlog of the
                                    // others, whose records become too late (flink-jobs/README.md,
                                    // "Fault tolerance").
                                    "watermark.idleness",
                                    IDLENESS.toMinutes() + "m"));
            CompleteMinutes rows =
                    new CompleteMinutes(
                            db,
                            h.shardDatabases,
                            JobHarness.PIPELINE,
                            START.minus(Duration.ofDays(1)));
            Truth truth = new Truth();
            LoadBatch batchA =
                    LoadBatch.produce(kafka.bootstrapServers(), h.inputTopic, truth, START);
            SortedMap<BucketKey, BucketTotals> truthA = truth.minutes();

            try (JobHarness.RunningJob job =
                    h.start(DeliveryMetricsJob.flinkConfiguration(h.config), PARALLELISM, null)) {
                job.awaitAllTasksRunning(JOB_RUNNING);
                rows.awaitEqualTruth(
                        truthA, lowerBound(batchA), ROWS_COMPLETE, () -> diagnostics(job, kafka));

                // Batch B arrives while the job runs, and the broker goes down right after it:
                // the job is reading B (and writing its dead letters) when its connections drop.
                LoadBatch batchB =
                        LoadBatch.produce(
                                kafka.bootstrapServers(), h.inputTopic, truth, batchA.nextStart());
                SortedMap<BucketKey, BucketTotals> truthAB = truth.minutes();
                Map<TopicPartition, Long> endOffsets = endOffsets(kafka, h.inputTopic);
                long brokerPid = kafka.pid();
                kafka.stop();
                long stopped = System.nanoTime();
                assertThat(kafka.isRunning()).as("broker running after stop()").isFalse();
                assertThat(refusesConnections(kafka.bootstrapServers()))
                        .as("broker port %s refuses connections", kafka.bootstrapServers())
                        .isTrue();
                assertThat(job.rest().jobState(job.id()))
                        .as("job while the broker is down")
                        .isEqualTo("RUNNING");

                kafka.restart();
                long restarted = System.nanoTime();
                assertThat(kafka.pid()).as("the broker's new process").isNotEqualTo(brokerPid);
                assertThat(endOffsets(kafka, h.inputTopic))
                        .as("the topic's records after the restart (same data directory)")
                        .isEqualTo(endOffsets);

                // Batch C goes to the restarted broker at the same address.
                LoadBatch batchC =
                        LoadBatch.produce(
                                kafka.bootstrapServers(), h.inputTopic, truth, batchB.nextStart());
                SortedMap<BucketKey, BucketTotals> truthABC = truth.minutes();

                Instant completeABC =
                        rows.awaitEqualTruth(
                                truthABC,
                                lowerBound(batchC),
                                ROWS_COMPLETE,
                                () -> diagnostics(job, kafka));
                job.awaitAllTasksRunning(JOB_RUNNING);
                assertThat(job.rest().jobState(job.id()))
                        .as("the job after the broker restart")
                        .isEqualTo("RUNNING");
                System.err.printf(
                        "broker restart: broker down %.1f s (stop to ready again); job restarts %d"
                                + " %s; batches A-C (%,d records) complete through %s; test %.1f s%n",
                        (restarted - stopped) / 1e9,
                        job.rest().numRestarts(job.id()),
                        job.rest().failures(job.id()),
                        batchA.acked() + batchB.acked() + batchC.acked(),
                        completeABC,
                        (System.nanoTime() - testStart) / 1e9);
                assertThat(CompleteMinutes.straddling(truthA, truthAB))
                        .as("minutes open before the outage and continued by B")
                        .isNotEmpty()
                        .allMatch(k -> k.bucketStart().isBefore(completeABC));
                assertThat(CompleteMinutes.straddling(truthAB, truthABC))
                        .as("minutes continued by C, written after the restart")
                        .isNotEmpty()
                        .allMatch(k -> k.bucketStart().isBefore(completeABC));
            }
        }
    }

    private static Instant lowerBound(LoadBatch batch) {
        return CompleteMinutes.lowerBound(batch.lastReceipt(), OUT_OF_ORDERNESS, ALLOWED_LATENESS);
    }

    private static Map<TopicPartition, Long> endOffsets(EmbeddedKafka kafka, String topic)
            throws Exception {
        try (Admin admin = kafka.createAdmin()) {
            int partitions =
                    admin.describeTopics(List.of(topic))
                            .allTopicNames()
                            .get(30, TimeUnit.SECONDS)
                            .get(topic)
                            .partitions()
                            .size();
            Map<TopicPartition, OffsetSpec> latest =
                    java.util.stream.IntStream.range(0, partitions)
                            .boxed()
                            .collect(
                                    Collectors.toMap(
                                            p -> new TopicPartition(topic, p),
                                            p -> OffsetSpec.latest()));
            return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        }
    }

    private static boolean refusesConnections(String hostAndPort) throws IOException {
        int colon = hostAndPort.lastIndexOf(':');
        try (Socket socket = new Socket()) {
            socket.connect(
                    new InetSocketAddress(
                            hostAndPort.substring(0, colon),
                            Integer.parseInt(hostAndPort.substring(colon + 1))),
                    2_000);
            return false;
        } catch (ConnectException e) {
            return true;
        }
    }

    private static String diagnostics(JobHarness.RunningJob job, EmbeddedKafka kafka) {
        try {
            return "job "
                    + job.rest().jobState(job.id())
                    + ", failures "
                    + job.rest().failures(job.id())
                    + "; broker log "
                    + kafka.logFile();
        } catch (IOException | RuntimeException e) {
            return "(no diagnostics: " + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }
}
