package io.deliverymetrics.datadog;

import com.datadog.api.client.ApiClient;
import com.datadog.api.client.ApiException;
import com.datadog.api.client.JSON;
import com.datadog.api.client.v1.api.MonitorsApi;
import com.datadog.api.client.v1.api.ServiceLevelObjectivesApi;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deliverymetrics.core.config.ConfigException;
import io.deliverymetrics.datadog.config.ForwarderConfig;
import io.deliverymetrics.datadog.config.ForwarderConfig.Purpose;
import io.deliverymetrics.datadog.config.ForwarderConfig.Workspace;
import io.deliverymetrics.datadog.forward.SourceException;
import io.deliverymetrics.datadog.goals.DeliveryGoal;
import io.deliverymetrics.datadog.goals.GoalDefinitions;
import io.deliverymetrics.datadog.goals.GoalMapper;
import io.deliverymetrics.datadog.goals.GoalSync;
import io.deliverymetrics.datadog.internal.HttpMetricsSource;
import jakarta.ws.rs.ProcessingException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code goals [--apply] [--workspace ID] [--config FILE] [--key=value …]}: reads each configured
 * workspace's delivery goals from the REST API with its token and turns them into Datadog SLOs and
 * monitors ({@link GoalMapper}). Without {@code --apply} it prints the definitions as JSON and
 * touches nothing in Datadog; with it, it creates, updates and deletes them ({@link GoalSync}) and
 * prints what it did. The configuration is the forwarder's.
 *
 * <p>Exit status: 0 done, 1 the API or Datadog refused or did not answer, 2 configuration or
 * arguments wrong.
 */
public final class GoalsCommand {

    /** The first argument that selects this command in {@link DatadogForwarder#main}. */
    public static final String NAME = "goals";

    private GoalsCommand() {}

