package io.deliverymetrics.api.query;

import io.deliverymetrics.api.config.ApiConfig;
import io.deliverymetrics.api.model.GroupBy;
import io.deliverymetrics.api.model.InvalidParam;
import io.deliverymetrics.api.model.Metric;
import io.deliverymetrics.api.model.MetricsQuery;
import io.deliverymetrics.api.model.SeriesKey;
import io.deliverymetrics.core.model.Outcome;
import io.deliverymetrics.core.parse.AttemptParser;
import io.deliverymetrics.core.time.Granularity;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns raw request parameters into a {@link MetricsQuery}, validating every one of them.
 *
 * <p>All problems of a request are collected and reported together, each naming its parameter.
 * Nothing here trusts its input: unknown and repeated parameters, oversized values, ids outside the
 * contract's charset and malformed times are all rejected before anything reaches the database.
 */
public final class QueryParser {

    /** Longest value accepted for any parameter. */
    public static final int MAX_VALUE_LENGTH = 512;

    private static final int MAX_TIME_LENGTH = 40;
    private static final Instant MIN_TIME = Instant.parse("1970-01-01T00:00:00Z");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,9}");
    private static final String TIME_RULE =
            "must be an ISO-8601 date-time with Z or an offset, e.g. 2026-11-26T04:00:00Z";

    private final ApiConfig.Query limits;
    private final Duration maxRange;

    /**
     * @param maxRange longest [start, end) accepted at all (the longest tier retention)
     */
    public QueryParser(ApiConfig.Query limits, Duration maxRange) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.maxRange = Objects.requireNonNull(maxRange, "maxRange");
    }

    /**
     * Parses a request of {@code kind}.
     *
     * @param path the path parameters ({@code workspace_id}, and for the pair shorthand {@code
     *     source_id} and {@code destination_id})
     * @param params the decoded query parameters, each with all its values
     * @param now the request time; defaults and future limits are relative to it
     * @throws InvalidRequestException listing every invalid parameter
     */
    public MetricsQuery parse(
            QueryKind kind,
            Map<String, String> path,
            Map<String, List<String>> params,
            Instant now) {
        Errors errors = new Errors();
        Map<String, String> single = singleValues(kind, params, errors);
        return parse(kind, path, single, now, errors);
    }

    /**
     * Parses a request of the pair's error samples: the range as {@link #parse} reads it, the error
     * code ({@code code}, optional) and the outcome ({@code outcome}: {@code retrying}, {@code
     * discarded} or {@code expired}, optional).
     *
     * @throws InvalidRequestException listing every invalid parameter
     */
    public SamplesQuery parseSamples(
            Map<String, String> path, Map<String, List<String>> params, Instant now) {
        Errors errors = new Errors();
        Map<String, String> single = singleValues(QueryKind.SAMPLES, params, errors);
        String code = single.get("code");
        if (code != null && !AttemptParser.isErrorCode(code)) {
            errors.add("code", "must be an error code: 1 to 64 characters of [A-Za-z0-9_.:/-]");
            code = null;
        }
        Optional<Outcome> outcome = Optional.empty();
        String o = single.get("outcome");
        if (o != null) {
            outcome = Outcome.fromWireName(o).filter(Outcome::isFailure);
            if (outcome.isEmpty()) {
                errors.add("outcome", "must be one of retrying, discarded, expired");
            }
        }
        MetricsQuery q = parse(QueryKind.SAMPLES, path, single, now, errors);
        return new SamplesQuery(q, Optional.ofNullable(code), outcome);
    }

    /** A request of the pair's error samples: its range, and which error keys it asks for. */
    public record SamplesQuery(
            MetricsQuery range, Optional<String> errorCode, Optional<Outcome> outcome) {}

    /**
     * Parses a request of one destination type's series: the type from the path ({@code
     * destination_type}, a lower-case slug as in the record contract), the range, granularity and
     * metrics as {@link #parse} reads them.
     *
     * @throws InvalidRequestException listing every invalid parameter
     */
    public DestinationTypeQuery parseDestinationType(
            Map<String, String> path, Map<String, List<String>> params, Instant now) {
        Errors errors = new Errors();
        Map<String, String> single = singleValues(QueryKind.DESTINATION_TYPE, params, errors);
        String type = path.get("destination_type");
        if (type == null || !AttemptParser.isSlug(type)) {
            errors.add("destination_type", AttemptParser.SLUG_RULE);
        }
        Instant[] range = range(single, now, errors);
        Optional<Granularity> granularity = granularity(single, errors);
        List<Metric> metrics = metrics(single, GroupBy.NONE, errors);
        errors.throwIfAny();
        return new DestinationTypeQuery(type, range[0], range[1], granularity, metrics);
    }

    /** A request of one destination type's series over all workspaces. */
    public record DestinationTypeQuery(
            String destinationType,
            Instant start,
            Instant end,
            Optional<Granularity> granularity,
            List<Metric> metrics) {}

    /** {@code start} and {@code end}, defaulted and checked; an element is null when invalid. */
    private Instant[] range(Map<String, String> single, Instant now, Errors errors) {
        Instant end = time(single, "end", errors);
        Instant start = time(single, "start", errors);
        if (end == null && !single.containsKey("end")) {
            end = now.truncatedTo(ChronoUnit.MINUTES);
        }
        if (start == null && !single.containsKey("start") && end != null) {
            start = end.minus(limits.defaultRange());
        }
        checkRange(start, end, now, errors);
        return new Instant[] {start, end};
    }

    private MetricsQuery parse(
            QueryKind kind,
            Map<String, String> path,
            Map<String, String> single,
            Instant now,
            Errors errors) {

        String workspace = pathId(path, "workspace_id", errors);
        String source;
        String destination;
        if (kind == QueryKind.PAIR_TIMESERIES || kind == QueryKind.SAMPLES) {
            source = pathId(path, "source_id", errors);
            destination = pathId(path, "destination_id", errors);
        } else {
            source = optionalId(single, "source", errors);
            destination = optionalId(single, "destination", errors);
        }

        Instant[] range = range(single, now, errors);
        Instant start = range[0];
        Instant end = range[1];
        Optional<Granularity> granularity = granularity(single, errors);
        GroupBy groupBy = groupBy(kind, single, errors);
        List<Metric> metrics = metrics(single, groupBy, errors);
        int limit = limit(single, errors);
        Optional<SeriesKey> after = cursor(single, groupBy, errors);
        boolean compare = compare(kind, single, groupBy, errors);

        errors.throwIfAny();
        return new MetricsQuery(
                workspace,
                source,
                destination,
                start,
                end,
                granularity,
                metrics,
                groupBy,
                limit,
                after,
                compare);
    }

    private Map<String, String> singleValues(
            QueryKind kind, Map<String, List<String>> params, Errors errors) {
        Set<String> allowed = Set.copyOf(kind.parameters());
        Map<String, String> out = new java.util.HashMap<>();
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            String name = e.getKey();
            if (!allowed.contains(name)) {
                errors.add(
                        echo(name),
                        "is not a parameter of this endpoint; accepted: "
                                + String.join(", ", kind.parameters()));
                continue;
            }
            List<String> values = e.getValue();
            if (values.isEmpty()) {
                errors.add(name, "has a malformed value (check its percent-encoding)");
                continue;
            }
            if (values.size() > 1) {
                errors.add(name, "must be given at most once");
                continue;
            }
            String v = values.get(0);
            // An event cursor holds a name of up to 128 code points, up to 4 UTF-8 bytes each.
            int max = name.equals("cursor") ? Cursor.MAX_LENGTH : MAX_VALUE_LENGTH;
            if (v.length() > max) {
                errors.add(name, "is too long (at most " + max + " characters)");
                continue;
            }
            out.put(name, v);
        }
        return out;
    }

    private static String pathId(Map<String, String> path, String name, Errors errors) {
        String v = path.get(name);
        if (!Ids.isValid(v)) {
            errors.add(name, Ids.RULE);
            return null;
        }
        return v;
    }

    private static String optionalId(Map<String, String> single, String name, Errors errors) {
        String v = single.get(name);
        if (v == null) {
            return null;
        }
        if (!Ids.isValid(v)) {
            errors.add(name, Ids.RULE);
            return null;
        }
        return v;
    }

    private static Instant time(Map<String, String> single, String name, Errors errors) {
        String v = single.get(name);
        if (v == null) {
            return null;
        }
        if (v.length() > MAX_TIME_LENGTH) {
            errors.add(name, TIME_RULE);
            return null;
        }
        try {
            Instant t = OffsetDateTime.parse(v, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            if (t.isBefore(MIN_TIME)) {
                errors.add(name, "must not be before " + MIN_TIME);
                return null;
            }
            return t;
        } catch (DateTimeParseException | ArithmeticException e) {
            // A '+' offset sent unencoded arrives as a space; say so rather than just "invalid".
            errors.add(
                    name,
                    v.contains(" ") ? TIME_RULE + " (encode '+' as %2B, or use Z)" : TIME_RULE);
            return null;
        }
    }

    private void checkRange(Instant start, Instant end, Instant now, Errors errors) {
        if (end != null && end.isAfter(now.plus(limits.maxFuture()))) {
            errors.add("end", "must not be more than " + limits.maxFuture() + " in the future");
            return;
        }
        if (start == null || end == null) {
            return;
        }
        if (!start.isBefore(end)) {
            errors.add("start", "must be before end (" + end + ")");
        } else if (Duration.between(start, end).compareTo(maxRange) > 0) {
            errors.add(
                    "end",
                    "must be at most "
                            + maxRange.toDays()
                            + " days after start (the longest retention)");
        }
    }

    private static Optional<Granularity> granularity(Map<String, String> single, Errors errors) {
        String v = single.get("granularity");
        if (v == null || v.equals("auto")) {
            return Optional.empty();
        }
        Optional<Granularity> g = Granularity.fromWireName(v);
        if (g.isEmpty()) {
            errors.add("granularity", "must be one of auto, minute, hour, day");
        }
        return g;
    }

    private static List<Metric> metrics(
            Map<String, String> single, GroupBy groupBy, Errors errors) {
        String v = single.get("metrics");
        if (v == null) {
            // The event breakdown has the outcome counters only: every metric made of them.
            return groupBy.byEvent() ? Metric.outcomeCounterMetrics() : List.of(Metric.values());
        }
        EnumSet<Metric> chosen = EnumSet.noneOf(Metric.class);
        for (String name : v.split(",", -1)) {
            Optional<Metric> m = Metric.fromWireName(name);
            if (m.isEmpty()) {
                errors.add(
                        "metrics",
                        (name.isEmpty()
                                        ? "contains an empty metric name"
                                        : "names an unknown metric '" + echo(name) + "'")
                                + "; known: "
                                + Arrays.stream(Metric.values())
                                        .map(Metric::wireName)
                                        .collect(Collectors.joining(", ")));
                return List.of(Metric.values());
            }
            chosen.add(m.get());
        }
        if (groupBy.byEvent()) {
            List<String> unavailable =
                    chosen.stream()
                            .filter(m -> !m.fromOutcomeCounters())
                            .map(Metric::wireName)
                            .toList();
            if (!unavailable.isEmpty()) {
                errors.add(
                        "metrics",
                        "names "
                                + String.join(", ", unavailable)
                                + ", which group_by="
                                + groupBy.wireName()
                                + " cannot give: the event breakdown keeps only the outcome"
                                + " counters per event, no latencies and no attempt numbers;"
                                + " available: "
                                + Metric.outcomeCounterMetrics().stream()
                                        .map(Metric::wireName)
                                        .collect(Collectors.joining(", ")));
            }
        }
        return new ArrayList<>(chosen);
    }

    private static GroupBy groupBy(QueryKind kind, Map<String, String> single, Errors errors) {
        List<GroupBy> accepted =
                switch (kind) {
                    case TIMESERIES ->
                            List.of(
                                    GroupBy.PAIR,
                                    GroupBy.SOURCE,
                                    GroupBy.DESTINATION,
                                    GroupBy.EVENT_TYPE,
                                    GroupBy.EVENT_NAME);
                    case PAIR_TIMESERIES -> List.of(GroupBy.EVENT_TYPE, GroupBy.EVENT_NAME);
                    case SUMMARY -> List.of(GroupBy.PAIR, GroupBy.EVENT_TYPE, GroupBy.EVENT_NAME);
                    case ERRORS, SAMPLES, DESTINATION_TYPE -> List.of();
                };
        GroupBy none = kind == QueryKind.SUMMARY ? GroupBy.PAIR : GroupBy.NONE;
        String v = single.get("group_by");
        if (v == null) {
            return none;
        }
        Optional<GroupBy> g = GroupBy.fromWireName(v);
        if (g.isEmpty() || !accepted.contains(g.get())) {
            errors.add(
                    "group_by",
                    "must be one of "
                            + accepted.stream()
                                    .map(GroupBy::wireName)
                                    .collect(Collectors.joining(", ")));
            return none;
        }
        return g.get();
    }

    private static boolean compare(
            QueryKind kind, Map<String, String> single, GroupBy groupBy, Errors errors) {
        String v = single.get("compare");
        if (v == null || v.equals("none")) {
            return false;
        }
        if (!v.equals("previous")) {
            errors.add("compare", "must be previous or none");
            return false;
        }
        if (kind != QueryKind.SUMMARY && !groupBy.byEvent()) {
            errors.add(
                    "compare",
                    "applies to the summary and to series grouped by event (group_by=event_type"
                            + " or event_name)");
            return false;
        }
        return true;
    }

    private int limit(Map<String, String> single, Errors errors) {
        String v = single.get("limit");
        if (v == null) {
            return limits.defaultPageSize();
        }
        if (!DIGITS.matcher(v).matches()
                || Integer.parseInt(v) < 1
                || Integer.parseInt(v) > limits.maxPageSize()) {
            errors.add("limit", "must be an integer from 1 to " + limits.maxPageSize());
            return limits.defaultPageSize();
        }
        return Integer.parseInt(v);
    }

    private static Optional<SeriesKey> cursor(
            Map<String, String> single, GroupBy groupBy, Errors errors) {
        String v = single.get("cursor");
        if (v == null) {
            return Optional.empty();
        }
        if (groupBy == GroupBy.NONE) {
            errors.add("cursor", "applies only when series are grouped (group_by)");
            return Optional.empty();
        }
        Optional<SeriesKey> key = Cursor.decode(groupBy, v);
        if (key.isEmpty()) {
            errors.add(
                    "cursor",
                    "is not a cursor of this query; pass next_cursor of the previous page"
                            + " unchanged");
        }
        return key;
    }

    /**
     * A parameter name or value safe to put back into a message: printable ASCII only, at most 64
     * characters.
     */
    static String echo(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < 64; i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return s.length() > 64 ? sb + "…" : sb.toString();
    }

    /** Collects problems in request order. */
    private static final class Errors {
        private final List<InvalidParam> list = new ArrayList<>();

        void add(String name, String reason) {
            list.add(new InvalidParam(name, reason));
        }

        void throwIfAny() {
            if (!list.isEmpty()) {
                throw new InvalidRequestException(list);
            }
        }
    }
}
