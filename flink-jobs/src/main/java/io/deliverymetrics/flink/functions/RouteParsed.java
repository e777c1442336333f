package io.deliverymetrics.flink.functions;

import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.flink.model.DeadLetter;
import io.deliverymetrics.flink.model.ParsedRecord;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Splits parsed records into valid attempts (main output) and dead letters (side output), counting
 * both, the rejects by reason, and the valid attempts whose error message was truncated. Without
 * error samples ({@code samples.enabled: false}) error messages are dropped here, so no state,
 * checkpoint or table ever holds one; without the event breakdown ({@code events.enabled: false})
 * so are event types and names.
 */
public final class RouteParsed extends ProcessFunction<ParsedRecord, DeliveryAttempt> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>(
                    "dead-letters",
                    org.apache.flink.api.common.typeinfo.TypeInformation.of(DeadLetter.class));

    private transient Counter parsed;
    private transient Counter rejected;
    private transient Counter errorMessagesTruncated;
    private transient Map<String, Counter> rejectedByReason;
    private transient MetricGroup reasons;

    private final boolean keepErrorMessages;
    private final boolean keepEvents;

    /** Keeps error messages (for the error samples) and event types and names. */
    public RouteParsed() {
        this(true, true);
    }

    /**
     * @param keepErrorMessages whether attempts keep their error message (false: dropped)
     * @param keepEvents whether attempts keep their event type and name (false: dropped, every
     *     attempt counts under the unknown type without a name)
     */
    public RouteParsed(boolean keepErrorMessages, boolean keepEvents) {
        this.keepErrorMessages = keepErrorMessages;
        this.keepEvents = keepEvents;
    }

    @Override
    public void open(OpenContext openContext) {
        MetricGroup g = getRuntimeContext().getMetricGroup();
        parsed = g.counter("recordsParsed");
        rejected = g.counter("recordsRejected");
        errorMessagesTruncated = g.counter("errorMessagesTruncated");
        reasons = g.addGroup("rejectReason");
        rejectedByReason = new HashMap<>();
    }

    @Override
    public void processElement(ParsedRecord r, Context ctx, Collector<DeliveryAttempt> out) {
        if (r.isValid()) {
            parsed.inc();
            if (r.errorMessageTruncated()) {
                errorMessagesTruncated.inc();
            }
            DeliveryAttempt a = r.attempt();
            boolean dropMessage = !keepErrorMessages && a.errorMessage() != null;
            boolean dropEvent =
                    !keepEvents
                            && (a.eventName() != null
                                    || !DeliveryAttempt.UNKNOWN_TYPE.equals(a.eventType()));
            if (dropMessage || dropEvent) {
                a =
                        new DeliveryAttempt(
                                a.workspaceId(),
                                a.sourceId(),
                                a.destinationId(),
                                a.eventId(),
                                a.attempt(),
                                a.outcome(),
                                a.errorCode(),
                                a.receivedAt(),
                                a.completedAt(),
                                a.destinationType(),
                                dropEvent ? DeliveryAttempt.UNKNOWN_TYPE : a.eventType(),
                                dropEvent ? null : a.eventName(),
                                dropMessage ? null : a.errorMessage());
            }
            out.collect(a);
            return;
        }
        rejected.inc();
        rejectedByReason.computeIfAbsent(r.rejected().reason(), reasons::counter).inc();
        ctx.output(DEAD_LETTERS, r.rejected());
    }
}
