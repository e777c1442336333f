package io.deliverymetrics.api.support;

import io.deliverymetrics.core.metrics.DistinctContributors;
import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.metrics.TypeBucket;
import io.deliverymetrics.core.model.AttemptBuilder;
import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.Outcome;
import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.sql.DestinationTypes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Constructed attempts of four destination types for the destination status, the global rows built
 * from them and the expected verdicts and figures, computed from the attempts with the documented
 * rules, not from the rows: an outage of amplitude across six workspaces from 11:50, a failure of
 * one of braze's six workspaces from 11:30, a healthy segment of five workspaces and a healthy tiny
 * type of two.
 */
public final class DestinationWorld {

    public static final Duration MINUTE = Duration.ofMinutes(1);
    public static final Instant COMPLETE = Instant.parse("2026-11-26T12:00:00Z");
    public static final Instant HORIZON = COMPLETE.minus(Duration.ofHours(1));
    public static final Instant MINUTES_FROM = Instant.parse("2026-11-26T10:00:00Z");
    public static final Instant BASELINE_FROM = HORIZON.minus(Duration.ofHours(24));

    /** The global hour tier is compacted up to here; the hour after comes from minute rows. */
    private static final Instant HOURS_COMPACTED = MINUTES_FROM;

    public static final Instant OUTAGE_FROM = Instant.parse("2026-11-26T11:50:00Z");
    private static final Instant LONE_FAILURE_FROM = Instant.parse("2026-11-26T11:30:00Z");

    /** Default thresholds (StatusThresholds.DEFAULTS), as the server runs with. */
    public static final int WINDOW = 5;

    private static final long MIN_ATTEMPTS = 100;
    private static final long MIN_WORKSPACES = 3;

    /** Type → its workspaces. */
    public static final Map<String, List<String>> TYPES = new LinkedHashMap<>();

    static {
        TYPES.put("amplitude", workspaces("ws_amp_", 6));
        TYPES.put("braze", workspaces("ws_brz_", 6));
        TYPES.put("segment", workspaces("ws_seg_", 5));
        TYPES.put("tiny", workspaces("ws_tny_", 2));
    }

    /** One attempt and the destination type it went to. */
    public record Sent(String type, DeliveryAttempt attempt) {}

    private final List<Sent> sent = world();

    /** Every constructed attempt. */
    public List<Sent> sent() {
        return sent;
    }

    /** The attempts to {@code type} completed in [from, to). */
    public List<DeliveryAttempt> attempts(String type, Instant from, Instant to) {
        return select(from, to, s -> s.type().equals(type)).stream().map(Sent::attempt).toList();
    }

    /**
     * What {@code type}'s attempts add up to over the status window ending at {@link #COMPLETE}.
     */
    public Figures window(String type) {
        return figures(type, COMPLETE.minus(MINUTE.multipliedBy(WINDOW)), COMPLETE);
    }

