package io.deliverymetrics.datadog.goals;

import com.datadog.api.client.ApiException;
import com.datadog.api.client.v1.api.MonitorsApi;
import com.datadog.api.client.v1.api.ServiceLevelObjectivesApi;
import com.datadog.api.client.v1.model.Monitor;
import com.datadog.api.client.v1.model.MonitorOptions;
import com.datadog.api.client.v1.model.MonitorUpdateRequest;
import com.datadog.api.client.v1.model.SLOListResponse;
import com.datadog.api.client.v1.model.ServiceLevelObjective;
import com.datadog.api.client.v1.model.ServiceLevelObjectiveRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deliverymetrics.datadog.goals.GoalDefinitions.RoleMonitor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Makes Datadog hold exactly the definitions of a workspace's goals: finds the SLOs and monitors
 * this command made before by their tags ({@code managed_by}, {@code workspace}, {@code
 * delivery_goal}, {@code delivery_goal_role}), updates those whose definition changed, creates what
 * is missing and deletes what belongs to no goal any more (monitors before their SLO). A definition
 * counts as unchanged when every field it sets has the same value in Datadog (Datadog adds fields
 * of its own) and the tags are the same set; a run over unchanged goals writes nothing.
 */
public final class GoalSync {

    /** One SLO or monitor acted on. */
    public record Change(String type, String goalId, String role, String id) {}

    /** What one run did in one workspace. */
    public record Result(
            String workspaceId,
            List<Change> created,
            List<Change> updated,
            List<Change> unchanged,
            List<Change> deleted) {}

    private record Key(String goal, String role) {}

    private final ServiceLevelObjectivesApi slos;
    private final MonitorsApi monitors;
    private final ObjectMapper json;
    private final JsonNode monitorDefaults;

    /**
     * @param json the client's own mapper ({@code new JSON().getMapper()}), so that comparisons see
     *     the bodies exactly as the client sends and reads them
     */
    public GoalSync(ServiceLevelObjectivesApi slos, MonitorsApi monitors, ObjectMapper json) {
        this.slos = Objects.requireNonNull(slos, "slos");
        this.monitors = Objects.requireNonNull(monitors, "monitors");
        this.json = Objects.requireNonNull(json, "json");
        this.monitorDefaults = json.valueToTree(new Monitor().options(new MonitorOptions()));
    }

