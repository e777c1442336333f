package io.deliverymetrics.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class LoadGenMainTest {

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = LoadGenMain.commandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        return cl.execute(args);
    }

    @Test
    void shouldWriteTheTruthFileInADryRun(@TempDir Path dir) throws IOException {
        Path truth = dir.resolve("truth.jsonl");

        int exit =
                run(
                        "--dry-run",
                        "--rate",
                        "2000",
                        "--duration",
                        "5s",
                        "--workspaces",
                        "3",
                        "--pairs",
                        "30",
                        "--seed",
                        "9",
                        "--truth",
                        truth.toString());

        assertThat(exit).as(err.toString()).isZero();
        List<String> lines = Files.readAllLines(truth);
        assertThat(lines.get(0)).startsWith("{\"type\":\"minute\",\"workspace_id\":\"ws_");
        assertThat(lines.get(lines.size() - 1)).startsWith("{\"type\":\"summary\"");
        assertThat(err.toString()).contains("loadgen: done events=10,000");
    }

    @Test
    void shouldRequireABootstrapServerUnlessItIsADryRun() {
        int exit = run("--events", "10");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--bootstrap is required unless --dry-run is given");
    }

    @Test
    void shouldReportAnInvalidSpecAsAUsageError() {
        int exit = run("--dry-run", "--pairs", "3", "--workspaces", "10");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("pairs must be between workspaces (10)");
    }

    @Test
    void shouldRejectStartTogetherWithRealtime() {
        int exit = run("--dry-run", "--realtime", "--start", "2026-11-26T00:00:00Z");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("mutually exclusive");
    }

    @Test
    void shouldRejectADurationThatCannotBeParsed() {
        int exit = run("--dry-run", "--duration", "soon");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("'soon' is not a duration");
    }
}
