package io.deliverymetrics.datadog.forward;

import io.deliverymetrics.datadog.model.SeriesBatch;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submits a batch, retrying on no answer, 408, 429 and 5xx with {@link Backoff} (honouring the
 * server's wait hint) up to {@code maxAttempts} attempts in all.
 */
public final class RetryingSubmitter {

    private static final Logger LOG = LoggerFactory.getLogger(RetryingSubmitter.class);

    private final MetricsSink sink;
    private final Backoff backoff;
    private final int maxAttempts;
    private final Sleeper sleeper;
    private final Clock clock;
    private final ForwarderStats stats;

    public RetryingSubmitter(
            MetricsSink sink,
            Backoff backoff,
            int maxAttempts,
            Sleeper sleeper,
            Clock clock,
            ForwarderStats stats) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be positive");
        }
        this.maxAttempts = maxAttempts;
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.stats = Objects.requireNonNull(stats, "stats");
    }

    /**
     * @throws SubmitException the last failure, when it was not retryable or the attempts ran out
     */
    public MetricsSink.Accepted submit(SeriesBatch batch)
            throws SubmitException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return sink.submit(batch);
            } catch (SubmitException e) {
                if (!e.retryable() || attempt >= maxAttempts) {
                    throw e;
                }
                Duration wait =
                        backoff.delay(attempt, Backoff.serverHint(e.headers(), clock.instant()));
                stats.submitRetry(e.status());
                LOG.warn(
                        "Datadog submission of {} series failed ({}); attempt {} of {} in {} ms",
                        batch.series().size(),
                        e.getMessage(),
                        attempt + 1,
                        maxAttempts,
                        wait.toMillis());
                sleeper.sleep(wait);
            }
        }
    }
}
