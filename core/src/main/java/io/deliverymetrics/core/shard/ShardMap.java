package io.deliverymetrics.core.shard;

import io.deliverymetrics.core.config.ConfigException;
import io.deliverymetrics.core.config.Settings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The configured shards and the override list that pins big tenants to a chosen shard.
 *
 * @param shards shards with ids 0..n-1 in order
 * @param overrides workspace id → shard id, checked before hashing
 */
public record ShardMap(List<Shard> shards, Map<String, Integer> overrides)
        implements java.io.Serializable {

    public ShardMap {
        shards = List.copyOf(Objects.requireNonNull(shards, "shards"));
        overrides = Map.copyOf(Objects.requireNonNull(overrides, "overrides"));
        if (shards.isEmpty()) {
            throw new IllegalArgumentException("at least one shard must be configured");
        }
        for (int i = 0; i < shards.size(); i++) {
            if (shards.get(i).id() != i) {
                throw new IllegalArgumentException(
                        "shard ids must be 0.."
                                + (shards.size() - 1)
                                + " in order; position "
                                + i
                                + " has id "
                                + shards.get(i).id());
            }
        }
        for (Map.Entry<String, Integer> e : overrides.entrySet()) {
            if (e.getValue() < 0 || e.getValue() >= shards.size()) {
                throw new IllegalArgumentException(
                        "override for workspace "
                                + e.getKey()
                                + " names shard "
                                + e.getValue()
                                + ", but only 0.."
                                + (shards.size() - 1)
                                + " exist");
            }
        }
    }

    public int size() {
        return shards.size();
    }

    public Shard shard(int id) {
        return shards.get(id);
    }

    /** A copy with one more override. */
    public ShardMap withOverride(String workspaceId, int shardId) {
        Map<String, Integer> o = new HashMap<>(overrides);
        o.put(workspaceId, shardId);
        return new ShardMap(shards, o);
    }

    /**
     * Reads {@code shards.N.jdbc-url}, {@code shards.N.user}, {@code shards.N.password} and {@code
     * shard-overrides.<workspace>=<shard id>} from {@code settings}.
     */
    public static ShardMap fromSettings(Settings settings) {
        List<Shard> shards = new java.util.ArrayList<>();
        List<Integer> ids = settings.indices("shards");
        for (int i = 0; i < ids.size(); i++) {
            if (ids.get(i) != i) {
                throw new ConfigException(
                        "shards must be numbered 0.." + (ids.size() - 1) + " without gaps");
            }
            String p = "shards." + i + ".";
            shards.add(
                    new Shard(
                            i,
                            settings.string(p + "jdbc-url"),
                            settings.string(p + "user", "root"),
                            settings.string(p + "password", "")));
        }
        if (shards.isEmpty()) {
            throw new ConfigException("no shards configured: set shards.0.jdbc-url");
        }
        Map<String, Integer> overrides = new HashMap<>();
        // The whole rest of the key is the workspace id: ids may contain dots (ws.acme).
        for (String ws : settings.section("shard-overrides").asMap().keySet()) {
            overrides.put(ws, settings.integer("shard-overrides." + ws));
        }
        try {
            return new ShardMap(shards, overrides);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage(), e);
        }
    }
}
