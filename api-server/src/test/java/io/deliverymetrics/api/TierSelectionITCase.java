package io.deliverymetrics.api;

import static io.deliverymetrics.api.TimeseriesITCase.timeseries;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deliverymetrics.api.support.HttpResult;
import io.deliverymetrics.api.support.ObservedResponses;
import io.deliverymetrics.api.support.ObservedResponsesExtension;
import io.deliverymetrics.api.support.RouteTemplates;
import io.deliverymetrics.api.support.TestDeployment;
import io.deliverymetrics.infra.EmbeddedInfraExtension;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.UniqueNames;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tier choice at the edges of retention (minute 7 d, hour 180 d, day 1,095 d) and of the point cap
 * (1,440), with the server's clock fixed at {@link TestDeployment#NOW}.
 */
@ExtendWith({EmbeddedInfraExtension.class, ObservedResponsesExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TierSelectionITCase {

    private static final Instant END = Instant.parse("2026-11-26T12:00:00Z");

    /** floor_minute(NOW − 7 d): the oldest minute bucket still kept. */
    private static final Instant OLDEST_MINUTE = Instant.parse("2026-11-19T12:00:00Z");

    private final TestDeployment api;
    private final String ws;
    private final String token;

    TierSelectionITCase(EmbeddedMariaDb db, UniqueNames names, ObservedResponses observed) {
        this.api = TestDeployment.start(db, names, observed, Map.of());
        this.ws = api.workspaceOnShard(0);
        this.token = api.token(ws);
    }

    @AfterAll
    void stop() {
        api.close();
    }

    @Test
    void shouldServeExactly1440MinutesAtMinuteGranularity() {
        JsonNode q = query(END.minus(Duration.ofMinutes(1440)), END, "auto");

        assertThat(q.get("query").get("granularity").asText()).isEqualTo("minute");
        assertThat(q.get("series").get(0).get("points")).hasSize(1440);
    }

    @Test
    void shouldSwitchToHoursAt1441Minutes() {
        JsonNode q = query(END.minus(Duration.ofMinutes(1441)), END, "auto");

        assertThat(q.get("query").get("granularity").asText()).isEqualTo("hour");
        assertThat(q.get("query").get("start").asText()).isEqualTo("2026-11-25T11:00:00Z");
        assertThat(q.get("series").get(0).get("points")).hasSize(25);
    }

    @Test
    void shouldServeMinutesFromTheOldestRetainedMinuteButNotBefore() {
        JsonNode atEdge = query(OLDEST_MINUTE, OLDEST_MINUTE.plus(Duration.ofHours(1)), "auto");
        JsonNode beyond =
                query(
                        OLDEST_MINUTE.minusSeconds(60),
                        OLDEST_MINUTE.plus(Duration.ofHours(1)),
                        "auto");

        assertThat(atEdge.get("query").get("granularity").asText()).isEqualTo("minute");
        assertThat(beyond.get("query").get("granularity").asText()).isEqualTo("hour");
    }

    @Test
    void shouldAlignAnUnalignedRangeToTheChosenGranularity() {
        JsonNode minutes =
                query(
                        Instant.parse("2026-11-26T11:00:30Z"),
                        Instant.parse("2026-11-26T11:10:10Z"),
                        "minute");
        JsonNode hours =
                query(
                        Instant.parse("2026-11-26T09:15:00Z"),
                        Instant.parse("2026-11-26T11:45:00Z"),
                        "hour");

        assertThat(minutes.get("query").get("start").asText()).isEqualTo("2026-11-26T11:00:00Z");
        assertThat(minutes.get("query").get("end").asText()).isEqualTo("2026-11-26T11:11:00Z");
        assertThat(minutes.get("series").get(0).get("points")).hasSize(11);
        assertThat(hours.get("query").get("start").asText()).isEqualTo("2026-11-26T09:00:00Z");
        assertThat(hours.get("query").get("end").asText()).isEqualTo("2026-11-26T12:00:00Z");
        assertThat(hours.get("query").get("requested_granularity").asText()).isEqualTo("hour");
        assertThat(hours.get("series").get(0).get("points")).hasSize(3);
    }

    @Test
    void shouldServeDaysWhenOnlyTheDayTierStillCoversStart() {
        JsonNode q =
                query(
                        Instant.parse("2026-01-01T00:00:00Z"),
                        Instant.parse("2026-03-01T00:00:00Z"),
                        "auto");

        assertThat(q.get("query").get("granularity").asText()).isEqualTo("day");
        assertThat(q.get("series").get(0).get("points")).hasSize(59);
    }

    @Test
    void shouldRefuseAnExplicitMinuteRangeBeyondRetentionWith422() {
        HttpResult r =
                api.get(
                        timeseries(ws)
                                + "?granularity=minute&start="
                                + OLDEST_MINUTE.minusSeconds(60)
                                + "&end="
                                + OLDEST_MINUTE.plusSeconds(600),
                        token);

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("type").asText())
                .isEqualTo("urn:problem-type:delivery-metrics:beyond-retention");
        assertThat(r.json().get("granularity").asText()).isEqualTo("minute");
        assertThat(r.json().get("oldest_available").asText()).isEqualTo(OLDEST_MINUTE.toString());
        assertThat(r.json().get("detail").asText()).contains("7 days");
    }

    @Test
    void shouldRefuseAnExplicitMinuteRangeBeyondRetentionWith422OnEveryQuery() {
        String beyond =
                "?granularity=minute&start="
                        + OLDEST_MINUTE.minusSeconds(60)
                        + "&end="
                        + OLDEST_MINUTE.plusSeconds(600);
        Map<String, HttpResult> answers = new LinkedHashMap<>();
        for (ApiServer.Route query : RouteTemplates.queries()) {
            answers.put(
                    query.path(), api.get(RouteTemplates.fill(query.path(), ws) + beyond, token));
        }

        assertThat(answers)
                .allSatisfy(
                        (path, r) -> {
                            assertThat(r.status()).as("%s %s", path, r).isEqualTo(422);
                            assertThat(r.contentType()).startsWith("application/problem+json");
                            assertThat(r.json().get("type").asText())
                                    .isEqualTo(
                                            "urn:problem-type:delivery-metrics:beyond-retention");
                        });
    }

    @Test
    void shouldRefuseAnExplicitMinuteRangeOfTooManyPointsWith422() {
        HttpResult r =
                api.get(
                        timeseries(ws)
                                + "?granularity=minute&start="
                                + END.minus(Duration.ofMinutes(1441))
                                + "&end="
                                + END,
                        token);

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().get("type").asText())
                .isEqualTo("urn:problem-type:delivery-metrics:too-many-points");
        assertThat(r.json().get("points").asInt()).isEqualTo(1441);
        assertThat(r.json().get("max_points").asInt()).isEqualTo(1440);
        assertThat(r.json().get("status").asInt()).isEqualTo(422);
        assertThat(r.json().get("instance").asText()).isEqualTo(timeseries(ws));
    }

    @Test
    void shouldRefuseAutoWhenEvenTheDayTierNoLongerCoversStart() {
        HttpResult r =
                api.get(
                        timeseries(ws) + "?start=2023-11-01T00:00:00Z&end=2023-12-01T00:00:00Z",
                        token);

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().get("granularity").asText()).isEqualTo("day");
        assertThat(r.json().get("detail").asText())
                .startsWith("no granularity can serve this range");
    }

    private JsonNode query(Instant start, Instant end, String granularity) {
        HttpResult r =
                api.get(
                        timeseries(ws)
                                + "?granularity="
                                + granularity
                                + "&start="
                                + start
                                + "&end="
                                + end
                                + "&metrics=successes",
                        token);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }
}
