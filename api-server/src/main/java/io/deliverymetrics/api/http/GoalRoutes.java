package io.deliverymetrics.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deliverymetrics.api.goals.Goal;
import io.deliverymetrics.api.goals.GoalEvaluator;
import io.deliverymetrics.api.goals.GoalParser;
import io.deliverymetrics.api.goals.GoalRules;
import io.deliverymetrics.api.internal.GoalStore;
import io.deliverymetrics.api.query.InvalidRequestException;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRouting;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /v1/workspaces/{ws}/goals}: a workspace's delivery goals (list, read, put, delete) and
 * their status, behind the same guard as the metrics endpoints. Goals live in the control database;
 * without one these endpoints answer 503.
 */
public final class GoalRoutes {

    /** Path of the list. */
    public static final String GOALS = "/v1/workspaces/{workspace_id}/goals";

    /** Path of the status of every goal. */
    public static final String STATUS = GOALS + "/status";

    /** Path of the Prometheus rules generated from the goals. */
    public static final String RULES = GOALS + "/rules";

    /** Path of one goal. */
    public static final String GOAL = GOALS + "/{goal_id}";

    /** Most goals one workspace may declare. */
    public static final int MAX_GOALS = 100;

    private final Optional<GoalStore> store;
    private final GoalParser parser;
    private final GoalEvaluator evaluator;
    private final RequestGuard guard;
    private final QueryBudget budget;
    private final ObjectMapper mapper;
    private final Clock clock;

    public GoalRoutes(
            Optional<GoalStore> store,
            GoalParser parser,
            GoalEvaluator evaluator,
            RequestGuard guard,
            QueryBudget budget,
            ObjectMapper mapper,
            Clock clock) {
        this.store = store;
        this.parser = parser;
        this.evaluator = evaluator;
        this.guard = guard;
        this.budget = budget;
        this.mapper = mapper;
        this.clock = clock;
    }

    public void register(JavalinDefaultRouting router) {
        // The status and the rules first: their paths would otherwise match GOAL.
        router.get(STATUS, guard.protect(this::status));
        router.get(RULES, guard.protect(this::rules));
        router.get(GOALS, guard.protect(this::list));
        router.get(GOAL, guard.protect(this::get));
        router.put(GOAL, guard.protect(this::put));
        router.delete(GOAL, guard.protect(this::delete));
    }

    private void list(Context ctx) {
        String ws = workspace(ctx);
        List<Map<String, Object>> goals = new ArrayList<>();
        for (Goal g : store().list(ws)) {
            goals.add(json(g));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("workspace_id", ws);
        body.put("goals", goals);
        answer(ctx, 200, body);
    }

    private void get(Context ctx) {
        String ws = workspace(ctx);
        String id = ctx.pathParam("goal_id");
        answer(ctx, 200, json(store().find(ws, id).orElseThrow(() -> notFound(ws, id))));
    }

    private void put(Context ctx) {
        String ws = workspace(ctx);
        String id = ctx.pathParam("goal_id");
        JsonNode body;
        try {
            body = mapper.readTree(ctx.body());
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("body", "must be a JSON object");
        }
        GoalStore goals = store();
        Goal goal = parser.parse(ws, id, body);
        List<Goal> declared = goals.list(ws);
        boolean exists = declared.stream().anyMatch(g -> g.goalId().equals(id));
        if (!exists && declared.size() >= MAX_GOALS) {
            throw new ApiProblem(
                    422,
                    ApiProblem.TYPE_PREFIX + "too-many-goals",
                    "Too many goals",
                    "workspace " + ws + " already has " + MAX_GOALS + " goals; delete one first",
                    Map.of("max_goals", MAX_GOALS),
                    Map.of());
        }
        answer(ctx, exists ? 200 : 201, json(goals.put(goal)));
    }

    private void delete(Context ctx) {
        String ws = workspace(ctx);
        String id = ctx.pathParam("goal_id");
        if (!store().delete(ws, id)) {
            throw notFound(ws, id);
        }
        ctx.status(204);
    }

    private void status(Context ctx) {
        String ws = workspace(ctx);
        Instant now = clock.instant();
        List<Map<String, Object>> statuses = new ArrayList<>();
        try (QueryBudget.Permit permit = budget.acquire(ws)) {
            for (Goal g : store().list(ws)) {
                Map<String, Object> s = json(g);
                s.putAll(evaluator.evaluate(g, now, permit));
                statuses.add(s);
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("workspace_id", ws);
        body.put("evaluated_at", now.toString());
        body.put("goals", statuses);
        answer(ctx, 200, body);
    }

    private void rules(Context ctx) {
        String ws = workspace(ctx);
        ctx.contentType("application/yaml; charset=utf-8")
                .result(GoalRules.render(ws, store().list(ws)));
    }

    /** A goal as the API shows it. */
    static Map<String, Object> json(Goal g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("goal_id", g.goalId());
        m.put("kind", g.kind().wireName());
        m.put("target", g.target());
        m.put("window", g.window() == null ? null : window(g.window()));
        m.put("scope", g.scope());
        m.put("source_id", g.sourceId());
        m.put("destination_id", g.destinationId());
        m.put("description", g.description());
        m.put("created_at", g.createdAt() == null ? null : g.createdAt().toString());
        m.put("updated_at", g.updatedAt() == null ? null : g.updatedAt().toString());
        return m;
    }

    /** {@code 28d}, {@code 36h} or {@code 90m}: the shortest exact form. */
    static String window(Duration d) {
        long minutes = d.toMinutes();
        if (minutes % (24 * 60) == 0) {
            return minutes / (24 * 60) + "d";
        }
        return minutes % 60 == 0 ? minutes / 60 + "h" : minutes + "m";
    }

    private GoalStore store() {
        return store.orElseThrow(
                () ->
                        new ApiProblem(
                                503,
                                "about:blank",
                                "Service Unavailable",
                                "goals are kept in the control database, which this server has"
                                        + " not been given (control.jdbc-url)",
                                Map.of(),
                                Map.of()));
    }

    private static String workspace(Context ctx) {
        return ctx.pathParam(RequestGuard.WORKSPACE_PARAM);
    }

    private static ApiProblem notFound(String ws, String id) {
        return ApiProblem.of(404, "Not Found", "workspace " + ws + " has no goal " + id);
    }

    private void answer(Context ctx, int status, Object body) {
        ctx.status(status).contentType("application/json").result(Json.write(mapper, body));
    }
}
