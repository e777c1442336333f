package io.deliverymetrics.api.http;

import io.deliverymetrics.api.query.RowMeter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * What one workspace's queries may take from the shard and the server it shares with other
 * workspaces: at most {@code maxConcurrent} queries at once (more get 429 at once instead of
 * waiting for a connection), and tier rows read at {@code rowsPerSecond} on average.
 *
 * <p>Rows are paced, not refused (as Kafka's quotas delay a client rather than fail it): each
 * workspace has an allowance that refills at {@code rowsPerSecond} up to one second's worth, every
 * query of the workspace draws on it as it reads, and a query that has overdrawn it waits, while it
 * reads, until the allowance is back to zero. A query of fewer rows than the allowance holds runs
 * at full speed; an expensive one (minute rows of a whole workspace over a day) runs at the
 * workspace's rate instead of taking the machine from every other workspace for its duration. The
 * allowance is shared by the workspace's concurrent queries, so more of them do not read faster.
 * Rendering the answer draws on the same allowance, a point for a row, so a page of many thousand
 * points is written at the workspace's rate too instead of in one burst at the end of the query.
 *
 * <p>A workspace's queries also take turns: at most {@code parallel} of them work at a time (one by
 * default), and each hands its turn to the next (first come, first served) whenever it reports a
 * chunk of rows or points and while it waits for its allowance. Admitting several queries lets a
 * dashboard send its panels together, but they cannot read faster than the one allowance anyway;
 * taking turns keeps a workspace to that many busy threads of the server (and busy connections of
 * the database) at a time, so its bursts do not crowd the processor that other workspaces' queries
 * need.
 */
public final class QueryBudget {

    /** Problem type of a refused query. */
    public static final String PROBLEM_TYPE =
            ApiProblem.TYPE_PREFIX + "too-many-concurrent-queries";

    /** Makes the calling thread wait; the server's is {@link TimeUnit#NANOSECONDS}'s sleep. */
    @FunctionalInterface
    public interface Sleeper {
        void sleepNanos(long nanos) throws InterruptedException;
    }

    private final int maxConcurrent;
    private final int parallel;
    private final long rowsPerSecond;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    // Per workspace: queries running and the row allowance. A workspace leaves the map when its
    // last query ends with a full allowance; every update runs inside the map's compute.
    private final Map<String, State> states = new ConcurrentHashMap<>();
    private final Counter refused;
    private final Counter rowsRead;
    private final Counter paced;

    public QueryBudget(
            int maxConcurrent, int parallel, long rowsPerSecond, MeterRegistry registry) {
        this(
                maxConcurrent,
                parallel,
                rowsPerSecond,
                registry,
                System::nanoTime,
                nanos -> TimeUnit.NANOSECONDS.sleep(nanos));
    }

