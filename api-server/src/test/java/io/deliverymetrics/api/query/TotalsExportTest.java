package io.deliverymetrics.api.query;

import static io.deliverymetrics.core.model.AttemptBuilder.anAttempt;
import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.api.model.DeliveryExport;
import io.deliverymetrics.api.model.ShardTotals;
import io.deliverymetrics.core.metrics.DeliveryTotals;
import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.sql.TotalsRows.PairTotals;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The export over an in-memory store (the JDBC store is covered by MetricsEndpointITCase). */
class TotalsExportTest {

    private static final Instant COMPLETE = Instant.parse("2026-11-26T11:58:00Z");
    private static final Instant MINUTE = Instant.parse("2026-11-26T11:57:00Z");

    /** Shard 0 has ws_a with 3 pairs, shard 1 ws_b with 2; shard 2 is unreachable. */
    private final Map<Integer, List<PairTotals>> rows =
            Map.of(
                    0, List.of(row("ws_a", "s1"), row("ws_a", "s2"), row("ws_a", "s3")),
                    1, List.of(row("ws_b", "s1"), row("ws_b", "s2")));

    private final List<String> reads = new ArrayList<>();

    private final TotalsStore store =
            new TotalsStore() {
                @Override
                public int shardCount() {
                    return 3;
                }

                @Override
                public int shardOf(String workspaceId) {
                    return workspaceId.equals("ws_a") ? 0 : 1;
                }

                @Override
                public boolean hasPair(String workspaceId, String sourceId, String destinationId) {
                    throw new AssertionError("the export never asks for one pair");
                }

                @Override
                public ShardTotals read(int shard, String workspaceId, int limit) {
                    reads.add(shard + ":" + workspaceId + ":" + limit);
                    if (shard == 2) {
                        throw new StorageException("connection refused", null, true);
                    }
                    List<PairTotals> all =
                            rows.get(shard).stream()
                                    .filter(
                                            r ->
                                                    workspaceId == null
                                                            || r.pair()
                                                                    .workspaceId()
                                                                    .equals(workspaceId))
                                    .toList();
                    return new ShardTotals(
                            shard,
                            Optional.of(COMPLETE),
                            all.subList(0, Math.min(limit, all.size())),
                            all.size() > limit);
                }
            };

    private static PairTotals row(String ws, String src) {
        MetricBucket b = new MetricBucket();
        b.add(anAttempt().pair(ws, src, "dst").at(MINUTE.plusSeconds(5)).delivered());
        return new PairTotals(new PairKey(ws, src, "dst"), COMPLETE, DeliveryTotals.ZERO.plus(b));
    }

    @Test
    void shouldExportEveryShardAndReportAnUnreachableOneAsDown() {
        DeliveryExport g = new TotalsExport(store, 100).all();

        assertThat(g.pairs())
                .extracting(p -> p.pair().workspaceId() + "/" + p.pair().sourceId())
                .containsExactly("ws_a/s1", "ws_a/s2", "ws_a/s3", "ws_b/s1", "ws_b/s2");
        assertThat(g.truncated()).isFalse();
        assertThat(g.shards())
                .extracting(DeliveryExport.ShardStatus::up)
                .containsExactly(true, true, false);
        assertThat(g.shards().get(0).finalThrough()).contains(COMPLETE);
        assertThat(g.shards().get(2).failure()).contains("connection refused");
    }

    @Test
    void shouldCapThePairsOverAllShardsAndSayThatSomeWereLeftOut() {
        DeliveryExport g = new TotalsExport(store, 4).all();

        assertThat(g.pairs()).hasSize(4);
        assertThat(g.pairs().get(3).pair().workspaceId()).isEqualTo("ws_b");
        assertThat(g.truncated()).isTrue();
        assertThat(g.maxPairs()).isEqualTo(4);
        assertThat(reads).containsExactly("0:null:4", "1:null:1", "2:null:0");
    }

    @Test
    void shouldStillLearnOfLeftOutPairsWhenTheCapIsReachedOnAnEarlierShard() {
        DeliveryExport g = new TotalsExport(store, 3).all();

        assertThat(g.pairs()).hasSize(3);
        assertThat(g.truncated()).as("shard 1 had rows that did not fit").isTrue();
    }

    @Test
    void shouldReadOnlyTheWorkspacesShardForAScopedExport() {
        DeliveryExport g = new TotalsExport(store, 100).workspace("ws_b");

        assertThat(g.pairs()).extracting(p -> p.pair().workspaceId()).containsOnly("ws_b");
        assertThat(g.shards()).extracting(DeliveryExport.ShardStatus::shard).containsExactly(1);
        assertThat(reads).containsExactly("1:ws_b:100");
    }
}
