package io.deliverymetrics.api;

import static io.deliverymetrics.api.support.Attempts.select;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deliverymetrics.api.support.Attempts;
import io.deliverymetrics.api.support.Expected;
import io.deliverymetrics.api.support.HttpResult;
import io.deliverymetrics.api.support.ObservedResponses;
import io.deliverymetrics.api.support.ObservedResponsesExtension;
import io.deliverymetrics.api.support.TestDeployment;
import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.infra.EmbeddedInfraExtension;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.UniqueNames;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Totals per pair for pollers, and the error breakdown. */
@ExtendWith({EmbeddedInfraExtension.class, ObservedResponsesExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SummaryAndErrorsITCase {

    private static final Instant START = Instant.parse("2026-11-26T10:00:00Z");
    private static final Instant END = Instant.parse("2026-11-26T12:00:00Z");
    private static final String[][] PAIRS = {
        {"src_b", "dst_x"}, {"src_a", "dst_y"}, {"src_a", "dst_x"}, {"src_c", "dst_z"}
    };

    private final TestDeployment api;
    private final String ws;
    private final List<DeliveryAttempt> attempts = new ArrayList<>();
    private String token;

    SummaryAndErrorsITCase(EmbeddedMariaDb db, UniqueNames names, ObservedResponses observed) {
        this.api = TestDeployment.start(db, names, observed, Map.of());
        this.ws = api.workspaceOnShard(0);
    }

    @BeforeAll
    void seed() {
        Random rnd = new Random(11);
        for (String[] p : PAIRS) {
            attempts.addAll(Attempts.generate(rnd, new PairKey(ws, p[0], p[1]), START, END, 500));
        }
        api.write(Granularity.MINUTE, Attempts.rows(Granularity.MINUTE, attempts));
        api.completeThrough(0, Instant.parse("2026-11-26T11:59:00Z"));
        token = api.token(ws);
    }

    @AfterAll
    void stop() {
        api.close();
    }

    @Test
    void shouldAnswerEveryOtherMetricIdenticallyWhetherOrNotLatencyQuantilesAreAsked() {
        String counters =
                "successes,retried,discarded,expired,filtered,success_rate,latency_avg,latency_max,"
                        + "successes_by_attempt";
        String range = "?start=" + START + "&end=" + END;

        HttpResult all = api.get(summary(range), token);
        HttpResult countersOnly = api.get(summary(range + "&metrics=" + counters), token);
        HttpResult seriesAll =
                api.get(TimeseriesITCase.timeseries(ws) + range + "&group_by=pair", token);
        HttpResult seriesCounters =
                api.get(
                        TimeseriesITCase.timeseries(ws)
                                + range
                                + "&group_by=pair&metrics="
                                + counters,
                        token);

        assertThat(List.of(all, countersOnly, seriesAll, seriesCounters))
                .extracting(HttpResult::status)
                .containsOnly(200);
        assertThat(withoutQuantiles(all.json().get("pairs")))
                .isEqualTo(countersOnly.json().get("pairs"));
        for (int s = 0; s < PAIRS.length; s++) {
            assertThat(withoutQuantiles(seriesAll.json().get("series").get(s).get("points")))
                    .isEqualTo(seriesCounters.json().get("series").get(s).get("points"));
        }
        assertThat(all.json().get("pairs").get(0).get("latency_p95").isNumber()).isTrue();
    }

    private static JsonNode withoutQuantiles(JsonNode array) {
        JsonNode copy = array.deepCopy();
        for (JsonNode element : copy) {
            ((ObjectNode) element)
                    .remove(List.of("latency_p50", "latency_p90", "latency_p95", "latency_p99"));
        }
        return copy;
    }

    @Test
    void shouldTotalEachPairOverTheRangeInPairOrder() {
        HttpResult r = api.get(summary("?start=" + START + "&end=" + END), token);

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode pairs = r.json().get("pairs");
        assertThat(pairs).hasSize(4);
        assertThat(r.json().get("partial").asBoolean()).isTrue();
        assertThat(r.json().get("query").get("group_by").asText()).isEqualTo("pair");
        String[][] sorted = {
            {"src_a", "dst_x"}, {"src_a", "dst_y"}, {"src_b", "dst_x"}, {"src_c", "dst_z"}
        };
        for (int i = 0; i < sorted.length; i++) {
            String src = sorted[i][0];
            String dst = sorted[i][1];
            assertThat(pairs.get(i).get("source_id").asText()).isEqualTo(src);
            assertThat(pairs.get(i).get("destination_id").asText()).isEqualTo(dst);
            Expected.of(
                            select(
                                    attempts,
                                    START,
                                    END,
                                    a -> a.sourceId().equals(src) && a.destinationId().equals(dst)))
                    .assertMatches(pairs.get(i));
        }
    }

    @Test
    void shouldPageThroughPairsOfTheSummary() {
        JsonNode first =
                api.get(summary("?start=" + START + "&end=" + END + "&limit=3"), token).json();
        assertThat(first.get("pairs")).hasSize(3);
        String cursor = first.get("next_cursor").asText();

        JsonNode second =
                api.get(
                                summary(
                                        "?start="
                                                + START
                                                + "&end="
                                                + END
                                                + "&limit=3&cursor="
                                                + cursor),
                                token)
                        .json();

        assertThat(second.get("pairs")).hasSize(1);
        assertThat(second.get("pairs").get(0).get("source_id").asText()).isEqualTo("src_c");
        assertThat(second.get("next_cursor").isNull()).isTrue();
    }

    @Test
    void shouldSummariseOnlyTheFilteredSourceWithTheRequestedMetrics() {
        JsonNode body =
                api.get(
                                summary(
                                        "?start="
                                                + START
                                                + "&end="
                                                + END
                                                + "&source=src_a&metrics=successes,discarded"),
                                token)
                        .json();

        assertThat(body.get("pairs")).hasSize(2);
        JsonNode p = body.get("pairs").get(1);
        assertThat(p.get("destination_id").asText()).isEqualTo("dst_y");
        Expected e =
                Expected.of(
                        select(
                                attempts,
                                START,
                                END,
                                a ->
                                        a.sourceId().equals("src_a")
                                                && a.destinationId().equals("dst_y")));
        assertThat(p.get("successes").asLong()).isEqualTo(e.successes());
        assertThat(p.get("discarded").asLong()).isEqualTo(e.discarded());
        assertThat(p.has("retried")).isFalse();
    }

    @Test
    void shouldCountFailuresByOutcomeAndErrorCodeWithTheirShare() {
        HttpResult r =
                api.get(
                        "/v1/workspaces/" + ws + "/delivery-errors?start=" + START + "&end=" + END,
                        token);

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        Expected e = Expected.of(select(attempts, START, END, a -> true));
        long total = e.retried() + e.discarded() + e.expired();
        assertThat(r.json().get("total_failures").asLong()).isEqualTo(total);
        Map<String, Long> byOutcome = new HashMap<>();
        for (JsonNode o : r.json().get("by_outcome")) {
            byOutcome.put(o.get("outcome").asText(), o.get("count").asLong());
            assertThat(o.get("share").asDouble())
                    .isCloseTo((double) o.get("count").asLong() / total, within(1e-12));
        }
        assertThat(byOutcome)
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(
                                "retrying",
                                e.retried(),
                                "discarded",
                                e.discarded(),
                                "expired",
                                e.expired()));
        Map<String, Long> rows = new HashMap<>();
        long previous = Long.MAX_VALUE;
        double shares = 0;
        for (JsonNode row : r.json().get("errors")) {
            long n = row.get("count").asLong();
            assertThat(n).as("most frequent first").isLessThanOrEqualTo(previous);
            previous = n;
            rows.put(row.get("outcome").asText() + "/" + row.get("error_code").asText(), n);
            shares += row.get("share").asDouble();
        }
        assertThat(rows).isEqualTo(e.errors());
        assertThat(shares).isCloseTo(1.0, within(1e-9));
        assertThat(r.json().get("truncated").asBoolean()).isFalse();
    }

    @Test
    void shouldLimitAndFilterTheErrorBreakdown() {
        JsonNode body =
                api.get(
                                "/v1/workspaces/"
                                        + ws
                                        + "/delivery-errors?start="
                                        + START
                                        + "&end="
                                        + END
                                        + "&destination=dst_z&limit=2",
                                token)
                        .json();

        Expected e =
                Expected.of(select(attempts, START, END, a -> a.destinationId().equals("dst_z")));
        assertThat(body.get("total_failures").asLong())
                .isEqualTo(e.retried() + e.discarded() + e.expired());
        assertThat(body.get("errors")).hasSize(2);
        assertThat(body.get("truncated").asBoolean()).isTrue();
        long top = e.errors().values().stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat(body.get("errors").get(0).get("count").asLong()).isEqualTo(top);
    }

    private String summary(String query) {
        return "/v1/workspaces/" + ws + "/delivery-metrics/summary" + query;
    }
}
