package io.deliverymetrics.api.http;

import io.deliverymetrics.api.metrics.ApiMetrics;
import io.deliverymetrics.api.metrics.DeliverySeries;
import io.deliverymetrics.api.metrics.DeliverySeries.Scope;
import io.deliverymetrics.api.metrics.Exposition;
import io.deliverymetrics.api.model.DeliveryExport;
import io.deliverymetrics.api.model.DeliveryExport.ShardStatus;
import io.deliverymetrics.api.query.TotalsExport;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRouting;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics expositions, for Prometheus and the Datadog Agent. {@value #WORKSPACE_PATH} on the
 * public listener shows one workspace's pairs to that workspace's token; {@value #ADMIN_PATH} on
 * the admin listener shows every workspace and the server's own metrics to whoever reaches that
 * listener (loopback by default).
 */
public final class MetricsExpositionRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsExpositionRoutes.class);

    /** Path of a workspace's own exposition on the public listener. */
    public static final String WORKSPACE_PATH = "/v1/workspaces/{workspace_id}/metrics";

    /** Path of the operator exposition on the admin listener. */
    public static final String ADMIN_PATH = "/metrics";

    private final TotalsExport export;
    private final ApiMetrics metrics;
    private final RequestGuard guard;
    private final QueryBudget budget;

    public MetricsExpositionRoutes(
            TotalsExport export, ApiMetrics metrics, RequestGuard guard, QueryBudget budget) {
        this.export = Objects.requireNonNull(export, "export");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.guard = Objects.requireNonNull(guard, "guard");
        this.budget = Objects.requireNonNull(budget, "budget");
    }

    /** Adds every workspace's delivery series to the operator exposition. */
    public void addDeliverySeriesToOperatorExposition() {
        metrics.register(() -> DeliverySeries.of(logged(export.all()), Scope.OPERATOR));
    }

    /** The workspace exposition, on the public listener. */
    public void registerWorkspace(JavalinDefaultRouting router) {
        router.get(
                WORKSPACE_PATH,
                guard.protect(
                        ctx -> {
                            String workspace = ctx.pathParam(RequestGuard.WORKSPACE_PARAM);
                            DeliveryExport exported;
                            try (QueryBudget.Permit permit = budget.acquire(workspace)) {
                                exported = logged(export.workspace(workspace));
                                permit.read(exported.pairs().size());
                            }
                            answer(
                                    ctx,
                                    Exposition.of(
                                            DeliverySeries.of(exported, Scope.WORKSPACE),
                                            ctx.header("Accept")));
                        }));
    }

    /** The operator exposition, on the admin listener. */
    public void registerAdmin(JavalinDefaultRouting router) {
        router.get(ADMIN_PATH, ctx -> answer(ctx, metrics.scrape(ctx.header("Accept"))));
    }

    private static void answer(Context ctx, Exposition e) throws IOException {
        ctx.contentType(e.contentType());
        try (OutputStream out = ctx.outputStream()) {
            e.writeTo(out);
        }
    }

    private static DeliveryExport logged(DeliveryExport exported) {
        for (ShardStatus s : exported.shards()) {
            s.failure().ifPresent(f -> LOG.warn("metrics left out shard {}: {}", s.shard(), f));
        }
        return exported;
    }
}
