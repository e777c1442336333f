package io.deliverymetrics.core.shard;

import java.util.Objects;

/**
 * One shard: a MySQL database (schema) holding every pair of the workspaces routed to it.
 *
 * @param id dense index, 0-based; the router hashes over ids
 * @param jdbcUrl JDBC URL of the shard's database
 */
public record Shard(int id, String jdbcUrl, String user, String password)
        implements java.io.Serializable {

    public Shard {
        if (id < 0) {
            throw new IllegalArgumentException("shard id must be >= 0, was " + id);
        }
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith("jdbc:")) {
            throw new IllegalArgumentException("shard " + id + ": jdbc url must start with jdbc:");
        }
        Objects.requireNonNull(user, "user");
        password = password == null ? "" : password;
    }

    @Override
    public String toString() {
        // Never print the password.
        return "Shard[id=" + id + ", jdbcUrl=" + jdbcUrl + ", user=" + user + "]";
    }
}
