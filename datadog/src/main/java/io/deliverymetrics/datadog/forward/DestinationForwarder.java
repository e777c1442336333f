package io.deliverymetrics.datadog.forward;

import io.deliverymetrics.core.config.ConfigException;
import io.deliverymetrics.datadog.model.DestinationReport;
import io.deliverymetrics.datadog.model.OutgoingPoint;
import io.deliverymetrics.datadog.model.PollResult;
import io.deliverymetrics.datadog.model.PollWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One poll of the global destination status ({@code GET /v1/destinations}, operator token): when
 * its {@code complete_through} moved since the last report Datadog accepted, sends every
 * destination type's figures as {@code event_delivery.destination.*} gauges stamped with the last
 * complete minute, through the same {@link PointSender} as the workspaces' points.
 *
 * <p>A report whose {@code complete_through} was already forwarded sends nothing; after a failed
 * submission the next poll sends what Datadog does not have yet. What was forwarded is kept in
 * memory only: after a restart the current minute is sent once more, with the same values at the
 * same timestamp, which Datadog stores as the same point.
 */
public final class DestinationForwarder {

    private static final Logger LOG = LoggerFactory.getLogger(DestinationForwarder.class);

    /**
     * What the destination status's points are remembered under in {@link SentPoints}, and the
     * {@code workspace} of its {@link PollResult}: not a valid workspace id, so never one's.
     */
    public static final String SCOPE = "/v1/destinations";

    private final MetricsSource source;
    private final String token;
    private final PointSender sender;
    private final PointMapper mapper;
    private final ForwarderStats stats;
    private Optional<Instant> forwardedThrough = Optional.empty();

    public DestinationForwarder(
            MetricsSource source,
            String operatorToken,
            PointSender sender,
            PointMapper mapper,
            ForwarderStats stats) {
        this.source = Objects.requireNonNull(source, "source");
        this.token = Objects.requireNonNull(operatorToken, "operatorToken");
        this.sender = Objects.requireNonNull(sender, "sender");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.stats = Objects.requireNonNull(stats, "stats");
    }

    /**
     * Reads the destination status once, to refuse a token that cannot: the API answers 401 to an
     * unknown or revoked token and 403 to a workspace token. Any other failure is only logged, as
     * the polls will read it again.
     *
     * @throws ConfigException when the API refused the token
     */
    public void verifyAccess() throws InterruptedException {
        try {
            source.destinations(token);
        } catch (SourceException e) {
            if (e.status() == 401 || e.status() == 403) {
                throw new ConfigException(
                        "destinations.enabled is true, but the API refused destinations.token"
                                + " for GET "
                                + SCOPE
                                + " (HTTP "
                                + e.status()
                                + ": "
                                + e.getMessage()
                                + "); it needs an operator token (api-server: token create"
                                + " --operator)");
            }
            LOG.warn(
                    "Could not read the destination status at start (HTTP {}): {}; the polls try"
                            + " again",
                    e.status() == 0 ? "none" : e.status(),
                    e.getMessage());
        }
    }

    public PollResult forward() throws InterruptedException {
        stats.poll();
        DestinationReport report;
        try {
            report = source.destinations(token);
        } catch (SourceException e) {
            stats.apiError();
            LOG.warn(
                    "Reading the destination status from the Delivery Metrics API failed (HTTP"
                            + " {}): {}; the next poll reads it again",
                    e.status() == 0 ? "none" : e.status(),
                    e.getMessage());
            return nothing(Optional.of("API: " + e.getMessage()));
        }
        Optional<Instant> completeThrough = report.completeThrough();
        if (completeThrough.isEmpty() || completeThrough.equals(forwardedThrough)) {
            return nothing(Optional.empty());
        }
        Instant end = completeThrough.get();
        PollWindow minute = new PollWindow(end.minus(Duration.ofMinutes(1)), end, Optional.empty());
        List<OutgoingPoint> points = mapper.points(report);
        PointSender.Outcome outcome = sender.send(SCOPE, points, new TreeMap<>());
        if (outcome.failure().isEmpty()) {
            forwardedThrough = completeThrough;
        }
        sender.sent().evictBefore(SCOPE, minute.start());
        LOG.debug(
                "Destination status through {}: {} types, {} points, {} sent in {} requests, {}"
                        + " unchanged",
                end,
                report.types().size(),
                points.size(),
                outcome.submitted(),
                outcome.requests(),
                outcome.unchanged());
        return new PollResult(
                SCOPE,
                Optional.of(minute),
                points.size(),
                outcome.submitted(),
                outcome.unchanged(),
                outcome.requests(),
                forwardedThrough,
                outcome.failure());
    }

    private PollResult nothing(Optional<String> failure) {
        return new PollResult(SCOPE, Optional.empty(), 0, 0, 0, 0, forwardedThrough, failure);
    }
}