    /**
     * Runs the command.
     *
     * @param args everything after {@code goals}
     * @param environment read for tokens and Datadog keys
     * @param out the JSON result
     * @param err problems
     * @return the exit status
     */
    public static int run(
            List<String> args, Map<String, String> environment, PrintStream out, PrintStream err) {
        boolean apply = false;
        String only = null;
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--apply")) {
                apply = true;
            } else if (a.equals("--workspace") && i + 1 < args.size()) {
                only = args.get(++i);
            } else if (a.startsWith("--workspace=")) {
                only = a.substring("--workspace=".length());
            } else {
                rest.add(a);
            }
        }
        ForwarderConfig config;
        List<Workspace> workspaces;
        try {
            config =
                    ForwarderConfig.load(
                            apply ? Purpose.GOALS_APPLY : Purpose.GOALS_DRY_RUN,
                            environment,
                            rest.toArray(String[]::new));
            String wanted = only;
            workspaces =
                    config.workspaces().stream()
                            .filter(w -> wanted == null || w.id().equals(wanted))
                            .toList();
            if (workspaces.isEmpty()) {
                throw new ConfigException("workspace " + only + " is not configured");
            }
        } catch (ConfigException e) {
            err.println("configuration error: " + e.getMessage());
            return 2;
        }
        ObjectMapper json =
                new JSON().getMapper().copy().enable(SerializationFeature.INDENT_OUTPUT);
        HttpMetricsSource source =
                new HttpMetricsSource(
                        config.api().baseUrl(), config.api().timeout(), config.api().pageSize());
        GoalMapper mapper = new GoalMapper(config.datadog().tags(), config.goals().notification());
        ObjectNode report = json.createObjectNode();
        report.put("mode", apply ? "apply" : "dry_run");
        ArrayNode reported = report.putArray("workspaces");
        ApiClient client = apply ? client(config.datadog()) : null;
        int status = 0;
        try {
            for (Workspace ws : workspaces) {
                List<GoalDefinitions> definitions;
                try {
                    definitions = definitions(mapper, source.goals(ws));
                } catch (SourceException e) {
                    err.println(
                            "reading the goals of workspace "
                                    + ws.id()
                                    + " failed (HTTP "
                                    + e.status()
                                    + "): "
                                    + e.getMessage());
                    status = 1;
                    continue;
                } catch (IllegalArgumentException e) {
                    err.println("workspace " + ws.id() + ": " + e.getMessage());
                    status = 1;
                    continue;
                }
                if (!apply) {
                    reported.add(dryRun(json, ws.id(), definitions));
                    continue;
                }
                try {
                    GoalSync.Result r =
                            new GoalSync(
                                            new ServiceLevelObjectivesApi(client),
                                            new MonitorsApi(client),
                                            new JSON().getMapper())
                                    .apply(ws.id(), definitions);
                    reported.add(applied(json, r, definitions));
                } catch (ApiException e) {
                    err.println(
                            "Datadog refused a request for workspace "
                                    + ws.id()
                                    + " (HTTP "
                                    + e.getCode()
                                    + "): "
                                    + abbreviate(e.getResponseBody()));
                    status = 1;
                } catch (ProcessingException e) {
                    err.println(
                            "no answer from Datadog for workspace "
                                    + ws.id()
                                    + ": "
                                    + e.getMessage());
                    status = 1;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("interrupted");
            return 1;
        } finally {
            if (client != null) {
                client.getHttpClient().close();
            }
        }
        try {
            out.println(json.writeValueAsString(report));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return status;
    }

    /**
     * The definitions of a workspace's goals.
     *
     * @throws IllegalArgumentException when two goal ids differ only in case: Datadog lower-cases
     *     tags, so their definitions could not be told apart
     */
    public static List<GoalDefinitions> definitions(GoalMapper mapper, List<DeliveryGoal> goals) {
        Map<String, String> seen = new HashMap<>();
        List<GoalDefinitions> out = new ArrayList<>();
        for (DeliveryGoal g : goals) {
            String previous = seen.put(g.goalId().toLowerCase(Locale.ROOT), g.goalId());
            if (previous != null) {
                throw new IllegalArgumentException(
                        "goals "
                                + previous
                                + " and "
                                + g.goalId()
                                + " differ only in case, which Datadog tags do not keep apart;"
                                + " rename one");
            }
            out.add(mapper.map(g));
        }
        return out;
    }

    /** The Datadog definitions of one workspace, as the dry run prints them. */
    public static ObjectNode dryRun(
            ObjectMapper json, String workspace, List<GoalDefinitions> defs) {
        ObjectNode w = json.createObjectNode();
        w.put("workspace_id", workspace);
        ArrayNode goals = w.putArray("goals");
        for (GoalDefinitions d : defs) {
            ObjectNode g = goals.addObject();
            g.put("goal_id", d.goal().goalId());
            g.put("kind", d.goal().kind().wireName());
            g.put("scope", d.goal().scope());
            d.slo().ifPresent(s -> g.set("slo", json.valueToTree(s)));
            ArrayNode monitors = g.putArray("monitors");
            for (GoalDefinitions.RoleMonitor m : d.monitors()) {
                ObjectNode n = monitors.addObject();
                n.put("role", m.role());
                n.set("monitor", json.valueToTree(m.monitor()));
            }
            ArrayNode notes = g.putArray("notes");
            d.notes().forEach(notes::add);
        }
        return w;
    }

    private static ObjectNode applied(
            ObjectMapper json, GoalSync.Result r, List<GoalDefinitions> defs) {
        ObjectNode w = json.createObjectNode();
        w.put("workspace_id", r.workspaceId());
        w.put("goals", defs.size());
        changes(w.putArray("created"), r.created());
        changes(w.putArray("updated"), r.updated());
        changes(w.putArray("unchanged"), r.unchanged());
        changes(w.putArray("deleted"), r.deleted());
        ArrayNode notes = w.putArray("notes");
        for (GoalDefinitions d : defs) {
            d.notes().forEach(n -> notes.add(d.goal().goalId() + ": " + n));
        }
        return w;
    }

    private static void changes(ArrayNode a, List<GoalSync.Change> changes) {
        for (GoalSync.Change c : changes) {
            ObjectNode n = a.addObject();
            n.put("type", c.type());
            n.put("goal_id", c.goalId());
            n.put("role", c.role());
            n.put("id", c.id());
        }
    }

    /** The official client with the API and application keys; its own 429 retry on. */
    private static ApiClient client(ForwarderConfig.Datadog dd) {
        ApiClient client = new ApiClient();
        client.setBasePath(dd.baseUrl().toString());
        client.configureApiKeys(
                Map.of("apiKeyAuth", dd.apiKey(), "appKeyAuth", dd.applicationKey()));
        client.setConnectTimeout((int) dd.timeout().toMillis());
        client.setReadTimeout((int) dd.timeout().toMillis());
        client.enableRetry(true);
        return client;
    }

    private static String abbreviate(String body) {
        if (body == null) {
            return "";
        }
        String text = body.strip();
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
