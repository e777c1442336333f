package io.deliverymetrics.datadog.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deliverymetrics.datadog.model.WorkspaceProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonStateStoreTest {

    @TempDir Path dir;

    @Test
    void shouldStartEmptyWithoutAFile() {
        assertThat(new JsonStateStore(dir.resolve("state.json")).load()).isEmpty();
    }

    @Test
    void shouldRoundTripProgressAndLeaveNoTemporaryFiles() throws Exception {
        Path file = dir.resolve("nested/state.json");
        TreeMap<Instant, String> digests = new TreeMap<>();
        digests.put(Instant.parse("2026-11-26T11:59:00Z"), "00ff");
        Map<String, WorkspaceProgress> progress =
                Map.of(
                        "ws_a",
                        new WorkspaceProgress(
                                Optional.of(Instant.parse("2026-11-26T12:00:00Z")), digests),
                        "ws_b",
                        WorkspaceProgress.NONE);

        new JsonStateStore(file).save(progress);
        new JsonStateStore(file).save(progress);

        assertThat(new JsonStateStore(file).load()).isEqualTo(progress);
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void shouldRefuseAnUnreadableFileInsteadOfStartingOver() throws Exception {
        Path file = dir.resolve("state.json");
        Files.writeString(file, "{not json");

        assertThatThrownBy(() -> new JsonStateStore(file).load())
                .hasMessageContaining(file.toString())
                .hasMessageContaining("fix or delete");
    }
}
