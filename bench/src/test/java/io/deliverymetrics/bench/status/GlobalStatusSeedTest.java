package io.deliverymetrics.bench.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Percentage.withPercentage;

import io.deliverymetrics.bench.config.StatusSettings;
import io.deliverymetrics.core.metrics.TypeBucket;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GlobalStatusSeedTest {

    private static final StatusSettings SETTINGS =
            new StatusSettings(
                    50,
                    2_000,
                    5,
                    2,
                    2,
                    8,
                    Duration.ZERO,
                    Duration.ofSeconds(1),
                    Duration.ofMillis(100),
                    1,
                    Duration.ofMillis(50));
    private static final Instant T = Instant.parse("2026-11-26T12:00:00Z");
    private static final Duration MINUTE = Duration.ofMinutes(1);

    @Test
    void shouldGiveEveryWorkspaceOneToFiveDistinctTypesWithPopularOnesMostUsed() {
        GlobalStatusSeed.Plan plan = GlobalStatusSeed.plan(SETTINGS, 1);

        Map<String, Set<String>> typesOfWorkspace = new HashMap<>();
        plan.senders()
                .forEach(
                        (type, senders) ->
                                senders.forEach(
                                        s ->
                                                typesOfWorkspace
                                                        .computeIfAbsent(
                                                                s.pair().workspaceId(),
                                                                k -> new HashSet<>())
                                                        .add(type)));
        assertThat(typesOfWorkspace).hasSize(2_000);
        assertThat(typesOfWorkspace.values()).allSatisfy(t -> assertThat(t).hasSizeBetween(1, 5));
        assertThat(plan.pairs())
                .isEqualTo(typesOfWorkspace.values().stream().mapToLong(Set::size).sum());
        List<String> types = plan.types();
        assertThat(plan.senders().get(types.get(0)).size())
                .isGreaterThan(3 * plan.senders().get(types.get(25)).size());
        assertThat(plan.outage()).containsExactlyInAnyOrder("dest_001", "dest_003");
        assertThat(plan.degraded()).containsExactlyInAnyOrder("dest_002", "dest_004");
    }

    @Test
    void shouldFailMostAttemptsOfAnOutageTypeOnlyFromTheIncident() {
        GlobalStatusSeed.Plan plan = GlobalStatusSeed.plan(SETTINGS, 1);
        SplittableRandom rng = new SplittableRandom(3);

        TypeBucket before = GlobalStatusSeed.row(plan, "dest_001", T, MINUTE, T.plus(MINUTE), rng);
        TypeBucket during = GlobalStatusSeed.row(plan, "dest_001", T, MINUTE, T, rng);
        TypeBucket healthy = GlobalStatusSeed.row(plan, "dest_000", T, MINUTE, T, rng);

        assertThat(before.bucket().successRate()).isGreaterThan(0.9);
        assertThat(during.bucket().successRate()).isLessThan(0.5);
        assertThat(healthy.bucket().successRate()).isGreaterThan(0.9);
        assertThat(during.contributors().affectedWorkspaces())
                .isGreaterThan(during.contributors().workspaces() / 2);
    }

    @Test
    void shouldMergeMinuteRowsAsCompactionDoes() {
        GlobalStatusSeed.Plan plan = GlobalStatusSeed.plan(SETTINGS, 1);
        SplittableRandom rng = new SplittableRandom(4);
        TypeBucket a = GlobalStatusSeed.row(plan, "dest_000", T, MINUTE, T.plusSeconds(3600), rng);
        TypeBucket b =
                GlobalStatusSeed.row(
                        plan, "dest_000", T.plus(MINUTE), MINUTE, T.plusSeconds(3600), rng);

        TypeBucket hour = GlobalStatusSeed.merged("dest_000", T, List.of(a, b));

        assertThat(hour.bucket().attempts())
                .isEqualTo(a.bucket().attempts() + b.bucket().attempts());
        assertThat(hour.contributors().workspaces())
                .isGreaterThanOrEqualTo(
                        Math.max(a.contributors().workspaces(), b.contributors().workspaces()));
    }

    @Test
    void shouldDrawPoissonCountsWithTheirMean() {
        SplittableRandom rng = new SplittableRandom(5);
        for (double mean : new double[] {0.3, 5, 600}) {
            long sum = 0;
            for (int i = 0; i < 20_000; i++) {
                sum += GlobalStatusSeed.count(mean, rng);
            }
            assertThat(sum / 20_000.0).isCloseTo(mean, withPercentage(5));
        }
    }
}
