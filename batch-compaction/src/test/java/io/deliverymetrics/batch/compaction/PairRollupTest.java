package io.deliverymetrics.batch.compaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.metrics.PairBucket;
import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.Outcome;
import io.deliverymetrics.core.model.PairKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PairRollupTest {

    private static final Instant HOUR = Instant.parse("2026-11-26T04:00:00Z");
    private static final PairKey A = new PairKey("ws", "src", "dst_a");
    private static final PairKey B = new PairKey("ws", "src", "dst_b");

    @Test
    void shouldMergeConsecutiveRowsOfAPairIntoOneRowAtTheTargetBucket() {
        List<PairBucket> out = new ArrayList<>();
        PairRollup rollup = new PairRollup(HOUR);

        rollup.add(row(A, 0, 120, Outcome.DELIVERED), out::add);
        rollup.add(row(A, 7, 300, Outcome.DELIVERED), out::add);
        rollup.add(row(A, 59, 0, Outcome.DISCARDED), out::add);
        rollup.add(row(B, 3, 80, Outcome.DELIVERED), out::add);
        rollup.finish(out::add);

        assertThat(out).extracting(PairBucket::pair).containsExactly(A, B);
        assertThat(out).extracting(PairBucket::bucketStart).containsOnly(HOUR);
        MetricBucket a = out.get(0).bucket();
        assertThat(a.successes()).isEqualTo(2);
        assertThat(a.discarded()).isEqualTo(1);
        assertThat(a.latencySumMs()).isEqualTo(420);
        assertThat(a.latencyMaxMs()).isEqualTo(300);
        assertThat(rollup.sourceRows()).isEqualTo(4);
        assertThat(rollup.targetRows()).isEqualTo(2);
    }

    @Test
    void shouldRefuseRowsThatAreNotGroupedByPair() {
        PairRollup rollup = new PairRollup(HOUR);
        rollup.add(row(B, 0, 1, Outcome.DELIVERED), r -> {});

        assertThatThrownBy(() -> rollup.add(row(A, 1, 1, Outcome.DELIVERED), r -> {}))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldEmitNothingForNoRows() {
        List<PairBucket> out = new ArrayList<>();
        new PairRollup(HOUR).finish(out::add);
        assertThat(out).isEmpty();
    }

    private static PairBucket row(PairKey pair, int minute, long latencyMs, Outcome outcome) {
        Instant at = HOUR.plusSeconds(minute * 60L + 10);
        DeliveryAttempt a =
                new DeliveryAttempt(
                        pair.workspaceId(),
                        pair.sourceId(),
                        pair.destinationId(),
                        "e" + minute,
                        1,
                        outcome,
                        outcome.isFailure() ? "http_400" : null,
                        at.minusMillis(latencyMs),
                        at);
        return new PairBucket(pair, HOUR.plusSeconds(minute * 60L), new MetricBucket().add(a));
    }
}
