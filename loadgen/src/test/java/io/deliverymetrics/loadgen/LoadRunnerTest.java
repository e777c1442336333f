package io.deliverymetrics.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.loadgen.config.LoadSpec;
import io.deliverymetrics.loadgen.model.GeneratedRecord;
import io.deliverymetrics.loadgen.model.Kind;
import io.deliverymetrics.loadgen.sink.CollectingSink;
import io.deliverymetrics.loadgen.truth.Truth;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadRunnerTest {

    @Test
    void shouldStartARealtimeRunAtTheClocksInstantTruncatedToMilliseconds() {
        Instant now = Instant.parse("2030-01-01T00:00:00.123456Z");
        LoadSpec spec =
                LoadSpec.builder().withRealtime(true).withRate(100).withTotalEvents(200).build();
        Truth truth = new Truth();
        CollectingSink sink = new CollectingSink(truth);

        RunStats stats = new LoadRunner(spec, sink).withClock(new JumpingClock(now)).run();

        assertThat(stats.complete()).isTrue();
        long firstReceipt =
                sink.records().stream()
                        .filter(r -> r.kind() == Kind.VALID)
                        .mapToLong(r -> r.attempt().receivedAtMs())
                        .min()
                        .orElseThrow();
        assertThat(Instant.ofEpochMilli(firstReceipt))
                .isEqualTo(Instant.parse("2030-01-01T00:00:00.123Z"));
    }

    @Test
    void shouldReportProgressAndStopEarlyWhenAsked() {
        LoadSpec spec = LoadSpec.builder().withTotalEvents(200_000).build();
        CollectingSink sink = new CollectingSink(new Truth());
        List<RunStats> reports = new ArrayList<>();
        LoadRunner runner = new LoadRunner(spec, sink);
        runner.withProgress(
                s -> {
                    reports.add(s);
                    runner.stop();
                },
                Duration.ofNanos(1));

        RunStats stats = runner.run();

        assertThat(reports).hasSize(1);
        assertThat(stats.complete()).isFalse();
        assertThat(stats.sent()).isEqualTo(sink.records().size()).isLessThan(200_000);
        assertThat(reports.get(0).toLine()).startsWith("events=").contains("sent=");
        GeneratedRecord last = sink.records().get(sink.records().size() - 1);
        assertThat(stats.clock()).isEqualTo(Instant.ofEpochMilli(last.clockMs()));
    }

    /** A clock that moves a minute forward on every read, so pacing never has to wait. */
    private static final class JumpingClock extends Clock {
        private Instant now;

        JumpingClock(Instant start) {
            this.now = start;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            Instant current = now;
            now = now.plus(Duration.ofMinutes(1));
            return current;
        }
    }
}
