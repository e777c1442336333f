package io.deliverymetrics.flink.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.flink.model.ParsedRecord;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.metrics.groups.InternalOperatorMetricGroup;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.runtime.metrics.util.InterceptingTaskMetricGroup;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The parse step as the job runs it: the deserializer's results routed and counted. */
class RouteParsedTest {

    private static final String RECORD =
            "{\"workspace_id\":\"ws\",\"source_id\":\"src\",\"destination_id\":\"dst\","
                    + "\"event_id\":\"e%d\",\"attempt\":1,\"outcome\":\"discarded\","
                    + "\"error_code\":\"http_503\",\"received_at\":\"2026-11-26T10:00:00Z\","
                    + "\"completed_at\":\"2026-11-26T10:00:01Z\",\"destination_type\":%s,"
                    + "\"event_name\":%s,\"error_message\":%s}";

    private final AttemptDeserializer deserializer = new AttemptDeserializer(16 * 1024);

    @Test
    void shouldCountTruncatedErrorMessagesAndRejectsByReason() throws Exception {
        InterceptingOperatorMetricGroup metrics = new InterceptingOperatorMetricGroup();
        MockEnvironment env =
                new MockEnvironmentBuilder()
                        .setMetricGroup(
                                new InterceptingTaskMetricGroup() {
                                    @Override
                                    public InternalOperatorMetricGroup getOrAddOperator(
                                            OperatorID id,
                                            String name,
                                            Map<String, String> additionalVariables) {
                                        return metrics;
                                    }
                                })
                        .build();
        String html = "\"<html>" + "x".repeat(1_100) + "</html>\"";
        try (OneInputStreamOperatorTestHarness<ParsedRecord, DeliveryAttempt> h =
                new OneInputStreamOperatorTestHarness<>(
                        new ProcessOperator<>(new RouteParsed()), env)) {
            h.open();
            h.processElement(record(1, "\"braze\"", "\"Order Completed\"", html));
            h.processElement(record(2, "\"braze\"", "null", "\"short\""));
            h.processElement(record(3, "null", "\"Caf\u00e9\"", html));
            h.processElement(record(4, "\"Braze\"", "null", "null"));
            h.processElement(record(5, "\"s3\"", "\"a\\u0000b\"", "null"));

            assertThat(h.extractOutputValues())
                    .extracting(DeliveryAttempt::eventId, DeliveryAttempt::destinationType)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("e1", "braze"),
                            org.assertj.core.groups.Tuple.tuple("e2", "braze"),
                            org.assertj.core.groups.Tuple.tuple("e3", "unknown"));
            assertThat(h.extractOutputValues().get(0).errorMessage())
                    .hasSize(1024)
                    .endsWith("…[truncated]");
            assertThat(h.getSideOutput(RouteParsed.DEAD_LETTERS))
                    .extracting(r -> r.getValue().reason())
                    .containsExactly("invalid_destination_type", "invalid_event_name");
            assertThat(((Counter) metrics.get("recordsParsed")).getCount()).isEqualTo(3);
            assertThat(((Counter) metrics.get("recordsRejected")).getCount()).isEqualTo(2);
            assertThat(((Counter) metrics.get("errorMessagesTruncated")).getCount()).isEqualTo(2);
        }
    }

    @Test
    void shouldDropErrorMessagesWhenSamplesAreDisabled() throws Exception {
        try (OneInputStreamOperatorTestHarness<ParsedRecord, DeliveryAttempt> h =
                new OneInputStreamOperatorTestHarness<>(
                        new ProcessOperator<>(new RouteParsed(false, true)))) {
            h.open();
            h.processElement(record(1, "\"braze\"", "\"Order Completed\"", "\"boom\""));

            assertThat(h.extractOutputValues()).hasSize(1);
            DeliveryAttempt a = h.extractOutputValues().get(0);
            assertThat(a.errorMessage()).isNull();
            assertThat(a.eventName()).isEqualTo("Order Completed");
            assertThat(a.errorCode()).isEqualTo("http_503");
        }
    }

    @Test
    void shouldDropEventTypesAndNamesWhenTheBreakdownIsDisabled() throws Exception {
        try (OneInputStreamOperatorTestHarness<ParsedRecord, DeliveryAttempt> h =
                new OneInputStreamOperatorTestHarness<>(
                        new ProcessOperator<>(new RouteParsed(true, false)))) {
            h.open();
            h.processElement(record(1, "\"braze\"", "\"Order Completed\"", "\"boom\""));

            assertThat(h.extractOutputValues()).hasSize(1);
            DeliveryAttempt a = h.extractOutputValues().get(0);
            assertThat(a.eventName()).isNull();
            assertThat(a.eventType()).isEqualTo(DeliveryAttempt.UNKNOWN_TYPE);
            assertThat(a.errorMessage()).isEqualTo("boom");
            assertThat(a.destinationType()).isEqualTo("braze");
            assertThat(a.errorCode()).isEqualTo("http_503");
        }
    }

    private StreamRecord<ParsedRecord> record(int n, String type, String name, String message) {
        byte[] value = RECORD.formatted(n, type, name, message).getBytes(StandardCharsets.UTF_8);
        return new StreamRecord<>(
                deserializer.parse(
                        "ws/src/dst".getBytes(StandardCharsets.UTF_8), value, "t", 0, n));
    }
}
