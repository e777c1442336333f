package io.deliverymetrics.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.core.model.PairKey;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DistinctContributorsTest {

    private static PairKey pair(int ws, int n) {
        return new PairKey("ws_" + ws, "src_" + n, "dst_" + n);
    }

    @Test
    void shouldCountExactlyUpToTheDocumentedThreshold() {
        // 50 different item sets (salted workspace ids), each counted one item at a time.
        for (int salt = 0; salt < 50; salt++) {
            DistinctContributors d = new DistinctContributors();
            Set<String> workspaces = new HashSet<>();
            for (int n = 1; n <= DistinctContributors.EXACT_UP_TO; n++) {
                PairKey p = new PairKey("ws_" + salt + "_" + n, "src", "dst");
                d.add(p, n % 3 == 0);
                workspaces.add(p.workspaceId());
                assertThat(d.workspaces()).isEqualTo(workspaces.size());
                assertThat(d.pairs()).isEqualTo(n);
                assertThat(d.affectedPairs()).isEqualTo(n / 3);
            }
        }
    }

    @Test
    void shouldEstimateWithinFivePercentBeyondTheThreshold() {
        DistinctContributors d = new DistinctContributors();
        for (int n = 0; n < 20_000; n++) {
            d.add(pair(n % 100, n), false);
        }
        assertThat(d.workspaces()).isEqualTo(100);
        assertThat((double) d.pairs())
                .isCloseTo(20_000, org.assertj.core.data.Percentage.withPercentage(5));
    }

    @Test
    void shouldMergeAsAUnionWithoutDoubleCounting() {
        DistinctContributors a = new DistinctContributors();
        DistinctContributors b = new DistinctContributors();
        for (int n = 0; n < 100; n++) {
            a.add(pair(n % 10, n), n < 20);
        }
        for (int n = 50; n < 150; n++) {
            b.add(pair(n % 10, n), n >= 140);
        }
        DistinctContributors merged = a.copy().merge(b);
        assertThat(merged.workspaces()).isEqualTo(10);
        assertThat(merged.pairs()).isEqualTo(150);
        assertThat(merged.affectedPairs()).isEqualTo(30);
        assertThat(merged.affectedWorkspaces()).isEqualTo(10);
        assertThat(a.pairs()).as("copy leaves the original alone").isEqualTo(100);
    }

    @Test
    void shouldRoundTripThroughItsEncodingAndColumnSketches() {
        DistinctContributors d = new DistinctContributors();
        for (int n = 0; n < 1_000; n++) {
            d.add(pair(n % 7, n), n % 2 == 0);
        }
        DistinctContributors decoded = DistinctContributors.decode(d.encode());
        DistinctContributors fromColumns = DistinctContributors.fromSketches(d.sketches());
        for (DistinctContributors x : new DistinctContributors[] {decoded, fromColumns}) {
            assertThat(x.workspaces()).isEqualTo(d.workspaces());
            assertThat(x.pairs()).isEqualTo(d.pairs());
            assertThat(x.affectedWorkspaces()).isEqualTo(d.affectedWorkspaces());
            assertThat(x.affectedPairs()).isEqualTo(d.affectedPairs());
        }
        DistinctContributors empty =
                DistinctContributors.fromSketches(new byte[][] {null, null, null, null});
        assertThat(empty.pairs()).isZero();
    }
}