    /**
     * @param parallel how many of a workspace's admitted queries work at the same moment
     * @param nanoTime the monotonic clock the allowance refills by
     * @param sleeper how a paced query waits
     */
    public QueryBudget(
            int maxConcurrent,
            int parallel,
            long rowsPerSecond,
            MeterRegistry registry,
            LongSupplier nanoTime,
            Sleeper sleeper) {
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException(
                    "maxConcurrent must be positive, was " + maxConcurrent);
        }
        if (parallel < 1) {
            throw new IllegalArgumentException("parallel must be positive, was " + parallel);
        }
        if (rowsPerSecond < 1) {
            throw new IllegalArgumentException(
                    "rowsPerSecond must be positive, was " + rowsPerSecond);
        }
        this.maxConcurrent = maxConcurrent;
        this.parallel = parallel;
        this.rowsPerSecond = rowsPerSecond;
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.refused =
                Counter.builder("delivery.metrics.api.query.refused")
                        .description(
                                "Queries refused because their workspace already ran"
                                        + " query.max-concurrent-per-workspace queries.")
                        .tag("reason", "concurrency")
                        .register(registry);
        this.rowsRead =
                Counter.builder("delivery.metrics.api.query.rows.read")
                        .description("Tier rows read by workspace queries.")
                        .register(registry);
        this.paced =
                Counter.builder("delivery.metrics.api.query.paced")
                        .description(
                                "Time queries waited because their workspace read more than"
                                        + " query.rows-per-second-per-workspace.")
                        .baseUnit("seconds")
                        .register(registry);
    }

    /** Held while a query runs: it meters the query's rows, and closing it ends the query. */
    public interface Permit extends AutoCloseable, RowMeter {
        @Override
        void close();
    }

    /**
     * A permit for one query of {@code workspace}.
     *
     * @throws ApiProblem 429 with {@code Retry-After} when the workspace is at its budget
     */
    public Permit acquire(String workspace) {
        boolean[] admitted = new boolean[1];
        Semaphore[] turns = new Semaphore[1];
        long now = nanoTime.getAsLong();
        states.compute(
                workspace,
                (w, s) -> {
                    State state = s == null ? new State(rowsPerSecond, parallel, now) : s;
                    admitted[0] = state.running < maxConcurrent;
                    if (admitted[0]) {
                        state.running++;
                    }
                    turns[0] = state.turns;
                    return state;
                });
        if (!admitted[0]) {
            refused.increment();
            throw new ApiProblem(
                    429,
                    PROBLEM_TYPE,
                    "Too many concurrent queries",
                    "workspace "
                            + workspace
                            + " already runs "
                            + maxConcurrent
                            + " queries, the most it may run at once; retry when one has"
                            + " finished, or ask for less at a time",
                    Map.of("max_concurrent_queries", maxConcurrent),
                    Map.of("Retry-After", "1"));
        }
        WorkspacePermit permit = new WorkspacePermit(workspace, turns[0]);
        permit.takeTurn();
        return permit;
    }

    private final class WorkspacePermit implements Permit {
        private final String workspace;
        // The workspace's turns; the state that holds them stays in the map while this permit
        // runs. Only the query's own thread takes and hands on its turn.
        private final Semaphore turns;
        private boolean hasTurn;
        private final AtomicBoolean held = new AtomicBoolean(true);

        WorkspacePermit(String workspace, Semaphore turns) {
            this.workspace = workspace;
            this.turns = turns;
        }

        void takeTurn() {
            turns.acquireUninterruptibly();
            hasTurn = true;
        }

        void handOnTurn() {
            if (hasTurn) {
                hasTurn = false;
                turns.release();
            }
        }

        @Override
        public void read(long rows) {
            if (rows > 0) {
                rowsRead.increment(rows);
                draw(rows);
            }
        }

        @Override
        public void rendered(long points) {
            if (points > 0) {
                draw(points);
            }
        }

        /**
         * Takes {@code units} from the allowance, hands the turn on, waits while the allowance is
         * overdrawn, and takes the turn again.
         */
        private void draw(long units) {
            long[] debt = new long[1];
            long now = nanoTime.getAsLong();
            states.computeIfPresent(
                    workspace,
                    (w, s) -> {
                        s.refill(now, rowsPerSecond);
                        s.allowance -= units;
                        debt[0] = (long) Math.ceil(-s.allowance);
                        return s;
                    });
            handOnTurn();
            try {
                if (debt[0] > 0) {
                    long nanos = TimeUnit.SECONDS.toNanos(debt[0]) / rowsPerSecond;
                    paced.increment(nanos / 1e9);
                    sleeper.sleepNanos(nanos);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("query interrupted while paced", e);
            } finally {
                takeTurn();
            }
        }

        @Override
        public void close() {
            if (held.compareAndSet(true, false)) {
                handOnTurn();
                long now = nanoTime.getAsLong();
                states.computeIfPresent(
                        workspace,
                        (w, s) -> {
                            s.running--;
                            s.refill(now, rowsPerSecond);
                            return s.running == 0 && s.allowance >= rowsPerSecond ? null : s;
                        });
            }
        }
    }

    private static final class State {
        private int running;
        // Fair: the query that has waited longest gets the next turn.
        private final Semaphore turns;
        private double allowance;
        private long updatedAt;

        State(long allowance, int parallel, long now) {
            this.allowance = allowance;
            this.turns = new Semaphore(parallel, true);
            this.updatedAt = now;
        }

        void refill(long now, long perSecond) {
            if (now > updatedAt) {
                allowance = Math.min(perSecond, allowance + (now - updatedAt) * perSecond / 1e9);
                updatedAt = now;
            }
        }
    }

    /** Queries of {@code workspace} waiting for their turn (for tests). */
    int waitingForTurn(String workspace) {
        State state = states.get(workspace);
        return state == null ? 0 : state.turns.getQueueLength();
    }

    /** Workspaces with a running query or an allowance still refilling (for tests). */
    int tracked() {
        return states.size();
    }
}
