package io.deliverymetrics.api.support;

import io.deliverymetrics.api.ApiServer;
import io.deliverymetrics.api.http.MetricsRoutes;
import io.deliverymetrics.api.http.StatusRoutes;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Path templates as the server registers and the OpenAPI document names them ({@code
 * /v1/workspaces/{workspace_id}/…}): concrete paths to request, and which template a path matches.
 */
public final class RouteTemplates {

    /** The source and destination a filled-in template names. */
    public static final String SOURCE = "src_a";

    public static final String DESTINATION = "dst_b";

    /** The goal a filled-in template names. */
    public static final String GOAL = "goal_a";

    /** The destination type a filled-in template names. */
    public static final String DESTINATION_TYPE = "braze";

    private static final Pattern PARAMETER = Pattern.compile("\\{([^/}]+)}");

    private RouteTemplates() {}

    /**
     * {@code template} with its path parameters filled in: {@code workspace}, the pair, the goal or
     * the destination type.
     */
    public static String fill(String template, String workspace) {
        Map<String, String> values =
                Map.of(
                        "workspace_id", workspace,
                        "source_id", SOURCE,
                        "destination_id", DESTINATION,
                        "goal_id", GOAL,
                        "destination_type", DESTINATION_TYPE);
        Matcher m = PARAMETER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException(
                        "no value for path parameter " + m.group(1) + " of " + template);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }

    /** Whether {@code path} (percent-encoded, without query) is an instance of {@code template}. */
    public static boolean matches(String template, String path) {
        StringBuilder regex = new StringBuilder();
        Matcher m = PARAMETER.matcher(template);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(last, m.start()))).append("[^/]+");
            last = m.end();
        }
        regex.append(Pattern.quote(template.substring(last)));
        return path.matches(regex.toString());
    }

    /** Whether {@code template} names a workspace, so a token of another one gets 403. */
    public static boolean namesAWorkspace(String template) {
        return template.contains("{workspace_id}");
    }

    /** The metrics queries: parsed, checked against the tiers, read from the workspace's shard. */
    public static List<ApiServer.Route> queries() {
        return List.of(
                new ApiServer.Route("GET", MetricsRoutes.TIMESERIES),
                new ApiServer.Route("GET", MetricsRoutes.PAIR_TIMESERIES),
                new ApiServer.Route("GET", MetricsRoutes.SUMMARY),
                new ApiServer.Route("GET", MetricsRoutes.ERRORS),
                new ApiServer.Route("GET", MetricsRoutes.SAMPLES));
    }

    /** Whether {@code template} is a public route: no token, rate-limited per client address. */
    public static boolean isPublic(String template) {
        return template.equals(StatusRoutes.PUBLIC_STATUS);
    }

    /** Whether {@code template} is an operator route: an operator token only. */
    public static boolean isOperatorRoute(String template) {
        return template.equals(StatusRoutes.DESTINATIONS)
                || template.equals(StatusRoutes.DESTINATION_TYPE);
    }

    /** The public {@code /v1} routes of {@code server}. */
    public static List<ApiServer.Route> publicRoutes(ApiServer server) {
        return server.routes().stream().filter(r -> isPublic(r.path())).toList();
    }

    /** The operator routes of {@code server}. */
    public static List<ApiServer.Route> operatorRoutes(ApiServer server) {
        return v1Routes(server).stream().filter(r -> isOperatorRoute(r.path())).toList();
    }

    /**
     * The {@code /v1} routes of {@code server} behind a token: every {@code /v1} route but the
     * public ones ({@link #isPublic}). Workspace routes need a token of their workspace, operator
     * routes ({@link #isOperatorRoute}) an operator token.
     */
    public static List<ApiServer.Route> v1Routes(ApiServer server) {
        List<ApiServer.Route> v1 =
                server.routes().stream()
                        .filter(r -> r.path().startsWith("/v1/") && !isPublic(r.path()))
                        .toList();
        if (v1.isEmpty()) {
            throw new IllegalStateException("the server registered no /v1 route");
        }
        return v1;
    }
}
