package io.deliverymetrics.api.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deliverymetrics.api.query.QueryParser;
import io.deliverymetrics.api.query.QueryParser.DestinationTypeQuery;
import io.deliverymetrics.api.status.DestinationMetricsService;
import io.deliverymetrics.api.status.DestinationStatusReport;
import io.deliverymetrics.api.status.DestinationStatusReport.TypeStatus;
import io.deliverymetrics.api.status.DestinationStatusService;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRouting;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The destination status: {@code GET /v1/destinations} for operator tokens (every type, with
 * workspace counts and the reason), and the public {@code GET /v1/status} (no token, rate-limited
 * per client address), which shows only types with at least {@code status.public-min-workspaces}
 * contributing workspaces in the status window and only figures over all of them: no workspace id,
 * no pair, no workspace count, no reason (reasons name counts), and nothing about the types left
 * out, not even how many there are.
 *
 * <p>Operators also read one type's series, {@code GET
 * /v1/destinations/{destination_type}/delivery-metrics}, with the same tier choice, real-time
 * union, completeness and errors as a workspace's series, within one budget shared by all
 * operators.
 *
 * <p>Both status answers are rendered once per report of {@link DestinationStatusService}, which is
 * computed once per {@code complete_through}. A type's public entry is also what a workspace's pair
 * responses show of their destination's type ({@link #publicEntry}).
 */
public final class StatusRoutes {

    /** Path of the operators' view. */
    public static final String DESTINATIONS = "/v1/destinations";

    /** Path of the public view. */
    public static final String PUBLIC_STATUS = "/v1/status";

    /** Path of one destination type's series over all workspaces (operators). */
    public static final String DESTINATION_TYPE =
            "/v1/destinations/{destination_type}/delivery-metrics";

    /**
     * The query budget's key for the operators' series reads: one shared budget, so that operators'
     * expensive reads of the global tables stay bounded too. Not a valid workspace id ({@code *} is
     * outside the id charset), so it never shares a workspace's budget.
     */
    static final String OPERATOR_BUDGET = "*operators*";

    /**
     * Both bodies of one report, and the public entry of each type the public view lists (the pair
     * responses' {@code destination_status}).
     */
    private record Rendered(
            DestinationStatusReport report,
            byte[] operator,
            byte[] open,
            Map<String, Map<String, Object>> openByType) {}

    private final DestinationStatusService service;
    private final DestinationMetricsService series;
    private final QueryParser parser;
    private final QueryBudget budget;
    private final RequestGuard guard;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final int publicMinWorkspaces;
    private final AtomicReference<Rendered> rendered = new AtomicReference<>();

    public StatusRoutes(
            DestinationStatusService service,
            DestinationMetricsService series,
            QueryParser parser,
            QueryBudget budget,
            RequestGuard guard,
            ObjectMapper mapper,
            Clock clock,
            int publicMinWorkspaces) {
        this.service = service;
        this.series = series;
        this.parser = parser;
        this.budget = budget;
        this.guard = guard;
        this.mapper = mapper;
        this.clock = clock;
        this.publicMinWorkspaces = publicMinWorkspaces;
    }

    public void register(JavalinDefaultRouting router) {
        router.get(DESTINATIONS, guard.protectOperator(ctx -> write(ctx, rendered().operator())));
        router.get(DESTINATION_TYPE, guard.protectOperator(this::typeSeries));
        router.get(
                PUBLIC_STATUS,
                ctx -> {
                    guard.admitPublic(ctx);
                    write(ctx, rendered().open());
                });
    }

    private void typeSeries(Context ctx) {
        Instant now = clock.instant();
        DestinationTypeQuery q =
                parser.parseDestinationType(ctx.pathParamMap(), ctx.queryParamMap(), now);
        byte[] body;
        try (QueryBudget.Permit permit = budget.acquire(OPERATOR_BUDGET)) {
            body = Json.write(mapper, series.series(q, now));
        }
        write(ctx, body);
    }

    private static void write(Context ctx, byte[] body) {
        ctx.contentType("application/json").result(body);
    }

    private Rendered rendered() {
        DestinationStatusReport report = service.current();
        Rendered r = rendered.get();
        if (r != null && r.report() == report) {
            return r;
        }
        Map<String, Map<String, Object>> openByType = publicEntries(report);
        Rendered fresh =
                new Rendered(
                        report,
                        Json.write(mapper, operatorBody(report)),
                        Json.write(mapper, publicBody(report, openByType)),
                        openByType);
        rendered.set(fresh);
        return fresh;
    }

    private static Map<String, Object> operatorBody(DestinationStatusReport report) {
        Map<String, Object> body = envelope(report);
        Map<String, Object> baseline = new LinkedHashMap<>();
        baseline.put("start", iso(report.baselineStart()));
        baseline.put("end", iso(report.baselineEnd()));
        body.put("baseline", baseline);
        List<Map<String, Object>> types = new ArrayList<>();
        for (TypeStatus t : report.types()) {
            Map<String, Object> m = common(t);
            m.put("baseline_success_rate", number(t.baselineSuccessRate()));
            m.put("baseline_latency_p95_ms", number(t.baselineLatencyP95Ms()));
            m.put("workspaces", t.workspaces());
            m.put("affected_workspaces", t.affectedWorkspaces());
            m.put("reason", t.reason());
            types.add(m);
        }
        body.put("destinations", types);
        return body;
    }

    /**
     * The entry of {@code destinationType} in the public view as of the current report: what {@code
     * GET /v1/status} shows of it, never more. Empty when that view does not list the type (fewer
     * than {@code status.public-min-workspaces} contributing workspaces, or no rows).
     *
     * @throws io.deliverymetrics.api.query.StorageException when the global database cannot be read
     */
    public Optional<Map<String, Object>> publicEntry(String destinationType) {
        return Optional.ofNullable(rendered().openByType().get(destinationType));
    }

    /**
     * The public entry of every type with enough contributing workspaces, in the report's order.
     */
    private Map<String, Map<String, Object>> publicEntries(DestinationStatusReport report) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (TypeStatus t : report.types()) {
            if (t.workspaces() >= publicMinWorkspaces) {
                out.put(t.destinationType(), Collections.unmodifiableMap(common(t)));
            }
        }
        return Collections.unmodifiableMap(out);
    }

    private Map<String, Object> publicBody(
            DestinationStatusReport report, Map<String, Map<String, Object>> entries) {
        Map<String, Object> body = envelope(report);
        body.put("min_workspaces", publicMinWorkspaces);
        body.put("destinations", new ArrayList<>(entries.values()));
        return body;
    }

    private static Map<String, Object> envelope(DestinationStatusReport report) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("complete_through", iso(report.completeThrough()));
        Map<String, Object> horizon = new LinkedHashMap<>();
        horizon.put("start", iso(report.horizonStart()));
        horizon.put("end", iso(report.horizonEnd()));
        body.put("horizon", horizon);
        body.put("window_minutes", report.windowMinutes());
        return body;
    }

    /** What both views show of a type: its verdict and figures over all its workspaces. */
    private static Map<String, Object> common(TypeStatus t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("destination_type", t.destinationType());
        m.put("status", t.status());
        m.put("since", iso(t.since()));
        m.put("since_exact", t.sinceExact());
        m.put("attempts", t.attempts());
        m.put("success_rate", number(t.successRate()));
        m.put("latency_p95_ms", number(t.latencyP95Ms()));
        return m;
    }

    private static Double number(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
    }

    private static String iso(Instant t) {
        return t == null ? null : t.toString();
    }
}
