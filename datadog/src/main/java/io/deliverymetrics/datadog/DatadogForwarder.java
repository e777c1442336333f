package io.deliverymetrics.datadog;

import io.deliverymetrics.core.config.ConfigException;
import io.deliverymetrics.datadog.config.ForwarderConfig;
import io.deliverymetrics.datadog.config.ForwarderConfig.Workspace;
import io.deliverymetrics.datadog.forward.Backoff;
import io.deliverymetrics.datadog.forward.DestinationForwarder;
import io.deliverymetrics.datadog.forward.ForwarderStats;
import io.deliverymetrics.datadog.forward.PointMapper;
import io.deliverymetrics.datadog.forward.PointSender;
import io.deliverymetrics.datadog.forward.RetryingSubmitter;
import io.deliverymetrics.datadog.forward.SentPoints;
import io.deliverymetrics.datadog.forward.SeriesBatcher;
import io.deliverymetrics.datadog.forward.Sleeper;
import io.deliverymetrics.datadog.forward.WindowPlanner;
import io.deliverymetrics.datadog.forward.WorkspaceForwarder;
import io.deliverymetrics.datadog.internal.DatadogClientSink;
import io.deliverymetrics.datadog.internal.HttpMetricsSource;
import io.deliverymetrics.datadog.internal.JsonStateStore;
import io.deliverymetrics.datadog.metrics.ForwarderMetrics;
import io.deliverymetrics.datadog.metrics.MetricsEndpoint;
import io.deliverymetrics.datadog.model.PollResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Datadog forwarder: polls the Delivery Metrics REST API for each configured workspace with an
 * overlapping window and submits every complete minute bucket to Datadog at its original timestamp,
 * re-sending a bucket only when late data changed it; with {@code destinations.enabled}, also the
 * global destination status once per complete minute.
 *
 * <p>{@link #create} builds it from a config without starting anything, so tests run the very
 * forwarder {@link #main} runs, with their own clock and sleeper; {@link #pollOnce()} is one poll
 * of every workspace, {@link #run()} polls every {@code poll.interval} until {@link #close()}.
 * {@link #serveMetrics()} starts the endpoint of its own metrics ({@link ForwarderMetrics}).
 */
public final class DatadogForwarder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DatadogForwarder.class);

    private final ForwarderConfig config;
    private final Clock clock;
    private final Sleeper sleeper;
    private final ForwarderStats stats;
    private final ForwarderMetrics metrics;
    private final WorkspaceForwarder forwarder;
    private final Optional<DestinationForwarder> destinations;
    private final DatadogClientSink sink;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean closed;
    private volatile Thread runner;
    private MetricsEndpoint endpoint; // guarded by this

    private DatadogForwarder(
            ForwarderConfig config,
            Clock clock,
            Sleeper sleeper,
            ForwarderStats stats,
            WorkspaceForwarder forwarder,
            Optional<DestinationForwarder> destinations,
            DatadogClientSink sink) {
        this.config = config;
        this.clock = clock;
        this.sleeper = sleeper;
        this.stats = stats;
        this.metrics = new ForwarderMetrics(stats, clock);
        this.forwarder = forwarder;
        this.destinations = destinations;
        this.sink = sink;
    }

    /** Builds the forwarder with the system clock, real sleeping and a secure jitter source. */
    public static DatadogForwarder create(ForwarderConfig config) {
        return create(config, Clock.systemUTC(), Sleeper.system(), new SecureRandom());
    }

    /**
     * Builds the forwarder; nothing is polled until {@link #pollOnce()}, {@link #run()} or {@link
     * #start()}.
     *
     * @param clock decides which minutes are polled, and is "now" of the lag gauge
     * @param sleeper waits between polls and between retries
     * @param random jitter of the retry backoff
     */
    public static DatadogForwarder create(
            ForwarderConfig config, Clock clock, Sleeper sleeper, Random random) {
        Objects.requireNonNull(config, "config");
        ForwarderStats stats = new ForwarderStats();
        ForwarderConfig.Datadog dd = config.datadog();
        DatadogClientSink sink = new DatadogClientSink(dd);
        RetryingSubmitter submitter =
                new RetryingSubmitter(
                        sink,
                        new Backoff(
                                dd.retry().initialBackoff(),
                                dd.retry().maxBackoff(),
                                dd.retry().maxRetryAfter(),
                                random),
                        dd.retry().maxAttempts(),
                        sleeper,
                        clock,
                        stats);
        HttpMetricsSource source =
                new HttpMetricsSource(
                        config.api().baseUrl(), config.api().timeout(), config.api().pageSize());
        PointMapper mapper = new PointMapper(dd.tags());
        PointSender sender =
                new PointSender(
                        submitter,
                        new SentPoints(config.dedupMaxPoints()),
                        new SeriesBatcher(dd.batch().maxSeries(), dd.batch().maxBytes()),
                        clock,
                        stats);
        WorkspaceForwarder forwarder =
                new WorkspaceForwarder(
                        source,
                        sender,
                        new WindowPlanner(config.poll().overlap(), config.poll().maxCatchUp()),
                        mapper,
                        new JsonStateStore(config.stateFile()),
                        clock,
                        stats);
        Optional<DestinationForwarder> destinations =
                config.destinations().enabled()
                        ? Optional.of(
                                new DestinationForwarder(
                                        source,
                                        config.destinations().token(),
                                        sender,
                                        mapper,
                                        stats))
                        : Optional.empty();
        return new DatadogForwarder(config, clock, sleeper, stats, forwarder, destinations, sink);
    }

    /**
     * What must hold before the first poll: with {@code destinations.enabled}, the API accepts the
     * operator token for {@code GET /v1/destinations}. {@link #main} calls it before polling.
     *
     * @throws ConfigException when the API refused the token (401 or 403)
     * @throws InterruptedException when interrupted while waiting for the API
     */
    public void verifyAccess() throws InterruptedException {
        if (destinations.isPresent()) {
            destinations.get().verifyAccess();
        }
    }

    /**
     * Polls every workspace once, then the destination status when enabled. A failing workspace is
     * logged and counted; the others go on.
     *
     * @return one result per workspace, then one for the destination status (its workspace is
     *     {@link DestinationForwarder#SCOPE})
     * @throws InterruptedException when interrupted while waiting for an answer or a retry
     */
    public List<PollResult> pollOnce() throws InterruptedException {
        List<PollResult> results = new ArrayList<>();
        for (Workspace ws : config.workspaces()) {
            poll(ws.id(), () -> forwarder.forward(ws), results);
        }
        if (destinations.isPresent()) {
            poll(DestinationForwarder.SCOPE, destinations.get()::forward, results);
        }
        int polled = config.workspaces().size() + (destinations.isPresent() ? 1 : 0);
        int submitted = results.stream().mapToInt(PollResult::pointsSubmitted).sum();
        long failed = results.stream().filter(r -> !r.succeeded()).count();
        if (submitted > 0 || failed > 0) {
            LOG.info(
                    "Polled {} workspaces{}: {} points submitted in {} requests, {} unchanged, {}"
                            + " not forwarded completely",
                    config.workspaces().size(),
                    destinations.isPresent() ? " and the destination status" : "",
                    submitted,
                    results.stream().mapToInt(PollResult::requests).sum(),
                    results.stream().mapToInt(PollResult::pointsUnchanged).sum(),
                    failed + polled - results.size());
        }
        return results;
    }

    /** One poll of one scope. */
    private interface Poll {
        PollResult run() throws InterruptedException;
    }

    private void poll(String scope, Poll poll, List<PollResult> results)
            throws InterruptedException {
        try {
            PollResult r = poll.run();
            stats.forwardedThrough(scope, r.forwardedThrough());
            results.add(r);
        } catch (RuntimeException e) {
            stats.unexpectedError();
            LOG.error("Forwarding {} failed unexpectedly", scope, e);
        }
    }

    /** Polls every {@code poll.interval} on the calling thread until {@link #close()}. */
    public void run() {
        runner = Thread.currentThread();
        try {
            while (!closed) {
                Instant started = clock.instant();
                pollOnce();
                Duration rest =
                        config.poll().interval().minus(Duration.between(started, clock.instant()));
                if (!closed && !rest.isNegative()) {
                    sleeper.sleep(rest);
                }
            }
        } catch (InterruptedException e) {
            if (!closed) {
                Thread.currentThread().interrupt();
            }
        } finally {
            stopped.countDown();
        }
    }

    /** Runs {@link #run()} on a thread of its own. */
    public DatadogForwarder start() {
        Thread t = new Thread(this::run, "datadog-forwarder");
        runner = t;
        t.start();
        return this;
    }

    public ForwarderStats.Snapshot stats() {
        return stats.snapshot();
    }

    /**
     * Serves the forwarder's metrics at {@code /metrics} on {@code metrics.host}:{@code
     * metrics.port} until {@link #close()}, unless {@code metrics.enabled} is false.
     *
     * @return the bound address; empty when disabled
     * @throws UncheckedIOException when the address cannot be bound
     */
    public synchronized Optional<InetSocketAddress> serveMetrics() {
        ForwarderConfig.Metrics m = config.metrics();
        if (!m.enabled()) {
            return Optional.empty();
        }
        if (closed) {
            throw new IllegalStateException("the forwarder is closed");
        }
        if (endpoint == null) {
            try {
                endpoint = MetricsEndpoint.start(m.host(), m.port(), metrics);
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "cannot serve metrics on metrics.host "
                                + m.host()
                                + ", metrics.port "
                                + m.port()
                                + ": "
                                + e.getMessage(),
                        e);
            }
            LOG.info(
                    "Serving the forwarder's metrics on http://{}:{}{}",
                    m.host(),
                    endpoint.address().getPort(),
                    MetricsEndpoint.PATH);
        }
        return Optional.of(endpoint.address());
    }

    /**
     * Stops polling (interrupting a wait or an HTTP call), the metrics endpoint and releases the
     * HTTP clients.
     */
    @Override
    public void close() {
        closed = true;
        Thread t = runner;
        if (t != null && t != Thread.currentThread()) {
            t.interrupt();
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            if (endpoint != null) {
                endpoint.close();
                endpoint = null;
            }
        }
        metrics.close();
        sink.close();
    }

    /**
     * {@code [--config FILE] [--key=value …]}: loads the configuration and polls until stopped.
     * {@code goals [--apply] …} runs {@link GoalsCommand} instead and exits.
     */
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals(GoalsCommand.NAME)) {
            System.exit(
                    GoalsCommand.run(
                            java.util.Arrays.asList(args).subList(1, args.length),
                            System.getenv(),
                            System.out,
                            System.err));
            return;
        }
        ForwarderConfig config;
        try {
            config = ForwarderConfig.load(System.getenv(), args);
        } catch (ConfigException e) {
            System.err.println("configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        LOG.info("Starting the Datadog forwarder with {}", config);
        DatadogForwarder forwarder = create(config);
        try {
            forwarder.verifyAccess();
        } catch (ConfigException e) {
            forwarder.close();
            System.err.println("configuration error: " + e.getMessage());
            System.exit(2);
            return;
        } catch (InterruptedException e) {
            forwarder.close();
            Thread.currentThread().interrupt();
            return;
        }
        Runtime.getRuntime()
                .addShutdownHook(new Thread(forwarder::close, "datadog-forwarder-shutdown"));
        forwarder.serveMetrics();
        forwarder.run();
    }
}
