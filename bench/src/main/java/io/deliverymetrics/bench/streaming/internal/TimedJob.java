package io.deliverymetrics.bench.streaming.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;

/**
 * Waits for a submitted bounded Flink job and notes, in epoch milliseconds of the local wall clock
 * (the database server runs on the same clock), when it started running, when its sources had
 * emitted their first record and when it finished.
 *
 * <p>The first record is seen through the MiniCluster's REST API (see {@link
 * FlinkSettings#restOnLoopback}): the summed {@code numRecordsOut} of the source operators, polled
 * every {@value #POLL_MS} ms until it is positive, so the time is late by at most a poll round and
 * a metric fetch.
 */
public final class TimedJob {

    private static final long POLL_MS = 5;
    private static final Duration TIMEOUT = Duration.ofMinutes(30);
    private static final String SOURCE_PREFIX = "Source";
    private static final String RECORDS_OUT = ".numRecordsOut";

    private TimedJob() {}

    /**
     * @param runningAtMs when the job was first seen RUNNING (its tasks may still be deploying)
     * @param firstRecordAtMs when its sources were first seen to have emitted a record
     * @param finishedAtMs when its result was available (every sink had committed)
     */
    public record Timing(long runningAtMs, long firstRecordAtMs, long finishedAtMs) {}

    /**
     * @param restPort the port of the job's MiniCluster REST endpoint
     */
    public static Timing await(JobClient client, int restPort) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try {
            long runningAt = -1;
            while (runningAt < 0) {
                JobStatus status = client.getJobStatus().get(1, TimeUnit.MINUTES);
                if (status == JobStatus.RUNNING || status.isTerminalState()) {
                    runningAt = System.currentTimeMillis();
                } else if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("job " + client.getJobID() + " never ran");
                } else {
                    TimeUnit.MILLISECONDS.sleep(POLL_MS);
                }
            }
            long firstRecordAt =
                    new SourceRecords(
                                    URI.create(
                                            "http://127.0.0.1:"
                                                    + restPort
                                                    + "/jobs/"
                                                    + client.getJobID()))
                            .awaitFirst(client, deadline);
            client.getJobExecutionResult().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return new Timing(runningAt, firstRecordAt, System.currentTimeMillis());
        } catch (ExecutionException e) {
            throw new IllegalStateException("job " + client.getJobID() + " failed", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "job " + client.getJobID() + " did not finish in " + TIMEOUT, e);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot read the metrics of job " + client.getJobID(), e);
        }
    }

    /** The summed output count of a job's source operators, read over REST. */
    private static final class SourceRecords {
        private final HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        private final ObjectMapper json = new ObjectMapper();
        private final URI job;
        private final List<URI> queries = new ArrayList<>();

        SourceRecords(URI job) {
            this.job = job;
        }

        /** Polls until a source has emitted a record; its wall-clock time in epoch ms. */
        long awaitFirst(JobClient client, long deadline)
                throws IOException, InterruptedException, ExecutionException, TimeoutException {
            while (true) {
                if (queries.isEmpty()) {
                    discover();
                }
                for (URI q : queries) {
                    for (JsonNode m : get(q)) {
                        if (m.path("sum").asDouble() > 0) {
                            return System.currentTimeMillis();
                        }
                    }
                }
                JobStatus status = client.getJobStatus().get(1, TimeUnit.MINUTES);
                if (status.isTerminalState() || System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "job "
                                    + client.getJobID()
                                    + " is "
                                    + status
                                    + " and no source record was seen at "
                                    + job
                                    + " (queries "
                                    + queries
                                    + ")");
                }
                TimeUnit.MILLISECONDS.sleep(POLL_MS);
            }
        }

        /** The metric query of each source vertex, once the vertex reports its metric names. */
        private void discover() throws IOException, InterruptedException {
            List<URI> found = new ArrayList<>();
            for (JsonNode v : get(job).path("vertices")) {
                if (!v.path("name").asText().startsWith(SOURCE_PREFIX)) {
                    continue;
                }
                URI metrics =
                        URI.create(
                                job + "/vertices/" + v.path("id").asText() + "/subtasks/metrics");
                List<String> ids = new ArrayList<>();
                for (JsonNode m : get(metrics)) {
                    String id = m.path("id").asText();
                    if (id.startsWith(SOURCE_PREFIX) && id.endsWith(RECORDS_OUT)) {
                        ids.add(URLEncoder.encode(id, StandardCharsets.UTF_8));
                    }
                }
                if (ids.isEmpty()) {
                    // Not reported yet: the tasks are still deploying.
                    return;
                }
                found.add(URI.create(metrics + "?agg=sum&get=" + String.join(",", ids)));
            }
            queries.addAll(found);
        }

        private JsonNode get(URI uri) throws IOException, InterruptedException {
            HttpResponse<byte[]> r =
                    http.send(
                            HttpRequest.newBuilder(uri)
                                    .timeout(Duration.ofSeconds(30))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IOException("GET " + uri + ": HTTP " + r.statusCode());
            }
            return json.readTree(r.body());
        }
    }
}
