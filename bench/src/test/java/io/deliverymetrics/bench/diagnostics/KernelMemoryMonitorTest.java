package io.deliverymetrics.bench.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link KernelMemoryMonitor} over a directory laid out like DAMON's sysfs admin interface. */
class KernelMemoryMonitorTest {

    @TempDir Path dir;

    private Path kdamond(String index, String state, String sampleUs, String action)
            throws IOException {
        Path k = dir.resolve(index);
        Path context = k.resolve("contexts/0");
        Files.createDirectories(context.resolve("monitoring_attrs/intervals"));
        Files.createDirectories(context.resolve("schemes/0"));
        Files.writeString(k.resolve("state"), state + "\n");
        Files.writeString(context.resolve("monitoring_attrs/intervals/sample_us"), sampleUs + "\n");
        Files.writeString(context.resolve("schemes/0/action"), action + "\n");
        return k.resolve("state");
    }

    @Test
    void describesTheRunningKdamondsOnly() throws IOException {
        Files.writeString(dir.resolve("nr_kdamonds"), "3\n");
        kdamond("0", "on", "500000", "pageout");
        kdamond("1", "off", "5000", "stat");
        kdamond("2", "on", "5000", "lru_prio");
        KernelMemoryMonitor m = new KernelMemoryMonitor(dir);

        assertThat(m.active()).isTrue();
        assertThat(m.describe())
                .isEqualTo(
                        "DAMON on: kdamond 0 samples every 500 ms, action pageout;"
                                + " kdamond 2 samples every 5 ms, action lru_prio");
    }

    @Test
    void pauseTurnsEveryRunningKdamondOffAndCloseTurnsThemBackOn() throws IOException {
        Path first = kdamond("0", "on", "500000", "pageout");
        Path stopped = kdamond("1", "off", "5000", "stat");
        KernelMemoryMonitor m = new KernelMemoryMonitor(dir);
        assertThat(m.canPause()).isTrue();

        KernelMemoryMonitor.Pause pause = m.pause();
        assertThat(Files.readString(first)).isEqualTo("off");
        assertThat(m.active()).isFalse();
        assertThat(m.describe()).isEqualTo("DAMON: none running");

        pause.close();
        pause.close();
        assertThat(Files.readString(first)).isEqualTo("on");
        // One that was not running is left as it was.
        assertThat(Files.readString(stopped).trim()).isEqualTo("off");
        assertThat(m.active()).isTrue();
    }

    @Test
    void withoutDamonNothingRunsAndNothingCanBePaused() {
        KernelMemoryMonitor m = new KernelMemoryMonitor(dir.resolve("absent"));

        assertThat(m.active()).isFalse();
        assertThat(m.canPause()).isFalse();
        assertThat(m.describe()).isEqualTo("DAMON: none running");
        assertThatThrownBy(m::pause)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no kdamond is running");
    }
}
