package io.deliverymetrics.bench.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.core.metrics.DeliveryTotals;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.sql.TotalsRows.PairTotals;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class PairTotalsSeedTest {

    private static final Instant FINAL_THROUGH = Instant.parse("2026-12-01T12:00:00Z");

    @Test
    void shouldMakeDistinctPairsWithIdsAsLongAsGeneratedOnes() {
        List<PairKey> pairs = ScrapeBench.pairs("ws_scrape", 10_000);

        assertThat(new HashSet<>(pairs)).hasSize(10_000);
        assertThat(pairs)
                .allSatisfy(
                        p -> {
                            assertThat(p.workspaceId()).isEqualTo("ws_scrape");
                            assertThat(p.sourceId()).hasSize(26);
                            assertThat(p.destinationId()).hasSize(26);
                        });
    }

    @Test
    void shouldGiveEveryPairConsistentTotalsThatFallOffWithItsRank() {
        List<PairTotals> rows =
                PairTotalsSeed.totals(ScrapeBench.pairs("ws_scrape", 1_000), FINAL_THROUGH, 1);

        assertThat(rows).hasSize(1_000);
        for (PairTotals r : rows) {
            DeliveryTotals t = r.totals();
            assertThat(r.finalThrough()).isEqualTo(FINAL_THROUGH);
            assertThat(t.successes()).isPositive();
            assertThat(t.latencyCount()).isEqualTo(t.successes());
            long[] le = t.latencyAtMost();
            for (int i = 1; i < le.length; i++) {
                assertThat(le[i]).isGreaterThanOrEqualTo(le[i - 1]);
            }
            assertThat(le[le.length - 1]).isLessThanOrEqualTo(t.latencyCount());
        }
        assertThat(rows.get(0).totals().successes())
                .isGreaterThan(100 * rows.get(999).totals().successes());
    }

    @Test
    void shouldGiveTheSameTotalsForTheSameSeed() {
        List<PairKey> pairs = ScrapeBench.pairs("ws_scrape", 50);

        assertThat(PairTotalsSeed.totals(pairs, FINAL_THROUGH, 7))
                .isEqualTo(PairTotalsSeed.totals(pairs, FINAL_THROUGH, 7));
    }
}
