package io.deliverymetrics.datadog.forward;

import io.deliverymetrics.datadog.model.DeliveryMetric;
import io.deliverymetrics.datadog.model.DestinationReport;
import io.deliverymetrics.datadog.model.DestinationTypeStatus;
import io.deliverymetrics.datadog.model.OutgoingPoint;
import io.deliverymetrics.datadog.model.PairMinute;
import io.deliverymetrics.datadog.model.SeriesKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Turns the API's answers into Datadog points. A complete minute bucket of a pair gives one point
 * per metric at the bucket's start, tagged {@code workspace:}, {@code source:}, {@code
 * destination:}; a destination status report gives one point per destination type and metric at the
 * start of the last minute it covers, tagged {@code destination_type:} (and {@code status:} on the
 * status gauge). Both carry the configured extra tags. Partial buckets and undefined values
 * (latencies without deliveries, success rates without terminal events) produce nothing.
 */
public final class PointMapper {

    private final List<String> extraTags;

    public PointMapper(List<String> extraTags) {
        this.extraTags = List.copyOf(extraTags);
    }

    public List<OutgoingPoint> points(String workspace, Collection<PairMinute> minutes) {
        List<OutgoingPoint> out = new ArrayList<>();
        for (PairMinute m : minutes) {
            if (m.partial()) {
                continue;
            }
            List<String> tags = tags(workspace, m.source(), m.destination());
            for (Map.Entry<DeliveryMetric, Double> v : m.values().entrySet()) {
                if (v.getValue() != null && Double.isFinite(v.getValue())) {
                    out.add(
                            new OutgoingPoint(
                                    new SeriesKey(v.getKey(), tags), m.start(), v.getValue()));
                }
            }
        }
        return out;
    }

    /**
     * The points of a destination status report: none until it has a {@code complete_through},
     * otherwise stamped with the start of the last complete minute, {@code complete_through} − 1
     * min, the minute a pair's point for the same minute carries.
     */
    public List<OutgoingPoint> points(DestinationReport report) {
        if (report.completeThrough().isEmpty()) {
            return List.of();
        }
        Instant minute = report.completeThrough().get().minus(Duration.ofMinutes(1));
        List<OutgoingPoint> out = new ArrayList<>();
        for (DestinationTypeStatus t : report.types()) {
            List<String> tags = tags("destination_type:" + t.destinationType());
            List<String> statusTags = new ArrayList<>(tags);
            statusTags.add(1, "status:" + t.status().wireName());
            out.add(
                    point(
                            DeliveryMetric.DESTINATION_STATUS,
                            statusTags,
                            minute,
                            t.status().gauge()));
            out.add(point(DeliveryMetric.DESTINATION_ATTEMPTS, tags, minute, t.attempts()));
            t.successRate()
                    .ifPresent(
                            v ->
                                    out.add(
                                            point(
                                                    DeliveryMetric.DESTINATION_SUCCESS_RATE,
                                                    tags,
                                                    minute,
                                                    v)));
            t.latencyP95Ms()
                    .ifPresent(
                            v ->
                                    out.add(
                                            point(
                                                    DeliveryMetric.DESTINATION_LATENCY_P95,
                                                    tags,
                                                    minute,
                                                    v)));
            out.add(point(DeliveryMetric.DESTINATION_WORKSPACES, tags, minute, t.workspaces()));
            out.add(
                    point(
                            DeliveryMetric.DESTINATION_AFFECTED_WORKSPACES,
                            tags,
                            minute,
                            t.affectedWorkspaces()));
        }
        return out;
    }

    private static OutgoingPoint point(
            DeliveryMetric metric, List<String> tags, Instant minute, double value) {
        return new OutgoingPoint(new SeriesKey(metric, tags), minute, value);
    }

    private List<String> tags(String own) {
        List<String> tags = new ArrayList<>(2 + extraTags.size());
        tags.add(own);
        tags.addAll(extraTags);
        return tags;
    }

    List<String> tags(String workspace, String source, String destination) {
        List<String> tags = new ArrayList<>(3 + extraTags.size());
        tags.add("workspace:" + workspace);
        tags.add("source:" + source);
        tags.add("destination:" + destination);
        tags.addAll(extraTags);
        return tags;
    }
}
