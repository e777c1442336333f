package io.deliverymetrics.api.internal;

import io.deliverymetrics.api.goals.Goal;
import io.deliverymetrics.api.goals.GoalKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/** The {@code delivery_goals} table of the control database. */
public final class GoalStore {

    private static final String COLUMNS =
            "workspace_id, goal_id, kind, target, window_seconds, source_id, destination_id,"
                    + " description, created_at, updated_at";

    private static final String LIST =
            "SELECT " + COLUMNS + " FROM delivery_goals WHERE workspace_id = ? ORDER BY goal_id";

    private static final String FIND =
            "SELECT " + COLUMNS + " FROM delivery_goals WHERE workspace_id = ? AND goal_id = ?";

    // A new row keeps created_at = updated_at; a replaced one keeps its created_at.
    private static final String UPSERT =
            """
            INSERT INTO delivery_goals
                (workspace_id, goal_id, kind, target, window_seconds, source_id, destination_id,
                 description)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON DUPLICATE KEY UPDATE kind = VALUES(kind), target = VALUES(target),
                window_seconds = VALUES(window_seconds), source_id = VALUES(source_id),
                destination_id = VALUES(destination_id), description = VALUES(description),
                updated_at = CURRENT_TIMESTAMP(6)""";

    private static final String DELETE =
            "DELETE FROM delivery_goals WHERE workspace_id = ? AND goal_id = ?";

    private final DataSource control;

    public GoalStore(DataSource control) {
        this.control = Objects.requireNonNull(control, "control");
    }

    /** The workspace's goals by goal id. */
    public List<Goal> list(String workspaceId) {
        try (Connection c = control.getConnection();
                PreparedStatement ps = c.prepareStatement(LIST)) {
            ps.setString(1, workspaceId);
            List<Goal> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(goal(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw JdbcMetricStore.failure("cannot read goals", e);
        }
    }

    public Optional<Goal> find(String workspaceId, String goalId) {
        try (Connection c = control.getConnection();
                PreparedStatement ps = c.prepareStatement(FIND)) {
            ps.setString(1, workspaceId);
            ps.setString(2, goalId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(goal(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw JdbcMetricStore.failure("cannot read goal " + goalId, e);
        }
    }

    /** Stores {@code g}, replacing the goal of the same id; returns it as stored. */
    public Goal put(Goal g) {
        try (Connection c = control.getConnection();
                PreparedStatement ps = c.prepareStatement(UPSERT)) {
            ps.setString(1, g.workspaceId());
            ps.setString(2, g.goalId());
            ps.setString(3, g.kind().wireName());
            ps.setDouble(4, g.target());
            if (g.window() == null) {
                ps.setNull(5, Types.BIGINT);
            } else {
                ps.setLong(5, g.window().toSeconds());
            }
            ps.setString(6, g.sourceId());
            ps.setString(7, g.destinationId());
            ps.setString(8, g.description());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw JdbcMetricStore.failure("cannot store goal " + g.goalId(), e);
        }
        return find(g.workspaceId(), g.goalId()).orElseThrow();
    }

    /** Deletes a goal; false when there was none. */
    public boolean delete(String workspaceId, String goalId) {
        try (Connection c = control.getConnection();
                PreparedStatement ps = c.prepareStatement(DELETE)) {
            ps.setString(1, workspaceId);
            ps.setString(2, goalId);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw JdbcMetricStore.failure("cannot delete goal " + goalId, e);
        }
    }

    private static Goal goal(ResultSet rs) throws SQLException {
        String kindName = rs.getString(3);
        GoalKind kind = GoalKind.fromWireName(kindName).orElse(null);
        if (kind == null) {
            throw new SQLException("unknown goal kind " + kindName);
        }
        long seconds = rs.getLong(5);
        Duration window = rs.wasNull() ? null : Duration.ofSeconds(seconds);
        return new Goal(
                rs.getString(1),
                rs.getString(2),
                kind,
                rs.getDouble(4),
                window,
                rs.getString(6),
                rs.getString(7),
                rs.getString(8),
                rs.getTimestamp(9).toInstant(),
                rs.getTimestamp(10).toInstant());
    }
}
