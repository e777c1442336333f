package io.deliverymetrics.api.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deliverymetrics.api.model.InvalidParam;
import io.deliverymetrics.api.query.InvalidRequestException;
import io.deliverymetrics.api.query.RangeNotServableException;
import io.deliverymetrics.api.query.StorageException;
import io.deliverymetrics.core.time.TierPolicy.Selection;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps every failure to an RFC 9457 {@code application/problem+json} response. */
public final class Problems {

    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);

    /** Media type of problem responses. */
    public static final String CONTENT_TYPE = "application/problem+json";

    private final ObjectMapper mapper;

    public Problems(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Registers the exception mappings on {@code app}. */
    public void register(Javalin app) {
        app.exception(ApiProblem.class, (e, ctx) -> write(ctx, e));
        app.exception(InvalidRequestException.class, (e, ctx) -> write(ctx, invalid(e)));
        app.exception(RangeNotServableException.class, (e, ctx) -> write(ctx, notServable(e)));
        app.exception(StorageException.class, (e, ctx) -> write(ctx, storage(e, ctx)));
        app.exception(
                HttpResponseException.class,
                (e, ctx) ->
                        write(
                                ctx,
                                ApiProblem.of(
                                        e.getStatus(),
                                        reason(e.getStatus()),
                                        e.getStatus() == 404
                                                ? "no such resource: "
                                                        + ctx.method()
                                                        + " "
                                                        + ctx.path()
                                                : e.getMessage())));
        app.exception(
                Exception.class,
                (e, ctx) -> {
                    LOG.error("Unexpected failure on {} {}", ctx.method(), ctx.path(), e);
                    write(
                            ctx,
                            ApiProblem.of(
                                    500,
                                    "Internal Server Error",
                                    "an unexpected error occurred; it has been logged"));
                });
    }

    /** 400 listing every invalid parameter. */
    public static ApiProblem invalid(InvalidRequestException e) {
        List<Map<String, String>> params = new ArrayList<>();
        for (InvalidParam p : e.invalidParams()) {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("name", p.name());
            m.put("reason", p.reason());
            params.add(m);
        }
        List<InvalidParam> invalid = e.invalidParams();
        String detail =
                invalid.size() == 1
                        ? "parameter '" + invalid.get(0).name() + "' " + invalid.get(0).reason()
                        : invalid.size()
                                + " parameters are invalid: "
                                + String.join(
                                        ", ", invalid.stream().map(InvalidParam::name).toList());
        return new ApiProblem(
                400,
                ApiProblem.TYPE_PREFIX + "invalid-parameters",
                "Invalid request parameters",
                detail,
                Map.of("invalid_params", params),
                Map.of());
    }

    /** 422 naming the limit that was hit. */
    static ApiProblem notServable(RangeNotServableException e) {
        Map<String, Object> ext = new LinkedHashMap<>();
        String type;
        String title;
        if (e.failure() instanceof Selection.BeyondRetention b) {
            type = "beyond-retention";
            title = "Range beyond retention";
            ext.put("granularity", b.granularity().wireName());
            ext.put("oldest_available", b.oldestRetained().toString());
        } else if (e.failure() instanceof Selection.TooManyPoints t) {
            type = "too-many-points";
            title = "Too many points";
            ext.put("granularity", t.granularity().wireName());
            ext.put("points", t.points());
            ext.put("max_points", t.maxPoints());
        } else {
            throw new IllegalStateException("unexpected selection " + e.failure());
        }
        return new ApiProblem(
                422, ApiProblem.TYPE_PREFIX + type, title, e.getMessage(), ext, Map.of());
    }

    private static ApiProblem storage(StorageException e, Context ctx) {
        if (e.unavailable()) {
            LOG.warn("Storage unavailable on {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
            return new ApiProblem(
                    503,
                    "about:blank",
                    "Service Unavailable",
                    "the metrics database is unreachable; retry later",
                    Map.of(),
                    Map.of("Retry-After", "5"));
        }
        LOG.error("Storage failure on {} {}", ctx.method(), ctx.path(), e);
        return ApiProblem.of(
                500, "Internal Server Error", "reading metrics failed; it has been logged");
    }

    /** Writes {@code p} as the response. */
    public void write(Context ctx, ApiProblem p) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", p.type());
        body.put("title", p.title());
        body.put("status", p.status());
        body.put("detail", p.detail());
        body.put("instance", ctx.path());
        body.putAll(p.extensions());
        p.headers().forEach(ctx::header);
        ctx.status(p.status()).contentType(CONTENT_TYPE).result(Json.write(mapper, body));
    }

    private static String reason(int status) {
        HttpStatus s = HttpStatus.forStatus(status);
        return s == HttpStatus.UNKNOWN ? "Error " + status : s.getMessage();
    }
}
