package io.deliverymetrics.bench.streaming.internal;

import io.deliverymetrics.bench.internal.MachineCpu;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;

/**
 * Waits for a submitted Flink job and notes when it started running and when it finished, in epoch
 * milliseconds of the local wall clock (the database server runs on the same clock).
 */
public final class TimedJob {

    private static final long POLL_MS = 5;
    private static final Duration TIMEOUT = Duration.ofMinutes(30);

    private TimedJob() {}

    /**
     * @param runningAtMs when the job was first seen RUNNING (before its first record)
     * @param finishedAtMs when its result was available (every sink had committed)
     * @param cpuSeconds busy CPU time of the whole machine in between ({@link MachineCpu})
     */
    public record Timing(long runningAtMs, long finishedAtMs, double cpuSeconds) {}

    public static Timing await(JobClient client) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try {
            long runningAt = -1;
            double cpuAtStart = Double.NaN;
            while (runningAt < 0) {
                JobStatus status = client.getJobStatus().get(1, TimeUnit.MINUTES);
                if (status == JobStatus.RUNNING || status.isTerminalState()) {
                    runningAt = System.currentTimeMillis();
                    cpuAtStart = MachineCpu.busySeconds();
                } else if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("job " + client.getJobID() + " never ran");
                } else {
                    TimeUnit.MILLISECONDS.sleep(POLL_MS);
                }
            }
            client.getJobExecutionResult().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return new Timing(
                    runningAt, System.currentTimeMillis(), MachineCpu.busySeconds() - cpuAtStart);
        } catch (ExecutionException e) {
            throw new IllegalStateException("job " + client.getJobID() + " failed", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "job " + client.getJobID() + " did not finish in " + TIMEOUT, e);
        }
    }
}
