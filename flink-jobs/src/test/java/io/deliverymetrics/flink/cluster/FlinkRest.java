package io.deliverymetrics.flink.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a test asks a Flink cluster's REST API (the one behind the web UI and the {@code flink}
 * CLI): jobs, their state, parallelism, restarts and checkpoints. The same client reads a
 * standalone cluster ({@link StandaloneCluster}) and a MiniCluster.
 */
public final class FlinkRest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final URI base;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One row of {@code /jobs/overview}. */
    public record JobSummary(String id, String name, String state) {}

    /** One vertex of {@code /jobs/<id>}: its parallelism and key groups as the cluster runs it. */
    public record Vertex(String name, int parallelism, int maxParallelism, String status) {}

    /**
     * The checkpoint a job last restored from ({@code /jobs/<id>/checkpoints}, latest.restored).
     */
    public record Restored(long id, boolean savepoint, String externalPath) {}

    public FlinkRest(URI base) {
        this.base = base;
    }

    /** All jobs the cluster knows, running or not. */
    public List<JobSummary> jobs() throws IOException, InterruptedException {
        JsonNode overview = get("/jobs/overview").orElseThrow();
        List<JobSummary> jobs = new ArrayList<>();
        for (JsonNode job : overview.path("jobs")) {
            jobs.add(
                    new JobSummary(
                            job.path("jid").asText(),
                            job.path("name").asText(),
                            job.path("state").asText()));
        }
        return jobs;
    }

    /** The state of a job, e.g. RUNNING or FINISHED; UNKNOWN if the cluster does not know it. */
    public String jobState(String jobId) throws IOException, InterruptedException {
        return jobs().stream()
                .filter(j -> j.id().equals(jobId))
                .map(JobSummary::state)
                .findFirst()
                .orElse("UNKNOWN");
    }

    /** Whether the job runs and every one of its tasks is deployed and running. */
    public boolean allTasksRunning(String jobId) throws IOException, InterruptedException {
        Optional<JsonNode> job = get("/jobs/" + jobId);
        if (job.isEmpty() || !job.get().path("state").asText().equals("RUNNING")) {
            return false;
        }
        for (JsonNode vertex : job.get().path("vertices")) {
            if (!vertex.path("status").asText().equals("RUNNING")) {
                return false;
            }
        }
        return true;
    }

    /** The job's vertices (chains of operators) with their parallelism and max parallelism. */
    public List<Vertex> vertices(String jobId) throws IOException, InterruptedException {
        JsonNode job = get("/jobs/" + jobId).orElseThrow();
        List<Vertex> vertices = new ArrayList<>();
        for (JsonNode v : job.path("vertices")) {
            vertices.add(
                    new Vertex(
                            v.path("name").asText(),
                            v.path("parallelism").asInt(),
                            v.path("maxParallelism").asInt(),
                            v.path("status").asText()));
        }
        return vertices;
    }

    /** How often the job has restarted since it was submitted (its {@code numRestarts} metric). */
    public long numRestarts(String jobId) throws IOException, InterruptedException {
        JsonNode metrics = get("/jobs/" + jobId + "/metrics?get=numRestarts").orElseThrow();
        for (JsonNode m : metrics) {
            if (m.path("id").asText().equals("numRestarts")) {
                return Long.parseLong(m.path("value").asText());
            }
        }
        return -1;
    }

    /** The newest completed checkpoint's id, if there is one. */
    public Optional<Long> latestCompletedCheckpoint(String jobId)
            throws IOException, InterruptedException {
        JsonNode completed = checkpoints(jobId).path("latest").path("completed");
        return completed.isObject() ? Optional.of(completed.path("id").asLong()) : Optional.empty();
    }

    /** The checkpoint or savepoint the job last restored its state from, if it did. */
    public Optional<Restored> restored(String jobId) throws IOException, InterruptedException {
        JsonNode restored = checkpoints(jobId).path("latest").path("restored");
        if (!restored.isObject()) {
            return Optional.empty();
        }
        return Optional.of(
                new Restored(
                        restored.path("id").asLong(),
                        restored.path("is_savepoint").asBoolean(),
                        restored.path("external_path").asText()));
    }

    /** The root causes of the job's failures, newest first, as "exception: message" lines. */
    public List<String> failures(String jobId) throws IOException, InterruptedException {
        List<String> out = new ArrayList<>();
        Optional<JsonNode> exceptions = get("/jobs/" + jobId + "/exceptions");
        if (exceptions.isPresent()) {
            for (JsonNode e : exceptions.get().path("exceptionHistory").path("entries")) {
                String trace = e.path("stacktrace").asText();
                out.add(trace.lines().findFirst().orElse(e.path("exceptionName").asText()));
            }
        }
        return out;
    }

    /** Everything the cluster reports about the job's failures, full stack traces included. */
    public String failureDetails(String jobId) throws IOException, InterruptedException {
        return get("/jobs/" + jobId + "/exceptions").map(JsonNode::toString).orElse("");
    }

    /** Ids of the TaskManagers registered with the cluster's ResourceManager. */
    public List<String> taskManagerIds() throws IOException, InterruptedException {
        List<String> ids = new ArrayList<>();
        Optional<JsonNode> tms = get("/taskmanagers");
        if (tms.isPresent()) {
            for (JsonNode tm : tms.get().path("taskmanagers")) {
                ids.add(tm.path("id").asText());
            }
        }
        return ids;
    }

    /** Cancels a job (what {@code flink cancel} does), without waiting. */
    public void cancel(String jobId) throws IOException, InterruptedException {
        HttpRequest request =
                HttpRequest.newBuilder(base.resolve("/jobs/" + jobId + "?mode=cancel"))
                        .method("PATCH", HttpRequest.BodyPublishers.noBody())
                        .timeout(REQUEST_TIMEOUT)
                        .build();
        http.send(request, HttpResponse.BodyHandlers.discarding());
    }

    /** GET {@code path}; empty if the endpoint is not up yet or does not answer 200. */
    public Optional<JsonNode> get(String path) throws IOException, InterruptedException {
        HttpRequest request =
                HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT).build();
        try {
            HttpResponse<String> response =
                    http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            return Optional.of(JSON.readTree(response.body()));
        } catch (ConnectException e) {
            // The REST endpoint is not up yet.
            return Optional.empty();
        }
    }

    private JsonNode checkpoints(String jobId) throws IOException, InterruptedException {
        return get("/jobs/" + jobId + "/checkpoints")
                .orElseThrow(() -> new AssertionError("no checkpoint statistics for " + jobId));
    }

    @Override
    public String toString() {
        return "FlinkRest[" + base + "]";
    }
}
