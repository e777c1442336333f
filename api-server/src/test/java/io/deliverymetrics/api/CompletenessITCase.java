package io.deliverymetrics.api;

import static io.deliverymetrics.api.TimeseriesITCase.timeseries;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deliverymetrics.api.support.ObservedResponses;
import io.deliverymetrics.api.support.ObservedResponsesExtension;
import io.deliverymetrics.api.support.TestDeployment;
import io.deliverymetrics.infra.EmbeddedInfraExtension;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.UniqueNames;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** complete_through comes from the workspace's shard; buckets not wholly before it are partial. */
@ExtendWith({EmbeddedInfraExtension.class, ObservedResponsesExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CompletenessITCase {

    private final TestDeployment api;

    CompletenessITCase(EmbeddedMariaDb db, UniqueNames names, ObservedResponses observed) {
        this.api = TestDeployment.start(db, names, observed, Map.of());
    }

    @AfterAll
    void stop() {
        api.close();
    }

    @Test
    void shouldMarkBucketsAtOrAfterCompleteThroughAsPartial() {
        String ws = api.workspaceOnShard(1);
        api.completeThrough(1, Instant.parse("2026-11-26T11:30:00Z"));

        JsonNode body = api.get(timeseries(ws), api.token(ws)).json();

        assertThat(body.get("complete_through").asText()).isEqualTo("2026-11-26T11:30:00Z");
        JsonNode points = body.get("series").get(0).get("points");
        for (JsonNode p : points) {
            boolean before =
                    Instant.parse(p.get("start").asText())
                            .isBefore(Instant.parse("2026-11-26T11:30:00Z"));
            assertThat(p.get("partial").asBoolean()).as(p.get("start").asText()).isEqualTo(!before);
        }
    }

    /** On its own deployment: progress never moves back, so it would leak into the others. */
    @Test
    void shouldTakeCompleteMinutesFromTheWatermarkAndReportTheFinalOnesApart(
            EmbeddedMariaDb db, UniqueNames names, ObservedResponses observed) {
        try (TestDeployment own = TestDeployment.start(db, names, observed, Map.of())) {
            String ws = own.workspaceOnShard(1);
            // The watermark has passed every on-time record of 11:30; the allowed lateness has
            // passed only 11:29's end.
            own.progress(
                    1,
                    Instant.parse("2026-11-26T11:30:59.999Z"),
                    Instant.parse("2026-11-26T11:30:00Z"));

            JsonNode body = own.get(timeseries(ws), own.token(ws)).json();

            assertThat(body.get("complete_through").asText()).isEqualTo("2026-11-26T11:31:00Z");
            assertThat(body.get("final_through").asText()).isEqualTo("2026-11-26T11:30:00Z");
            for (JsonNode p : body.get("series").get(0).get("points")) {
                boolean before =
                        Instant.parse(p.get("start").asText())
                                .isBefore(Instant.parse("2026-11-26T11:31:00Z"));
                assertThat(p.get("partial").asBoolean())
                        .as(p.get("start").asText())
                        .isEqualTo(!before);
            }
        }
    }

    @Test
    void shouldMarkAnHourPartialWhenCompleteThroughFallsInsideIt() {
        String ws = api.workspaceOnShard(1);
        api.completeThrough(1, Instant.parse("2026-11-26T11:30:00Z"));

        JsonNode points =
                api.get(
                                timeseries(ws)
                                        + "?granularity=hour&start=2026-11-26T09:00:00Z&end=2026-11-26T12:00:00Z",
                                api.token(ws))
                        .json()
                        .get("series")
                        .get(0)
                        .get("points");

        assertThat(points).hasSize(3);
        assertThat(points.get(0).get("partial").asBoolean()).isFalse();
        assertThat(points.get(1).get("partial").asBoolean()).isFalse();
        assertThat(points.get(2).get("partial").asBoolean()).isTrue();
    }

    @Test
    void shouldReportEveryBucketPartialWhileThePipelineHasNotReportedOnTheShard() {
        String ws = api.workspaceOnShard(0);

        JsonNode body = api.get(timeseries(ws), api.token(ws)).json();

        assertThat(body.get("complete_through").isNull()).isTrue();
        assertThat(body.get("final_through").isNull()).isTrue();
        for (JsonNode p : body.get("series").get(0).get("points")) {
            assertThat(p.get("partial").asBoolean()).isTrue();
        }
    }

    /**
     * With {@code query.progress-max-age} a shard's progress is read once per period (the other
     * tests here run with 0s): an advance within the period does not show yet, so buckets stay
     * partial longer but are never reported complete early.
     */
    @Test
    void shouldReuseAShardsProgressWithinTheMaxAge(
            EmbeddedMariaDb db, UniqueNames names, ObservedResponses observed) {
        try (TestDeployment cached =
                TestDeployment.start(db, names, observed, Map.of("query.progress-max-age", "1h"))) {
            String ws = cached.workspaceOnShard(1);
            cached.completeThrough(1, Instant.parse("2026-11-26T11:30:00Z"));
            JsonNode first = cached.get(timeseries(ws), cached.token(ws)).json();

            cached.completeThrough(1, Instant.parse("2026-11-26T11:45:00Z"));
            JsonNode second = cached.get(timeseries(ws), cached.token(ws)).json();

            assertThat(first.get("complete_through").asText()).isEqualTo("2026-11-26T11:30:00Z");
            assertThat(second.get("complete_through").asText()).isEqualTo("2026-11-26T11:30:00Z");
        }
    }
}
