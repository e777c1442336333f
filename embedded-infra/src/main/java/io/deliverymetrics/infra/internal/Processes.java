package io.deliverymetrics.infra.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Stops a child process together with any processes it started. */
public final class Processes {

    private static final Logger LOG = LoggerFactory.getLogger(Processes.class);
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private Processes() {}

    /**
     * Asks the process to terminate, waits up to {@code grace} for it to exit, then kills it and
     * whatever it started; {@link Duration#ZERO} kills at once.
     */
    public static void destroyTree(Process process, Duration grace) {
        List<ProcessHandle> descendants = process.descendants().collect(Collectors.toList());
        try {
            if (!grace.isZero()) {
                process.destroy();
                if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn(
                            "Process {} did not exit within {} ms of SIGTERM, killing it",
                            process.pid(),
                            grace.toMillis());
                }
            }
            if (process.isAlive()) {
                process.destroyForcibly();
                if (!process.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn("Process {} is still alive after SIGKILL", process.pid());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } finally {
            descendants.stream()
                    .filter(ProcessHandle::isAlive)
                    .forEach(ProcessHandle::destroyForcibly);
        }
    }
}
