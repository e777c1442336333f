package io.deliverymetrics.datadog.forward;

import io.deliverymetrics.datadog.config.ForwarderConfig.Workspace;
import io.deliverymetrics.datadog.model.MetricsPage;
import io.deliverymetrics.datadog.model.OutgoingPoint;
import io.deliverymetrics.datadog.model.PairMinute;
import io.deliverymetrics.datadog.model.PollResult;
import io.deliverymetrics.datadog.model.PollWindow;
import io.deliverymetrics.datadog.model.WorkspaceProgress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One poll of one workspace: plan the window, read every page of it from the API, keep the complete
 * buckets whose values Datadog does not have yet, submit them in batches, then record the progress.
 *
 * <p>A workspace only counts as forwarded through a minute once every batch was accepted; after any
 * failure the next poll reads the same minutes again and sends what is still missing, so nothing is
 * skipped and nothing accepted is sent twice.
 */
public final class WorkspaceForwarder {

    private static final Logger LOG = LoggerFactory.getLogger(WorkspaceForwarder.class);

    /** Guards against an API that keeps handing out cursors. */
    private static final int MAX_PAGES = 10_000;

    private final MetricsSource source;
    private final PointSender sender;
    private final WindowPlanner planner;
    private final PointMapper mapper;
    private final SentPoints sent;
    private final StateStore store;
    private final Clock clock;
    private final ForwarderStats stats;
    private final Map<String, WorkspaceProgress> progress;
    private final Map<String, Instant> notBefore = new HashMap<>();

    public WorkspaceForwarder(
            MetricsSource source,
            PointSender sender,
            WindowPlanner planner,
            PointMapper mapper,
            StateStore store,
            Clock clock,
            ForwarderStats stats) {
        this.source = Objects.requireNonNull(source, "source");
        this.sender = Objects.requireNonNull(sender, "sender");
        this.planner = Objects.requireNonNull(planner, "planner");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.sent = sender.sent();
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.stats = Objects.requireNonNull(stats, "stats");
        this.progress = new HashMap<>(store.load());
    }

    /** The progress of {@code workspace}, as it would be saved now. */
    public WorkspaceProgress progress(String workspace) {
        return progress.getOrDefault(workspace, WorkspaceProgress.NONE);
    }

    public PollResult forward(Workspace workspace) throws InterruptedException {
        String id = workspace.id();
        Instant now = clock.instant();
        WorkspaceProgress before = progress(id);
        Instant wait = notBefore.get(id);
        if (wait != null && now.isBefore(wait)) {
            return new PollResult(
                    id,
                    Optional.empty(),
                    0,
                    0,
                    0,
                    0,
                    before.forwardedThrough(),
                    Optional.of("deferred until " + wait + " as the API asked"));
        }
        notBefore.remove(id);
        stats.poll();
        PollWindow window = planner.plan(now, before.forwardedThrough());
        window.skippedFrom()
                .ifPresent(
                        from -> {
                            long minutes = Duration.between(from, window.start()).toMinutes();
                            stats.skipped(minutes);
                            LOG.warn(
                                    "Workspace {} is {} minutes behind the catch-up limit: minutes"
                                            + " {} to {} are not forwarded (Datadog drops points"
                                            + " older than an hour)",
                                    id,
                                    minutes,
                                    from,
                                    window.start());
                        });
        if (before.forwardedThrough().isEmpty()) {
            // The first poll of a workspace fixes where its history starts for this forwarder; a
            // failure of this very poll must not move that start later.
            before = new WorkspaceProgress(Optional.of(window.start()), before.sentDigests());
            progress.put(id, before);
            store.save(Map.copyOf(progress));
        }
        if (window.isEmpty()) {
            return new PollResult(
                    id,
                    Optional.of(window),
                    0,
                    0,
                    0,
                    0,
                    before.forwardedThrough(),
                    Optional.empty());
        }

        List<PairMinute> minutes = new ArrayList<>();
        Optional<Instant> completeThrough;
        try {
            completeThrough = read(workspace, window, minutes);
        } catch (SourceException e) {
            stats.apiError();
            e.retryAfter().ifPresent(d -> notBefore.put(id, now.plus(d)));
            LOG.warn(
                    "Reading workspace {} from the Delivery Metrics API failed (HTTP {}): {}; the"
                            + " next poll reads these minutes again",
                    id,
                    e.status() == 0 ? "none" : e.status(),
                    e.getMessage());
            return new PollResult(
                    id,
                    Optional.of(window),
                    0,
                    0,
                    0,
                    0,
                    before.forwardedThrough(),
                    Optional.of("API: " + e.getMessage()));
        }

        List<OutgoingPoint> points = mapper.points(id, minutes);
        PointSender.Outcome outcome = sender.send(id, points, before.sentDigests());
        Optional<String> failure = outcome.failure();

        Optional<Instant> forwardedThrough =
                failure.isEmpty()
                        ? WindowPlanner.advance(before.forwardedThrough(), window, completeThrough)
                        : before.forwardedThrough();
        sent.evictBefore(id, window.start());
        WorkspaceProgress after = new WorkspaceProgress(forwardedThrough, sent.digests(id));
        if (!after.equals(before)) {
            progress.put(id, after);
            store.save(Map.copyOf(progress));
        }
        LOG.debug(
                "Workspace {} [{}, {}): {} complete points, {} sent in {} requests, {} unchanged;"
                        + " forwarded through {}",
                id,
                window.start(),
                window.end(),
                points.size(),
                outcome.submitted(),
                outcome.requests(),
                outcome.unchanged(),
                forwardedThrough.map(Instant::toString).orElse("nothing yet"));
        return new PollResult(
                id,
                Optional.of(window),
                points.size(),
                outcome.submitted(),
                outcome.unchanged(),
                outcome.requests(),
                forwardedThrough,
                failure);
    }

    /**
     * Reads every page of the window into {@code out}.
     *
     * @return the earliest {@code complete_through} of the pages (empty if any page had none)
     */
    private Optional<Instant> read(Workspace workspace, PollWindow window, List<PairMinute> out)
            throws SourceException, InterruptedException {
        Optional<String> cursor = Optional.empty();
        Optional<Instant> completeThrough = Optional.empty();
        for (int page = 0; page < MAX_PAGES; page++) {
            MetricsPage p = source.fetch(workspace, window.start(), window.end(), cursor);
            out.addAll(p.minutes());
            if (page == 0) {
                completeThrough = p.completeThrough();
            } else if (p.completeThrough().isEmpty()) {
                completeThrough = Optional.empty();
            } else {
                completeThrough =
                        completeThrough.map(
                                c ->
                                        c.isBefore(p.completeThrough().get())
                                                ? c
                                                : p.completeThrough().get());
            }
            cursor = p.nextCursor();
            if (cursor.isEmpty()) {
                return completeThrough;
            }
        }
        throw new SourceException(
                200,
                Optional.empty(),
                "more than " + MAX_PAGES + " pages for one window; is the cursor advancing?",
                null);
    }
}
