package io.deliverymetrics.api.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deliverymetrics.api.model.MetricsQuery;
import io.deliverymetrics.api.query.MetricsService;
import io.deliverymetrics.api.query.QueryKind;
import io.deliverymetrics.api.query.QueryParser;
import io.deliverymetrics.api.query.RowMeter;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRouting;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code /v1} metrics endpoints: guard, parse, ask the service within the workspace's query
 * budget, answer JSON no larger than {@code query.max-response-bytes}. The pair endpoints add the
 * pair's {@code destination_status} ({@link PairDestinationStatus}).
 */
public final class MetricsRoutes {

    /** Path of the timeseries endpoint. */
    public static final String TIMESERIES = "/v1/workspaces/{workspace_id}/delivery-metrics";

    /** Path of the per-pair shorthand. */
    public static final String PAIR_TIMESERIES =
            "/v1/workspaces/{workspace_id}/sources/{source_id}/destinations/{destination_id}"
                    + "/delivery-metrics";

    /** Path of the per-pair totals. */
    public static final String SUMMARY = "/v1/workspaces/{workspace_id}/delivery-metrics/summary";

    /** Path of the error breakdown. */
    public static final String ERRORS = "/v1/workspaces/{workspace_id}/delivery-errors";

    /** Path of a pair's error samples. */
    public static final String SAMPLES =
            "/v1/workspaces/{workspace_id}/sources/{source_id}/destinations/{destination_id}"
                    + "/errors/samples";

    private final MetricsService service;
    private final PairDestinationStatus destinationStatus;
    private final QueryParser parser;
    private final RequestGuard guard;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final QueryBudget budget;
    private final int maxResponseBytes;

    /**
     * @param status the destination status, whose public entries the pair endpoints show
     */
    public MetricsRoutes(
            MetricsService service,
            StatusRoutes status,
            QueryParser parser,
            RequestGuard guard,
            ObjectMapper mapper,
            Clock clock,
            QueryBudget budget,
            int maxResponseBytes) {
        this.service = service;
        this.destinationStatus = new PairDestinationStatus(service, status);
        this.parser = parser;
        this.guard = guard;
        this.mapper = mapper;
        this.clock = clock;
        this.budget = budget;
        this.maxResponseBytes = maxResponseBytes;
    }

    public void register(JavalinDefaultRouting router) {
        router.get(
                TIMESERIES,
                guard.protect(ctx -> answer(ctx, QueryKind.TIMESERIES, service::timeseries)));
        router.get(
                PAIR_TIMESERIES,
                guard.protect(
                        ctx ->
                                answer(
                                        ctx,
                                        QueryKind.PAIR_TIMESERIES,
                                        (q, now, meter) ->
                                                service.timeseries(q, now, meter)
                                                        .withDestinationStatus(
                                                                destinationStatus.of(
                                                                        q.workspaceId(),
                                                                        q.destinationId())))));
        router.get(SUMMARY, guard.protect(ctx -> answer(ctx, QueryKind.SUMMARY, service::summary)));
        router.get(ERRORS, guard.protect(ctx -> answer(ctx, QueryKind.ERRORS, service::errors)));
        router.get(SAMPLES, guard.protect(this::samples));
    }

    /** One of the service's queries, reading within the workspace's budget. */
    @FunctionalInterface
    private interface Operation {
        Object apply(MetricsQuery q, Instant now, RowMeter meter);
    }

    private void answer(Context ctx, QueryKind kind, Operation operation) {
        Instant now = clock.instant();
        MetricsQuery q = parser.parse(kind, ctx.pathParamMap(), ctx.queryParamMap(), now);
        byte[] body;
        try (QueryBudget.Permit permit =
                budget.acquire(ctx.pathParam(RequestGuard.WORKSPACE_PARAM))) {
            body = Json.write(mapper, operation.apply(q, now, permit));
        }
        if (body.length > maxResponseBytes) {
            throw tooLarge(body.length);
        }
        ctx.contentType("application/json").result(body);
    }

    private void samples(Context ctx) {
        Instant now = clock.instant();
        QueryParser.SamplesQuery q =
                parser.parseSamples(ctx.pathParamMap(), ctx.queryParamMap(), now);
        byte[] body;
        try (QueryBudget.Permit permit =
                budget.acquire(ctx.pathParam(RequestGuard.WORKSPACE_PARAM))) {
            body =
                    Json.write(
                            mapper,
                            service.samples(q.range(), q.errorCode(), q.outcome(), now, permit)
                                    .withDestinationStatus(
                                            destinationStatus.of(
                                                    q.range().workspaceId(),
                                                    q.range().destinationId())));
        }
        if (body.length > maxResponseBytes) {
            throw tooLarge(body.length);
        }
        ctx.contentType("application/json").result(body);
    }

    private ApiProblem tooLarge(int bytes) {
        Map<String, Object> ext = new LinkedHashMap<>();
        ext.put("response_bytes", bytes);
        ext.put("max_response_bytes", maxResponseBytes);
        return new ApiProblem(
                422,
                ApiProblem.TYPE_PREFIX + "response-too-large",
                "Response too large",
                "the answer would be "
                        + bytes
                        + " bytes, more than the "
                        + maxResponseBytes
                        + " one response may have; narrow the query: a shorter range (start, end),"
                        + " a coarser granularity, fewer metrics, a source or destination filter,"
                        + " or a smaller limit (and follow next_cursor)",
                ext,
                Map.of());
    }
}
