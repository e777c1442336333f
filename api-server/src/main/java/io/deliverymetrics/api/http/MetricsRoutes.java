package io.deliverymetrics.api.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deliverymetrics.api.model.MetricsQuery;
import io.deliverymetrics.api.query.MetricsService;
import io.deliverymetrics.api.query.QueryKind;
import io.deliverymetrics.api.query.QueryParser;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRouting;
import java.time.Clock;
import java.time.Instant;
import java.util.function.BiFunction;

/** The {@code /v1} metrics endpoints: parse, guard, ask the service, answer JSON. */
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

    private final MetricsService service;
    private final QueryParser parser;
    private final RequestGuard guard;
    private final ObjectMapper mapper;
    private final Clock clock;

    public MetricsRoutes(
            MetricsService service,
            QueryParser parser,
            RequestGuard guard,
            ObjectMapper mapper,
            Clock clock) {
        this.service = service;
        this.parser = parser;
        this.guard = guard;
        this.mapper = mapper;
        this.clock = clock;
    }

    public void register(JavalinDefaultRouting router) {
        router.get(
                TIMESERIES,
                guard.protect(ctx -> answer(ctx, QueryKind.TIMESERIES, service::timeseries)));
        router.get(
                PAIR_TIMESERIES,
                guard.protect(ctx -> answer(ctx, QueryKind.PAIR_TIMESERIES, service::timeseries)));
        router.get(SUMMARY, guard.protect(ctx -> answer(ctx, QueryKind.SUMMARY, service::summary)));
        router.get(ERRORS, guard.protect(ctx -> answer(ctx, QueryKind.ERRORS, service::errors)));
    }

    private void answer(
            Context ctx, QueryKind kind, BiFunction<MetricsQuery, Instant, Object> operation) {
        Instant now = clock.instant();
        MetricsQuery q = parser.parse(kind, ctx.pathParamMap(), ctx.queryParamMap(), now);
        ctx.contentType("application/json").result(Json.write(mapper, operation.apply(q, now)));
    }
}