    /**
     * Applies {@code definitions}, all the goals {@code workspaceId} declares.
     *
     * @throws ApiException on the first request Datadog refuses; what was done before stays done,
     *     and the next run continues from there
     */
    public Result apply(String workspaceId, List<GoalDefinitions> definitions) throws ApiException {
        String wsTag = GoalMapper.tag("workspace", workspaceId);
        Map<Key, List<ServiceLevelObjective>> existingSlos = existingSlos(wsTag);
        Map<Key, List<Monitor>> existingMonitors = existingMonitors(wsTag);
        List<Change> created = new ArrayList<>();
        List<Change> updated = new ArrayList<>();
        List<Change> unchanged = new ArrayList<>();
        List<Change> deleted = new ArrayList<>();
        Set<Key> wanted = new HashSet<>();

        for (GoalDefinitions d : definitions) {
            String goal = d.goal().goalId().toLowerCase(Locale.ROOT);
            String sloId = null;
            if (d.slo().isPresent()) {
                Key key = new Key(goal, GoalMapper.SLO_ROLE);
                wanted.add(key);
                ServiceLevelObjectiveRequest desired = d.slo().get();
                Optional<ServiceLevelObjective> found = first(existingSlos.get(key));
                if (found.isEmpty()) {
                    SLOListResponse r = slos.createSLO(desired);
                    sloId = r.getData().get(0).getId();
                    created.add(new Change("slo", d.goal().goalId(), key.role(), sloId));
                } else {
                    sloId = found.get().getId();
                    Change c = new Change("slo", d.goal().goalId(), key.role(), sloId);
                    if (covers(json.valueToTree(found.get()), json.valueToTree(desired))) {
                        unchanged.add(c);
                    } else {
                        slos.updateSLO(
                                sloId, json.convertValue(desired, ServiceLevelObjective.class));
                        updated.add(c);
                    }
                }
            }
            for (RoleMonitor rm : d.monitors()) {
                Key key = new Key(goal, rm.role());
                wanted.add(key);
                Monitor desired = withSloId(rm.monitor(), sloId);
                Optional<Monitor> found = first(existingMonitors.get(key));
                if (found.isEmpty()) {
                    Monitor m = monitors.createMonitor(desired);
                    created.add(
                            new Change("monitor", d.goal().goalId(), key.role(), id(m.getId())));
                } else {
                    Change c =
                            new Change(
                                    "monitor",
                                    d.goal().goalId(),
                                    key.role(),
                                    id(found.get().getId()));
                    JsonNode compared = withoutDefaults(json.valueToTree(desired), monitorDefaults);
                    if (covers(json.valueToTree(found.get()), compared)) {
                        unchanged.add(c);
                    } else {
                        monitors.updateMonitor(
                                found.get().getId(),
                                json.convertValue(
                                        json.valueToTree(desired), MonitorUpdateRequest.class));
                        updated.add(c);
                    }
                }
            }
        }

        // Monitors first: Datadog does not delete an SLO that a monitor still refers to.
        for (Map.Entry<Key, List<Monitor>> e : existingMonitors.entrySet()) {
            List<Monitor> stale =
                    wanted.contains(e.getKey())
                            ? e.getValue().subList(1, e.getValue().size())
                            : e.getValue();
            for (Monitor m : stale) {
                monitors.deleteMonitor(m.getId());
                deleted.add(
                        new Change(
                                "monitor", goalTag(m.getTags()), e.getKey().role(), id(m.getId())));
            }
        }
        for (Map.Entry<Key, List<ServiceLevelObjective>> e : existingSlos.entrySet()) {
            List<ServiceLevelObjective> stale =
                    wanted.contains(e.getKey())
                            ? e.getValue().subList(1, e.getValue().size())
                            : e.getValue();
            for (ServiceLevelObjective s : stale) {
                slos.deleteSLO(s.getId());
                deleted.add(new Change("slo", goalTag(s.getTags()), e.getKey().role(), s.getId()));
            }
        }
        return new Result(workspaceId, created, updated, unchanged, deleted);
    }

    private Map<Key, List<ServiceLevelObjective>> existingSlos(String wsTag) {
        Map<Key, List<ServiceLevelObjective>> out = new LinkedHashMap<>();
        for (ServiceLevelObjective s :
                slos.listSLOsWithPagination(
                        new ServiceLevelObjectivesApi.ListSLOsOptionalParameters()
                                .tagsQuery(wsTag))) {
            key(s.getTags(), wsTag)
                    .ifPresent(k -> out.computeIfAbsent(k, x -> new ArrayList<>()).add(s));
        }
        out.values().forEach(l -> l.sort(Comparator.comparing(ServiceLevelObjective::getId)));
        return out;
    }

    private Map<Key, List<Monitor>> existingMonitors(String wsTag) {
        Map<Key, List<Monitor>> out = new LinkedHashMap<>();
        for (Monitor m :
                monitors.listMonitorsWithPagination(
                        new MonitorsApi.ListMonitorsOptionalParameters().monitorTags(wsTag))) {
            key(m.getTags(), wsTag)
                    .ifPresent(k -> out.computeIfAbsent(k, x -> new ArrayList<>()).add(m));
        }
        out.values().forEach(l -> l.sort(Comparator.comparing(Monitor::getId)));
        return out;
    }

    /** The goal and role of an object this command made for the workspace; empty otherwise. */
    private static Optional<Key> key(List<String> tags, String wsTag) {
        Set<String> t = lower(tags);
        if (!t.contains(GoalMapper.MANAGED_BY) || !t.contains(wsTag)) {
            return Optional.empty();
        }
        String goal = value(t, GoalMapper.GOAL_TAG);
        String role = value(t, GoalMapper.ROLE_TAG);
        return goal == null || role == null ? Optional.empty() : Optional.of(new Key(goal, role));
    }

