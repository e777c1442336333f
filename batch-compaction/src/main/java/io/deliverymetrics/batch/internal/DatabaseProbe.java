package io.deliverymetrics.batch.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * Asks a database whether it answers: {@code SELECT 1} (and optionally more) over a pooled
 * connection, given up after a timeout. The work runs on its own thread because a pool waits for a
 * connection to a dead server far longer (its connection timeout) than a health check may take.
 */
public final class DatabaseProbe implements AutoCloseable {

    /** Work done over the probed connection once {@code SELECT 1} has answered. */
    @FunctionalInterface
    public interface Work<T> {
        T apply(Connection c) throws SQLException;
    }

    /** The database did not answer in time, or failed. */
    public static final class UnavailableException extends Exception {
        UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Duration timeout;
    private final ExecutorService executor;

    public DatabaseProbe(Duration timeout) {
        this.timeout = timeout;
        AtomicInteger threads = new AtomicInteger();
        ThreadFactory factory =
                r -> {
                    Thread t = new Thread(r, "dm-probe-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                };
        // Cached: a probe stuck on a dead server is interrupted at the timeout, so the number of
        // threads stays around the number of databases probed at once.
        this.executor = Executors.newCachedThreadPool(factory);
    }

    public Duration timeout() {
        return timeout;
    }

    /** {@code SELECT 1} on {@code db}. */
    public void ping(DataSource db) throws UnavailableException {
        probe(db, c -> null);
    }

    /** {@code SELECT 1} on {@code db}, then {@code work} on the same connection, all in time. */
    public <T> T probe(DataSource db, Work<T> work) throws UnavailableException {
        Future<T> f =
                executor.submit(
                        () -> {
                            try (Connection c = db.getConnection()) {
                                selectOne(c);
                                return work.apply(c);
                            }
                        });
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new UnavailableException("no answer within " + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new UnavailableException(String.valueOf(cause), cause);
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted", e);
        }
    }

    private void selectOne(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.setQueryTimeout((int) Math.max(1, (timeout.toMillis() + 999) / 1000));
            try (ResultSet rs = st.executeQuery("SELECT 1")) {
                rs.next();
            }
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
