package io.deliverymetrics.bench.streaming.internal;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A Flink metric reporter that notes when a job's first record flowed: it watches every record
 * counter the MiniCluster registers ({@code numRecordsIn}, {@code numRecordsOut} of every task and
 * operator) and stamps the wall clock the first time any of them is above zero, polling every
 * millisecond until then. The job's own code is untouched, so it times our job and the Flink SQL
 * peer the same way. Registered under a run id ({@link #install}), looked up with {@link
 * #firstRecordAtMs}.
 */
public final class FirstRecordReporter implements MetricReporter {

    private static final String NAME = "firstrecord";
    private static final String RUN_ID = "run-id";
    private static final long POLL_NANOS = 1_000_000;
    private static final Map<String, FirstRecordReporter> BY_RUN = new ConcurrentHashMap<>();

    private final List<Counter> counters = new CopyOnWriteArrayList<>();
    private volatile long firstRecordAtMs = -1;
    private volatile boolean closed;
    private String runId;
    private Thread poller;

    /** Adds the reporter to the configuration of a local environment for run {@code runId}. */
    public static void install(Configuration flink, String runId) {
        flink.set(
                ConfigOptions.key("metrics.reporter." + NAME + ".factory.class")
                        .stringType()
                        .noDefaultValue(),
                Factory.class.getName());
        flink.set(
                ConfigOptions.key("metrics.reporter." + NAME + "." + RUN_ID)
                        .stringType()
                        .noDefaultValue(),
                runId);
    }

    /** When run {@code runId} saw its first record (epoch ms), if it did; forgets the run. */
    public static OptionalLong firstRecordAtMs(String runId) {
        FirstRecordReporter r = BY_RUN.remove(runId);
        return r == null || r.firstRecordAtMs < 0
                ? OptionalLong.empty()
                : OptionalLong.of(r.firstRecordAtMs);
    }

    @Override
    public void open(MetricConfig config) {
        runId = config.getString(RUN_ID, "");
        BY_RUN.put(runId, this);
        poller = new Thread(this::poll, "first-record-reporter-" + runId);
        poller.setDaemon(true);
        poller.start();
    }

    private void poll() {
        while (!closed && firstRecordAtMs < 0) {
            for (Counter c : counters) {
                if (c.getCount() > 0) {
                    firstRecordAtMs = System.currentTimeMillis();
                    break;
                }
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        counters.clear();
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
        if (firstRecordAtMs < 0
                && metric instanceof Counter c
                && (metricName.equals("numRecordsIn") || metricName.equals("numRecordsOut"))) {
            counters.add(c);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
        counters.remove(metric);
    }

    /** Found by Flink through {@code META-INF/services}. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new FirstRecordReporter();
        }
    }
}
