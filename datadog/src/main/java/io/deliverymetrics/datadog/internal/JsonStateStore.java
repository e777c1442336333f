package io.deliverymetrics.datadog.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deliverymetrics.datadog.forward.StateStore;
import io.deliverymetrics.datadog.model.WorkspaceProgress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The progress as a small JSON file, replaced atomically (write a sibling, then rename) so a crash
 * never leaves half a file:
 *
 * <pre>{@code
 * {"version": 1, "workspaces": {"ws_acme": {"forwarded_through": "2026-11-26T12:00:00Z",
 *   "sent_digests": {"2026-11-26T11:51:00Z": "9f3a…"}}}}
 * }</pre>
 */
public final class JsonStateStore implements StateStore {

    static final int VERSION = 1;

    private final Path file;
    private final ObjectMapper mapper =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public JsonStateStore(Path file) {
        this.file = file.toAbsolutePath();
    }

    @Override
    public Map<String, WorkspaceProgress> load() {
        if (!Files.exists(file)) {
            return Map.of();
        }
        try {
            JsonNode root = mapper.readTree(file.toFile());
            if (root == null || root.path("version").asInt() != VERSION) {
                throw new IllegalStateException(
                        "state file " + file + " has no version " + VERSION + "; fix or delete it");
            }
            Map<String, WorkspaceProgress> out = new TreeMap<>();
            Iterator<Map.Entry<String, JsonNode>> ws = root.path("workspaces").fields();
            while (ws.hasNext()) {
                Map.Entry<String, JsonNode> e = ws.next();
                JsonNode ft = e.getValue().get("forwarded_through");
                TreeMap<Instant, String> digests = new TreeMap<>();
                e.getValue()
                        .path("sent_digests")
                        .fields()
                        .forEachRemaining(
                                d -> digests.put(Instant.parse(d.getKey()), d.getValue().asText()));
                out.put(
                        e.getKey(),
                        new WorkspaceProgress(
                                ft == null || ft.isNull()
                                        ? Optional.empty()
                                        : Optional.of(Instant.parse(ft.asText())),
                                digests));
            }
            return out;
        } catch (IOException | DateTimeParseException e) {
            throw new IllegalStateException(
                    "cannot read state file "
                            + file
                            + " ("
                            + e.getMessage()
                            + "); fix or delete it",
                    e);
        }
    }

    @Override
    public void save(Map<String, WorkspaceProgress> progress) {
        ObjectNode root = mapper.createObjectNode();
        root.put("version", VERSION);
        ObjectNode ws = root.putObject("workspaces");
        new TreeMap<>(progress)
                .forEach(
                        (id, p) -> {
                            ObjectNode node = ws.putObject(id);
                            if (p.forwardedThrough().isPresent()) {
                                node.put(
                                        "forwarded_through", p.forwardedThrough().get().toString());
                            } else {
                                node.putNull("forwarded_through");
                            }
                            ObjectNode digests = node.putObject("sent_digests");
                            p.sentDigests().forEach((t, d) -> digests.put(t.toString(), d));
                        });
        try {
            Path dir = file.getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            try {
                mapper.writeValue(tmp.toFile(), root);
                try {
                    Files.move(
                            tmp,
                            file,
                            StandardCopyOption.ATOMIC_MOVE,
                            StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write state file " + file, e);
        }
    }
}
