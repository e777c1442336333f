package io.deliverymetrics.datadog.forward;

import io.deliverymetrics.datadog.model.OutgoingPoint;
import io.deliverymetrics.datadog.model.SeriesBatch;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the points of one scope (a workspace, or the destination status) that Datadog does not have
 * yet: drops those whose value was already accepted, batches the rest under the payload limits,
 * submits batch after batch with retries and remembers what was accepted. The first batch that
 * fails for good stops the sending; what was accepted before it stays accepted.
 */
public final class PointSender {

    private static final Logger LOG = LoggerFactory.getLogger(PointSender.class);

    /**
     * What one {@link #send} did.
     *
     * @param unchanged points not sent because Datadog already has these values
     * @param submitted points Datadog accepted
     * @param requests accepted requests
     * @param failure why sending stopped early, if it did
     */
    public record Outcome(int unchanged, int submitted, int requests, Optional<String> failure) {}

    private final RetryingSubmitter submitter;
    private final SentPoints sent;
    private final SeriesBatcher batcher;
    private final Clock clock;
    private final ForwarderStats stats;

    public PointSender(
            RetryingSubmitter submitter,
            SentPoints sent,
            SeriesBatcher batcher,
            Clock clock,
            ForwarderStats stats) {
        this.submitter = Objects.requireNonNull(submitter, "submitter");
        this.sent = Objects.requireNonNull(sent, "sent");
        this.batcher = Objects.requireNonNull(batcher, "batcher");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.stats = Objects.requireNonNull(stats, "stats");
    }

    /** What was accepted for {@code scope}, remembered per minute. */
    public SentPoints sent() {
        return sent;
    }

    /**
     * Sends {@code points} of {@code scope} that Datadog does not have yet.
     *
     * @param scope what the points belong to and {@link SentPoints} remembers them under: a
     *     workspace id, or {@link DestinationForwarder#SCOPE}
     * @param storedDigests digests of minutes sent before a restart (see {@link
     *     SentPoints#restore})
     */
    public Outcome send(
            String scope,
            Collection<OutgoingPoint> points,
            SortedMap<Instant, String> storedDigests)
            throws InterruptedException {
        int restored = sent.restore(scope, storedDigests, points);
        if (restored > 0) {
            LOG.debug("{}: {} minutes match what was sent before the restart", scope, restored);
        }
        List<OutgoingPoint> unsent = sent.unsent(scope, points);
        int unchanged = points.size() - unsent.size();
        stats.unchanged(unchanged);

        int submitted = 0;
        int requests = 0;
        for (SeriesBatch batch : batcher.batch(unsent)) {
            try {
                MetricsSink.Accepted accepted = submitter.submit(batch);
                List<OutgoingPoint> batchPoints = batch.points();
                sent.record(scope, batchPoints);
                stats.submitted(batchPoints.size(), clock.instant());
                submitted += batchPoints.size();
                requests++;
                if (!accepted.errors().isEmpty()) {
                    stats.intakeError();
                    LOG.warn(
                            "Datadog accepted a request of {} with errors: {}",
                            scope,
                            accepted.errors());
                }
            } catch (SubmitException e) {
                stats.submitFailure(e.retryable());
                LOG.warn(
                        "Submitting the points of {} to Datadog failed (HTTP {}): {}; the next poll"
                                + " sends what is missing",
                        scope,
                        e.status() == 0 ? "none" : e.status(),
                        e.getMessage());
                return new Outcome(
                        unchanged, submitted, requests, Optional.of("Datadog: " + e.getMessage()));
            }
        }
        return new Outcome(unchanged, submitted, requests, Optional.empty());
    }
}
