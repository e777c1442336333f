package io.deliverymetrics.api.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.api.config.ApiConfig;
import io.deliverymetrics.core.metrics.DistinctContributors;
import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.metrics.TypeBucket;
import io.deliverymetrics.core.model.AttemptBuilder;
import io.deliverymetrics.core.model.Outcome;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.core.status.StatusThresholds;
import io.deliverymetrics.core.time.Completeness;
import io.deliverymetrics.core.time.Granularity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DestinationStatusServiceTest {

    private static final Instant END = Instant.parse("2026-11-26T12:00:00Z");
    private static final Duration MINUTE = Duration.ofMinutes(1);

    /** A global database in memory that counts its reads. */
    private static class FakeGlobal implements GlobalReader {
        Optional<Completeness> progress = Optional.of(new Completeness(END, END));
        final List<TypeBucket> minutes = new ArrayList<>();
        int reads;

        @Override
        public Optional<Completeness> completeness() {
            reads++;
            return progress;
        }

        @Override
        public Optional<Instant> compactedThrough(Granularity tier) {
            reads++;
            return Optional.empty();
        }

        @Override
        public List<TypeBucket> rows(Granularity g, String type, Instant from, Instant to) {
            reads++;
            if (g != Granularity.MINUTE) {
                return List.of();
            }
            return minutes.stream()
                    .filter(r -> type == null || r.destinationType().equals(type))
                    .filter(r -> !r.bucketStart().isBefore(from) && r.bucketStart().isBefore(to))
                    .toList();
        }
    }

    private final AtomicLong nanos = new AtomicLong();

    private DestinationStatusService service(FakeGlobal global, Duration horizon) {
        return new DestinationStatusService(
                global,
                new ApiConfig.Status(
                        StatusThresholds.DEFAULTS,
                        horizon,
                        Duration.ofHours(24),
                        5,
                        Duration.ofSeconds(10)),
                Clock.fixed(Instant.parse("2026-11-26T12:07:31Z"), ZoneOffset.UTC),
                nanos::get);
    }

    /** A minute of {@code type} with 40 attempts from each of 5 workspaces, all failing or not. */
    private static TypeBucket minute(String type, Instant t, boolean failing) {
        MetricBucket b = new MetricBucket();
        DistinctContributors who = new DistinctContributors();
        for (int w = 0; w < 5; w++) {
            PairKey pair = new PairKey("ws_" + w, "src", "dst");
            for (int i = 0; i < 40; i++) {
                b.add(
                        AttemptBuilder.anAttempt()
                                .pair(pair.workspaceId(), pair.sourceId(), pair.destinationId())
                                .at(t.plusSeconds(i))
                                .latencyMs(100)
                                .outcome(failing ? Outcome.DISCARDED : Outcome.DELIVERED));
            }
            who.add(pair, failing);
        }
        return new TypeBucket(type, t, b, who);
    }

    @Test
    void shouldTellARunThatBeganAtTheHorizonsStartFromOneThatBeganBefore() {
        FakeGlobal global = new FakeGlobal();
        Instant horizon = END.minus(Duration.ofMinutes(10));
        // Everywhere from 7 minutes before the horizon: already an outage in the minute before it.
        // From 2 minutes before: that minute's window holds 2 failing minutes of 5 (loss 0.4,
        // degraded), the horizon's first 3 (loss 0.6, an outage).
        for (Instant t = horizon.minus(Duration.ofMinutes(20));
                t.isBefore(END);
                t = t.plus(MINUTE)) {
            global.minutes.add(
                    minute("early", t, !t.isBefore(horizon.minus(Duration.ofMinutes(7)))));
            global.minutes.add(
                    minute("exact", t, !t.isBefore(horizon.minus(Duration.ofMinutes(2)))));
        }

        DestinationStatusReport r = service(global, Duration.ofMinutes(10)).current();

        DestinationStatusReport.TypeStatus early = r.types().get(0);
        DestinationStatusReport.TypeStatus exact = r.types().get(1);
        assertThat(early.destinationType()).isEqualTo("early");
        assertThat(early.status()).isEqualTo("outage");
        assertThat(early.since()).isEqualTo(horizon);
        assertThat(early.sinceExact()).isFalse();
        assertThat(exact.status()).isEqualTo("outage");
        assertThat(exact.since()).isEqualTo(horizon);
        assertThat(exact.sinceExact()).isTrue();
    }

    @Test
    void shouldComputeOncePerCompleteThroughAndNotReadWithinTheCachesAge() {
        FakeGlobal global = new FakeGlobal();
        global.minutes.add(minute("a", END.minus(MINUTE), false));
        DestinationStatusService s = service(global, Duration.ofHours(1));

        DestinationStatusReport first = s.current();
        int computed = global.reads;
        DestinationStatusReport cached = s.current();
        nanos.addAndGet(Duration.ofSeconds(11).toNanos());
        DestinationStatusReport checked = s.current();
        int afterCheck = global.reads;
        global.progress = Optional.of(new Completeness(END.plus(MINUTE), END));
        nanos.addAndGet(Duration.ofSeconds(11).toNanos());
        DestinationStatusReport moved = s.current();

        // Progress, compaction progress, minute rows (no hour tier compacted: no hour rows).
        assertThat(computed).isEqualTo(3);
        assertThat(cached).isSameAs(first);
        assertThat(checked).isSameAs(first);
        assertThat(afterCheck).isEqualTo(computed + 1);
        assertThat(moved).isNotSameAs(first);
        assertThat(moved.completeThrough()).isEqualTo(END.plus(MINUTE));
    }

    @Test
    void shouldAnswerWithTheReportBeingReplacedWhileAnotherRequestComputes() throws Exception {
        CountDownLatch computing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean block = new AtomicBoolean();
        FakeGlobal global =
                new FakeGlobal() {
                    @Override
                    public List<TypeBucket> rows(
                            Granularity g, String type, Instant from, Instant to) {
                        if (block.get()) {
                            computing.countDown();
                            try {
                                release.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                        return super.rows(g, type, from, to);
                    }
                };
        global.minutes.add(minute("a", END.minus(MINUTE), false));
        DestinationStatusService s = service(global, Duration.ofHours(1));
        DestinationStatusReport first = s.current();
        global.progress = Optional.of(new Completeness(END.plus(MINUTE), END));
        nanos.addAndGet(Duration.ofSeconds(11).toNanos());
        block.set(true);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<DestinationStatusReport> computer = pool.submit(s::current);
            assertThat(computing.await(30, TimeUnit.SECONDS)).isTrue();

            // The computing request holds the lock; this one must not wait for it.
            DestinationStatusReport during = pool.submit(s::current).get(30, TimeUnit.SECONDS);
            int readsDuring = global.reads;
            release.countDown();
            DestinationStatusReport computed = computer.get(30, TimeUnit.SECONDS);
            block.set(false);
            DestinationStatusReport after = s.current();

            assertThat(during).isSameAs(first);
            assertThat(computed.completeThrough()).isEqualTo(END.plus(MINUTE));
            assertThat(after).isSameAs(computed);
            assertThat(global.reads).isEqualTo(readsDuring + 1);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void shouldEndTheHorizonAtTheCurrentMinuteWithoutProgress() {
        FakeGlobal global = new FakeGlobal();
        global.progress = Optional.empty();

        DestinationStatusReport r = service(global, Duration.ofHours(1)).current();

        assertThat(r.completeThrough()).isNull();
        assertThat(r.horizonEnd()).isEqualTo(Instant.parse("2026-11-26T12:07:00Z"));
        assertThat(r.horizonStart()).isEqualTo(Instant.parse("2026-11-26T11:07:00Z"));
        assertThat(r.baselineEnd()).isEqualTo(Instant.parse("2026-11-26T11:00:00Z"));
        assertThat(r.types()).isEmpty();
    }
}