    private static String goalTag(List<String> tags) {
        return value(lower(tags), GoalMapper.GOAL_TAG);
    }

    private static String value(Set<String> tags, String key) {
        String prefix = key + ":";
        return tags.stream()
                .filter(x -> x.startsWith(prefix))
                .map(x -> x.substring(prefix.length()))
                .findFirst()
                .orElse(null);
    }

    private static Set<String> lower(List<String> tags) {
        Set<String> out = new TreeSet<>();
        if (tags != null) {
            tags.forEach(x -> out.add(x.toLowerCase(Locale.ROOT)));
        }
        return out;
    }

    private static <T> Optional<T> first(List<T> l) {
        return l == null || l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    private static String id(Long id) {
        return id == null ? null : id.toString();
    }

    /** A copy of {@code m} whose burn-rate query names the SLO {@code sloId}. */
    private Monitor withSloId(Monitor m, String sloId) {
        Monitor copy = json.convertValue(json.valueToTree(m), Monitor.class);
        if (copy.getQuery() != null && copy.getQuery().contains(GoalMapper.SLO_ID)) {
            if (sloId == null) {
                throw new IllegalStateException("a burn-rate monitor without its SLO");
            }
            copy.setQuery(copy.getQuery().replace(GoalMapper.SLO_ID, sloId));
        }
        return copy;
    }

    /**
     * Whether {@code existing} has every field {@code desired} sets, with the same value: objects
     * field by field, arrays element by element, numbers by value; {@code tags} as sets, ignoring
     * case.
     */
    static boolean covers(JsonNode existing, JsonNode desired) {
        if (desired == null || desired.isNull()) {
            return true;
        }
        if (existing == null || existing.isNull() || existing.isMissingNode()) {
            return false;
        }
        if (desired.isObject()) {
            if (!existing.isObject()) {
                return false;
            }
            for (var it = desired.fields(); it.hasNext(); ) {
                var f = it.next();
                if (f.getKey().equals("tags") && f.getValue().isArray()) {
                    if (!tagSet(existing.get("tags")).equals(tagSet(f.getValue()))) {
                        return false;
                    }
                } else if (!covers(existing.get(f.getKey()), f.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (desired.isArray()) {
            if (!existing.isArray() || existing.size() != desired.size()) {
                return false;
            }
            for (int i = 0; i < desired.size(); i++) {
                if (!covers(existing.get(i), desired.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (desired.isNumber()) {
            return existing.isNumber() && existing.doubleValue() == desired.doubleValue();
        }
        return desired.equals(existing);
    }

    /**
     * {@code desired} without the fields that hold the client model's own defaults (a monitor's
     * {@code draft_status}, option defaults such as {@code notify_audit}): the client sends them
     * although this command never sets them, and Datadog need not echo them for every monitor type.
     */
    static JsonNode withoutDefaults(JsonNode desired, JsonNode defaults) {
        if (!desired.isObject() || defaults == null || !defaults.isObject()) {
            return desired;
        }
        ObjectNode out = ((ObjectNode) desired).deepCopy();
        for (var it = desired.fields(); it.hasNext(); ) {
            var f = it.next();
            JsonNode d = defaults.get(f.getKey());
            if (d == null) {
                continue;
            }
            if (f.getValue().isObject()) {
                out.set(f.getKey(), withoutDefaults(f.getValue(), d));
            } else if (f.getValue().equals(d)) {
                out.remove(f.getKey());
            }
        }
        return out;
    }

    private static Set<String> tagSet(JsonNode tags) {
        Set<String> out = new TreeSet<>();
        if (tags != null) {
            tags.forEach(t -> out.add(t.asText().toLowerCase(Locale.ROOT)));
        }
        return out;
    }
}
