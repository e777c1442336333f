package io.deliverymetrics.datadog.goals;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class GoalSyncTest {

    private static JsonNode json(String s) throws Exception {
        return new ObjectMapper().readTree(s);
    }

    @Test
    void shouldTreatFieldsDatadogAddsAsUnchangedAndAnyFieldWeSetAsAChange() throws Exception {
        JsonNode desired =
                json(
                        "{\"name\":\"n\",\"tags\":[\"b:2\",\"a:1\"],\"options\":{\"thresholds\":"
                                + "{\"critical\":14.4}},\"thresholds\":[{\"target\":99.5}]}");

        assertThat(
                        GoalSync.covers(
                                json(
                                        "{\"id\":7,\"name\":\"n\",\"tags\":[\"A:1\",\"b:2\"],"
                                                + "\"options\":{\"thresholds\":{\"critical\":14.4},"
                                                + "\"notify_audit\":false},"
                                                + "\"thresholds\":[{\"target\":99.5,"
                                                + "\"target_display\":\"99.5\"}]}"),
                                desired))
                .isTrue();
        assertThat(
                        GoalSync.covers(
                                json(
                                        "{\"name\":\"n\",\"tags\":[\"a:1\",\"b:2\",\"c:3\"],"
                                                + "\"options\":{\"thresholds\":{\"critical\":14.4}},"
                                                + "\"thresholds\":[{\"target\":99.5}]}"),
                                desired))
                .as("an extra tag")
                .isFalse();
        assertThat(
                        GoalSync.covers(
                                json(
                                        "{\"name\":\"n\",\"tags\":[\"a:1\",\"b:2\"],"
                                                + "\"options\":{\"thresholds\":{\"critical\":6}},"
                                                + "\"thresholds\":[{\"target\":99.5}]}"),
                                desired))
                .as("another threshold")
                .isFalse();
        assertThat(
                        GoalSync.covers(
                                json(
                                        "{\"name\":\"n\",\"tags\":[\"a:1\",\"b:2\"],"
                                                + "\"options\":{\"thresholds\":{\"critical\":14.4}},"
                                                + "\"thresholds\":[{\"target\":99.5},{\"target\":99}]}"),
                                desired))
                .as("another threshold list")
                .isFalse();
    }

    @Test
    void shouldNotCompareTheClientModelsDefaults() throws Exception {
        JsonNode desired =
                json(
                        "{\"draft_status\":\"published\",\"options\":{\"notify_audit\":false,"
                                + "\"thresholds\":{\"critical\":6}}}");
        JsonNode defaults =
                json("{\"draft_status\":\"published\",\"options\":{\"notify_audit\":false}}");

        JsonNode compared = GoalSync.withoutDefaults(desired, defaults);

        assertThat(compared).isEqualTo(json("{\"options\":{\"thresholds\":{\"critical\":6}}}"));
        assertThat(
                        GoalSync.covers(
                                json("{\"options\":{\"thresholds\":{\"critical\":6}}}"), compared))
                .isTrue();
    }
}
