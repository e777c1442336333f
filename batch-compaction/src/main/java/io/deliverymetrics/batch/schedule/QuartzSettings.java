package io.deliverymetrics.batch.schedule;

import io.deliverymetrics.batch.config.BatchConfig;
import java.util.Properties;
import java.util.UUID;

/**
 * Quartz properties of a clustered JDBC job store ({@code JobStoreTX}, its own HikariCP pool) in
 * the control database. Nodes with the same scheduler name and control database form one cluster: a
 * trigger fires on one node only, and a {@code @DisallowConcurrentExecution} job never runs on two
 * nodes at once.
 */
public final class QuartzSettings {

    private QuartzSettings() {}

    public static Properties properties(BatchConfig.Schedule schedule, BatchConfig.Database db) {
        // Quartz registers connection providers by name in a JVM-wide registry; a unique name per
        // scheduler keeps two schedulers of one JVM (tests) from closing each other's pool.
        String ds = "dm_control_" + UUID.randomUUID().toString().replace("-", "");
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", schedule.schedulerName());
        p.setProperty("org.quartz.scheduler.instanceId", schedule.instanceId());
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        p.setProperty("org.quartz.threadPool.threadCount", String.valueOf(schedule.threadCount()));
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty(
                "org.quartz.jobStore.driverDelegateClass",
                "org.quartz.impl.jdbcjobstore.StdJDBCDelegate");
        p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
        p.setProperty("org.quartz.jobStore.isClustered", "true");
        p.setProperty(
                "org.quartz.jobStore.clusterCheckinInterval",
                String.valueOf(schedule.clusterCheckinInterval().toMillis()));
        p.setProperty(
                "org.quartz.jobStore.misfireThreshold",
                String.valueOf(schedule.misfireThreshold().toMillis()));
        p.setProperty("org.quartz.jobStore.useProperties", "true");
        p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        p.setProperty("org.quartz.jobStore.dataSource", ds);
        String prefix = "org.quartz.dataSource." + ds + ".";
        p.setProperty(prefix + "provider", "hikaricp");
        p.setProperty(prefix + "driver", "com.mysql.cj.jdbc.Driver");
        p.setProperty(prefix + "URL", db.jdbcUrl());
        p.setProperty(prefix + "user", db.user());
        p.setProperty(prefix + "password", db.password());
        // The scheduler thread, the cluster manager, the misfire handler and each worker thread
        // may each hold a connection.
        p.setProperty(prefix + "maxConnections", String.valueOf(schedule.threadCount() + 3));
        return p;
    }
}
