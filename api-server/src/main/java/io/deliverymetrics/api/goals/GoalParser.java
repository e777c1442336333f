package io.deliverymetrics.api.goals;

import com.fasterxml.jackson.databind.JsonNode;
import io.deliverymetrics.api.model.InvalidParam;
import io.deliverymetrics.api.query.Ids;
import io.deliverymetrics.api.query.InvalidRequestException;
import io.deliverymetrics.core.config.ConfigException;
import io.deliverymetrics.core.config.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Reads and validates the body of {@code PUT /v1/workspaces/{ws}/goals/{goal_id}}; every problem is
 * named by its field in one 400.
 */
public final class GoalParser {

    /** The ids {@code GET …/goals/status} and {@code …/goals/rules} take; no goal may have one. */
    public static final Set<String> RESERVED_IDS = Set.of("status", "rules");

    /** Longest description stored. */
    public static final int MAX_DESCRIPTION = 255;

    /** Shortest window: the burn rates' longest window (6 h) must fit in it. */
    public static final Duration MIN_WINDOW = Duration.ofHours(6);

    /** Largest latency target, in milliseconds (an hour). */
    public static final double MAX_LATENCY_MS = 3_600_000;

    /** Largest data-lag target, in seconds (a day). */
    public static final double MAX_LAG_SECONDS = 86_400;

    private static final Set<String> FIELDS =
            Set.of("kind", "target", "window", "source_id", "destination_id", "description");

    /** Whether a workspace has a pair to a destination (from a source when not null). */
    @FunctionalInterface
    public interface PairDirectory {
        boolean hasPair(String workspaceId, String sourceId, String destinationId);
    }

    private final Duration maxWindow;
    private final PairDirectory pairs;

    /**
     * @param maxWindow the longest window a goal may have: the retention of the coarsest tier
     */
    public GoalParser(Duration maxWindow, PairDirectory pairs) {
        this.maxWindow = Objects.requireNonNull(maxWindow, "maxWindow");
        this.pairs = Objects.requireNonNull(pairs, "pairs");
    }

    /**
     * The goal {@code body} declares.
     *
     * @throws InvalidRequestException naming every invalid field
     */
    public Goal parse(String workspaceId, String goalId, JsonNode body) {
        List<InvalidParam> invalid = new ArrayList<>();
        if (!Ids.isValid(goalId)) {
            invalid.add(new InvalidParam("goal_id", Ids.RULE));
        } else if (RESERVED_IDS.contains(goalId)) {
            invalid.add(new InvalidParam("goal_id", "'" + goalId + "' is reserved"));
        }
        if (body == null || !body.isObject()) {
            invalid.add(new InvalidParam("body", "must be a JSON object"));
            throw new InvalidRequestException(invalid);
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                invalid.add(new InvalidParam(f, "is not a field of a goal"));
            }
        }
        GoalKind kind = kind(body.get("kind"), invalid);
        double target = kind == null ? Double.NaN : target(kind, body.get("target"), invalid);
        Duration window = kind == null ? null : window(kind, body.get("window"), invalid);
        String source = id("source_id", body.get("source_id"), invalid);
        String destination = id("destination_id", body.get("destination_id"), invalid);
        if (source != null && destination == null && !body.hasNonNull("destination_id")) {
            invalid.add(
                    new InvalidParam(
                            "source_id",
                            "needs destination_id: a goal is for the workspace, a destination or"
                                    + " a source → destination pair"));
        }
        String description = description(body.get("description"), invalid);
        if (invalid.isEmpty()
                && destination != null
                && !pairs.hasPair(workspaceId, source, destination)) {
            invalid.add(
                    new InvalidParam(
                            source == null ? "destination_id" : "source_id",
                            "workspace "
                                    + workspaceId
                                    + " has no "
                                    + (source == null
                                            ? "pair to destination " + destination
                                            : "pair " + source + " → " + destination)
                                    + " with a final minute yet"));
        }
        if (!invalid.isEmpty()) {
            throw new InvalidRequestException(invalid);
        }
        return new Goal(
                workspaceId,
                goalId,
                kind,
                target,
                window,
                source,
                destination,
                description,
                null,
                null);
    }

    private static GoalKind kind(JsonNode n, List<InvalidParam> invalid) {
        String rule = "must be one of success_rate, latency_p95, data_lag";
        if (n == null || !n.isTextual()) {
            invalid.add(new InvalidParam("kind", rule));
            return null;
        }
        GoalKind k = GoalKind.fromWireName(n.asText()).orElse(null);
        if (k == null) {
            invalid.add(new InvalidParam("kind", rule));
        }
        return k;
    }

    private static double target(GoalKind kind, JsonNode n, List<InvalidParam> invalid) {
        if (n == null || !n.isNumber()) {
            invalid.add(new InvalidParam("target", "must be a number"));
            return Double.NaN;
        }
        double t = n.asDouble();
        String problem =
                switch (kind) {
                    case SUCCESS_RATE ->
                            t > 0 && t < 1
                                    ? null
                                    : "must be a fraction greater than 0 and less than 1 (0.995"
                                            + " for 99.5 %); 1 would leave no error budget";
                    case LATENCY_P95 ->
                            t > 0 && t <= MAX_LATENCY_MS
                                    ? null
                                    : "must be milliseconds greater than 0 and at most "
                                            + (long) MAX_LATENCY_MS;
                    case DATA_LAG ->
                            t > 0 && t <= MAX_LAG_SECONDS
                                    ? null
                                    : "must be seconds greater than 0 and at most "
                                            + (long) MAX_LAG_SECONDS;
                };
        if (problem != null) {
            invalid.add(new InvalidParam("target", problem));
        }
        return t;
    }

    private Duration window(GoalKind kind, JsonNode n, List<InvalidParam> invalid) {
        if (!kind.windowed()) {
            if (n != null && !n.isNull()) {
                invalid.add(new InvalidParam("window", "a data_lag goal has no window"));
            }
            return null;
        }
        if (n == null || !n.isTextual()) {
            invalid.add(new InvalidParam("window", "must be a duration such as 28d, 7d or 24h"));
            return null;
        }
        Duration w;
        try {
            w = Settings.parseDuration("window", n.asText());
        } catch (ConfigException e) {
            invalid.add(new InvalidParam("window", "must be a duration such as 28d, 7d or 24h"));
            return null;
        }
        if (w.compareTo(MIN_WINDOW) < 0 || w.compareTo(maxWindow) > 0 || w.toSeconds() % 60 != 0) {
            invalid.add(
                    new InvalidParam(
                            "window",
                            "must be whole minutes from "
                                    + MIN_WINDOW.toHours()
                                    + "h to "
                                    + maxWindow.toDays()
                                    + "d (the retention of the day tier), was "
                                    + n.asText()));
            return null;
        }
        return w;
    }

    private static String id(String field, JsonNode n, List<InvalidParam> invalid) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual() || !Ids.isValid(n.asText())) {
            invalid.add(new InvalidParam(field, Ids.RULE));
            return null;
        }
        return n.asText();
    }

    private static String description(JsonNode n, List<InvalidParam> invalid) {
        if (n == null || n.isNull()) {
            return "";
        }
        if (!n.isTextual() || n.asText().length() > MAX_DESCRIPTION) {
            invalid.add(
                    new InvalidParam(
                            "description",
                            "must be text of at most " + MAX_DESCRIPTION + " characters"));
            return "";
        }
        return n.asText();
    }
}