    private static List<String> workspaces(String prefix, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(prefix + i);
        }
        return out;
    }

    /**
     * Yesterday's hours (baseline, 2 % retried, about 3 % expired) and the last two hours minute by
     * minute: healthy, except amplitude failing everywhere from 11:50 and braze's first workspace
     * from 11:30.
     */
    private static List<Sent> world() {
        List<Sent> out = new ArrayList<>();
        Map<String, Integer> counters = new HashMap<>();
        for (Map.Entry<String, List<String>> e : TYPES.entrySet()) {
            String type = e.getKey();
            for (int w = 0; w < e.getValue().size(); w++) {
                String ws = e.getValue().get(w);
                for (Instant h = BASELINE_FROM; h.isBefore(MINUTES_FROM); h = h.plusSeconds(3600)) {
                    for (int i = 0; i < 12; i++) {
                        int n = counters.merge(type + ws, 1, Integer::sum);
                        Outcome o =
                                n % 50 == 0
                                        ? Outcome.RETRYING
                                        : n % 35 == 0 ? Outcome.EXPIRED : Outcome.DELIVERED;
                        out.add(attempt(type, ws, h.plusSeconds(i * 300L + 7), n, o));
                    }
                }
                int perMinute = type.equals("tiny") ? 12 : 5;
                for (Instant m = MINUTES_FROM; m.isBefore(COMPLETE); m = m.plus(MINUTE)) {
                    boolean failing =
                            (type.equals("amplitude") && !m.isBefore(OUTAGE_FROM))
                                    || (type.equals("braze")
                                            && w == 0
                                            && !m.isBefore(LONE_FAILURE_FROM));
                    for (int i = 0; i < perMinute; i++) {
                        int n = counters.merge(type + ws, 1, Integer::sum);
                        Outcome o = failing ? Outcome.DISCARDED : Outcome.DELIVERED;
                        out.add(attempt(type, ws, m.plusSeconds(i * 4L + 1), n, o));
                    }
                }
            }
        }
        return out;
    }

    private static Sent attempt(String type, String ws, Instant at, int n, Outcome o) {
        return new Sent(
                type,
                AttemptBuilder.anAttempt()
                        .pair(ws, "src_web", "dst_" + type)
                        .at(at)
                        .latencyMs(n % 10 == 0 ? 300 : 100)
                        .errorCode(o == Outcome.DELIVERED ? null : "http_500")
                        .outcome(o));
    }

    /**
     * Writes the global rows as the job and compaction would: hour rows of yesterday (compacted
     * through 10:00), minute rows of the last two hours, and a stale hour row for 10:00, which is
     * not compacted yet and must be ignored in favour of its minute rows.
     */
    public void seed(TestDeployment d) {
        List<Sent> hours = select(BASELINE_FROM, MINUTES_FROM, s -> true);
        List<Sent> minutes = select(MINUTES_FROM, COMPLETE, s -> true);
        d.writeGlobal(Granularity.HOUR, rows(Granularity.HOUR, hours));
        d.writeGlobal(Granularity.MINUTE, rows(Granularity.MINUTE, minutes));
        List<Sent> stale = new ArrayList<>();
        for (String type : TYPES.keySet()) {
            for (int i = 0; i < 500; i++) {
                stale.add(
                        attempt(
                                type,
                                "ws_stale",
                                MINUTES_FROM.plusSeconds(i),
                                i,
                                Outcome.DISCARDED));
            }
        }
        d.writeGlobal(Granularity.HOUR, rows(Granularity.HOUR, stale));
        d.globalCompactedThrough(Granularity.HOUR, HOURS_COMPACTED);
        d.globalCompleteThrough(COMPLETE);
    }

    /**
     * One row per (type, bucket), each built with MetricBucket.add and DistinctContributors.add.
     */
    private static List<TypeBucket> rows(Granularity g, List<Sent> sent) {
        Map<String, TreeMap<Instant, TypeBucket>> byType = new TreeMap<>();
        for (Sent s : sent) {
            TypeBucket row =
                    byType.computeIfAbsent(s.type(), k -> new TreeMap<>())
                            .computeIfAbsent(
                                    g.floor(s.attempt().completedAt()),
                                    t ->
                                            new TypeBucket(
                                                    s.type(),
                                                    t,
                                                    new MetricBucket(),
                                                    new DistinctContributors()));
            row.bucket().add(s.attempt());
            row.contributors().add(s.attempt().pair(), s.attempt().outcome().isFailure());
        }
        List<TypeBucket> out = new ArrayList<>();
        byType.values().forEach(m -> out.addAll(m.values()));
        return out;
    }

    /**
     * The workspaces' pair minute rows of the last two hours, each destination's type as the job
     * stores it, and a destination of ws_amp_1 whose records never named a type.
     */
    public void seedShards(TestDeployment d) {
        List<DeliveryAttempt> attempts = new ArrayList<>();
        select(MINUTES_FROM, COMPLETE, s -> true).forEach(s -> attempts.add(s.attempt()));
        for (int i = 0; i < 20; i++) {
            attempts.add(
                    AttemptBuilder.anAttempt()
                            .pair("ws_amp_1", "src_web", "dst_untyped")
                            .at(MINUTES_FROM.plusSeconds(i * 30L + 1))
                            .delivered());
        }
        d.write(Granularity.MINUTE, Attempts.rows(Granularity.MINUTE, attempts));
        List<DestinationTypes.Seen> types = new ArrayList<>();
        TYPES.forEach(
                (type, workspaces) ->
                        workspaces.forEach(
                                ws ->
                                        types.add(
                                                new DestinationTypes.Seen(
                                                        ws,
                                                        "dst_" + type,
                                                        type,
                                                        COMPLETE.minus(MINUTE)))));
        d.writeDestinationTypes(types);
    }

    /** The attempts completed in [from, to) that {@code filter} accepts. */
    public List<Sent> select(Instant from, Instant to, Predicate<Sent> filter) {
        return sent.stream()
                .filter(
                        s ->
                                !s.attempt().completedAt().isBefore(from)
                                        && s.attempt().completedAt().isBefore(to)
                                        && filter.test(s))
                .toList();
    }

    /**
     * What a type's attempts in [from, to) add up to: the success rate is delivered ÷ (delivered +
     * discarded + expired), the error rate the classifier judges is failed ÷ attempts.
     */
    public record Figures(
            long attempts,
            long failed,
            double successRate,
            double p95Ms,
            long workspaces,
            long affectedWorkspaces) {}

    public Figures figures(String type, Instant from, Instant to) {
        long attempts = 0;
        long failed = 0;
        long delivered = 0;
        long lost = 0;
        List<Long> latencies = new ArrayList<>();
        Set<String> workspaces = new HashSet<>();
        Set<String> affected = new HashSet<>();
        for (Sent s : select(from, to, s -> s.type().equals(type))) {
            DeliveryAttempt a = s.attempt();
            workspaces.add(a.pair().workspaceId());
            if (a.outcome() == Outcome.FILTERED) {
                continue;
            }
            attempts++;
            if (a.outcome() == Outcome.DELIVERED) {
                delivered++;
                latencies.add(a.latencyMillis());
            } else {
                failed++;
                affected.add(a.pair().workspaceId());
                if (a.outcome() != Outcome.RETRYING) {
                    lost++;
                }
            }
        }
        latencies.sort(Long::compare);
        double p95 =
                latencies.isEmpty()
                        ? Double.NaN
                        : latencies.get((int) Math.ceil(0.95 * latencies.size()) - 1);
        return new Figures(
                attempts,
                failed,
                delivered + lost == 0 ? Double.NaN : (double) delivered / (delivered + lost),
                p95,
                workspaces.size(),
                affected.size());
    }

    public record Verdict(String status, Instant since, boolean exact) {}

    /**
     * The documented rules, minute by minute from the minute before the horizon (failure rules
     * only: the constructed latencies never double), and the start of the last run.
     */
    public Verdict expectedVerdict(String type) {
        Figures base = figures(type, BASELINE_FROM, HORIZON);
        double baseError = base.attempts() == 0 ? 0 : (double) base.failed() / base.attempts();
        List<String> statuses = new ArrayList<>();
        List<Instant> minutes = new ArrayList<>();
        for (Instant m = HORIZON.minus(MINUTE); m.isBefore(COMPLETE); m = m.plus(MINUTE)) {
            Figures f = figures(type, m.minus(MINUTE.multipliedBy(WINDOW - 1)), m.plus(MINUTE));
            String status = "operational";
            if (f.attempts() >= MIN_ATTEMPTS) {
                double error = (double) f.failed() / f.attempts();
                double loss = Math.max(0, (error - baseError) / (1 - baseError));
                long affected = f.affectedWorkspaces();
                if (loss >= 0.5 && affected >= MIN_WORKSPACES && affected >= 0.5 * f.workspaces()) {
                    status = "outage";
                } else if (loss >= 0.1
                        && affected >= MIN_WORKSPACES
                        && affected >= 0.2 * f.workspaces()) {
                    status = "degraded";
                }
            }
            statuses.add(status);
            minutes.add(m);
        }
        String last = statuses.get(statuses.size() - 1);
        int i = statuses.size() - 1;
        while (i > 0 && statuses.get(i - 1).equals(last)) {
            i--;
        }
        return i == 0 ? new Verdict(last, HORIZON, false) : new Verdict(last, minutes.get(i), true);
    }
}
