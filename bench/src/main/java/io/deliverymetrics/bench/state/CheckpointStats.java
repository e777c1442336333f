package io.deliverymetrics.bench.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads a job's checkpoint history from the Flink REST API ({@code GET /jobs/ID/checkpoints}). */
final class CheckpointStats {

    /**
     * One checkpoint of the history.
     *
     * @param status {@code COMPLETED}, {@code IN_PROGRESS} or {@code FAILED}
     * @param triggerMs when the JobManager triggered it (epoch ms, wall clock)
     * @param stateSize total state size reported for it, bytes
     * @param checkpointedSize bytes written by this checkpoint (equal for full checkpoints)
     * @param durationMs trigger to last acknowledgement
     * @param externalPath the checkpoint's directory, when completed
     */
    record Checkpoint(
            long id,
            String status,
            long triggerMs,
            long stateSize,
            long checkpointedSize,
            long durationMs,
            String externalPath) {
        boolean completed() {
            return "COMPLETED".equals(status);
        }
    }

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final URI uri;

    CheckpointStats(URI jobUri) {
        this.uri = URI.create(jobUri + "/checkpoints");
    }

    List<Checkpoint> history() throws IOException, InterruptedException {
        HttpResponse<byte[]> r =
                http.send(
                        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + uri + ": HTTP " + r.statusCode());
        }
        JsonNode root = json.readTree(r.body());
        List<Checkpoint> out = new ArrayList<>();
        for (JsonNode c : root.path("history")) {
            out.add(
                    new Checkpoint(
                            c.path("id").asLong(),
                            c.path("status").asText(),
                            c.path("trigger_timestamp").asLong(),
                            c.path("state_size").asLong(),
                            c.path("checkpointed_size").asLong(),
                            c.path("end_to_end_duration").asLong(),
                            c.path("external_path").asText(null)));
        }
        return out;
    }
}
