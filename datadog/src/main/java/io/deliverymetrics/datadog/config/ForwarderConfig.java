package io.deliverymetrics.datadog.config;

import io.deliverymetrics.core.config.ConfigException;
import io.deliverymetrics.core.config.ConfigLoader;
import io.deliverymetrics.core.config.Settings;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The forwarder's typed, validated configuration, built from {@link Settings} over the bundled
 * defaults in {@value #DEFAULTS_RESOURCE}; {@code DD_API_KEY} and {@code DD_SITE} fill the Datadog
 * key and site when the configuration leaves them empty.
 *
 * @param stateFile where the per-workspace progress survives restarts
 * @param dedupMaxPoints most last-sent values remembered per workspace
 * @param metrics the forwarder's own metrics endpoint
 * @param goals the {@code goals} command: SLOs and monitors from the workspaces' delivery goals
 * @param destinations whether the global destination status is forwarded too, and with which
 *     operator token
 */
public record ForwarderConfig(
        Api api,
        List<Workspace> workspaces,
        Poll poll,
        Path stateFile,
        Datadog datadog,
        int dedupMaxPoints,
        Metrics metrics,
        Goals goals,
        Destinations destinations) {

    /** Classpath resource with every key and its default. */
    public static final String DEFAULTS_RESOURCE = "/delivery-metrics-datadog.yaml";

    /** Environment variable with the Datadog API key, as Datadog's own tools read it. */
    public static final String DD_API_KEY = "DD_API_KEY";

    /**
     * Environment variable with the Datadog application key (needed to manage SLOs and monitors),
     * as Datadog's own tools read it.
     */
    public static final String DD_APP_KEY = "DD_APP_KEY";

    /** Environment variable with the Datadog site, as Datadog's own tools read it. */
    public static final String DD_SITE = "DD_SITE";

    public static final String DEFAULT_SITE = "datadoghq.com";

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final Pattern SITE = Pattern.compile("[a-z0-9]([a-z0-9.-]{0,250}[a-z0-9])?");
    // Datadog tag characters; the intake lowercases tags and replaces anything else with '_'.
    private static final Pattern TAG = Pattern.compile("[A-Za-z][A-Za-z0-9_.:/-]{0,199}");

    /** Datadog's documented limit of one (compressed or not) submission body. */
    public static final int DATADOG_MAX_PAYLOAD_BYTES = 512_000;

    public ForwarderConfig {
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(poll, "poll");
        Objects.requireNonNull(stateFile, "stateFile");
        Objects.requireNonNull(datadog, "datadog");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(goals, "goals");
        Objects.requireNonNull(destinations, "destinations");
        workspaces = List.copyOf(workspaces);
        check(
                !workspaces.isEmpty() || destinations.enabled(),
                "no workspaces configured: set workspaces.0.id and workspaces.0.token (or"
                        + " destinations.enabled with an operator token)");
        check(
                workspaces.stream().map(Workspace::id).distinct().count() == workspaces.size(),
                "each workspace may be configured only once");
        check(
                dedupMaxPoints >= 1_000,
                "dedup.max-points must be at least 1000, was " + dedupMaxPoints);
    }

    /** The REST API the forwarder polls. */
    public record Api(URI baseUrl, Duration timeout, int pageSize) {
        public Api {
            Objects.requireNonNull(baseUrl, "baseUrl");
            check(
                    "http".equals(baseUrl.getScheme()) || "https".equals(baseUrl.getScheme()),
                    "api.base-url must be an http(s) URL, was " + baseUrl);
            check(positive(timeout), "api.timeout must be positive, was " + timeout);
            check(
                    pageSize >= 1 && pageSize <= 10_000,
                    "api.page-size must be in 1..10000, was " + pageSize);
        }
    }

    /** A workspace to forward and the API token that reads it. */
    public record Workspace(String id, String token) {
        public Workspace {
            Objects.requireNonNull(id, "id");
            check(
                    ID.matcher(id).matches(),
                    "workspace id must match [A-Za-z0-9_.:-]{1,64}, was '" + id + "'");
            check(token != null && !token.isBlank(), "workspace " + id + " has no API token");
        }

        @Override
        public String toString() {
            return "Workspace[id=" + id + ", token=****]";
        }
    }

    /**
     * The global destination status ({@code GET /v1/destinations}), forwarded as {@code
     * event_delivery.destination.*} when enabled.
     *
     * @param token an operator token ({@code token create --operator}); null when disabled; never
     *     printed
     */
    public record Destinations(boolean enabled, String token) {
        public static final Destinations DISABLED = new Destinations(false, null);

        public Destinations {
            check(
                    !enabled || (token != null && !token.isBlank()),
                    "destinations.enabled is true but there is no operator token: set"
                            + " destinations.token, or destinations.token-env naming a set"
                            + " environment variable");
        }

        @Override
        public String toString() {
            return "Destinations[enabled=" + enabled + (enabled ? ", token=****]" : "]");
        }
    }

    /**
     * Polling cadence.
     *
     * @param overlap trailing minutes every poll re-reads, so late corrections are re-sent
     * @param maxCatchUp how far back a poll reaches after an outage
     */
    public record Poll(Duration interval, Duration overlap, Duration maxCatchUp) {
        public Poll {
            check(
                    interval.toMillis() >= 10,
                    "poll.interval must be at least 10ms, was " + interval);
            check(
                    wholeMinutes(overlap) && overlap.toMinutes() >= 1,
                    "poll.overlap must be a positive whole number of minutes, was " + overlap);
            check(
                    wholeMinutes(maxCatchUp) && maxCatchUp.compareTo(overlap) >= 0,
                    "poll.max-catch-up must be whole minutes and at least poll.overlap, was "
                            + maxCatchUp);
            // One request per poll: the API serves at most 1,440 minute buckets per series.
            check(
                    maxCatchUp.toMinutes() <= 1_440,
                    "poll.max-catch-up must be at most 1440m, was " + maxCatchUp);
        }
    }

    /** Body compression of submissions. */
    public enum ContentEncoding {
        GZIP,
        DEFLATE,
        NONE
    }

    /**
     * Where and how metrics are submitted.
     *
     * @param site the Datadog site, e.g. {@code datadoghq.eu}
     * @param baseUrl the intake base URL: the override, else {@code https://api.<site>}
     * @param apiKey never printed by {@link #toString()}; null only where {@link Purpose} needs
     *     none
     * @param applicationKey needed only to manage SLOs and monitors ({@code goals --apply}); null
     *     when not configured; never printed
     * @param tags extra tags on every series
     */
    public record Datadog(
            String site,
            URI baseUrl,
            String apiKey,
            String applicationKey,
            List<String> tags,
            ContentEncoding contentEncoding,
            Duration timeout,
            Batch batch,
            Retry retry) {
        public Datadog {
            Objects.requireNonNull(site, "site");
            check(
                    SITE.matcher(site).matches(),
                    "datadog.site must be a host name such as datadoghq.eu, was '" + site + "'");
            Objects.requireNonNull(baseUrl, "baseUrl");
            check(
                    "http".equals(baseUrl.getScheme()) || "https".equals(baseUrl.getScheme()),
                    "datadog.base-url must be an http(s) URL, was " + baseUrl);
            tags = List.copyOf(tags);
            for (String t : tags) {
                check(
                        TAG.matcher(t).matches(),
                        "datadog.tags entries must look like key:value and start with a letter,"
                                + " was '"
                                + t
                                + "'");
                String key = t.contains(":") ? t.substring(0, t.indexOf(':')) : t;
                check(
                        !List.of("workspace", "source", "destination", "destination_type", "status")
                                .contains(key),
                        "datadog.tags must not set the forwarder's own tag '" + key + "'");
            }
            Objects.requireNonNull(contentEncoding, "contentEncoding");
            check(positive(timeout), "datadog.timeout must be positive, was " + timeout);
            Objects.requireNonNull(batch, "batch");
            Objects.requireNonNull(retry, "retry");
        }

        @Override
        public String toString() {
            return "Datadog[site="
                    + site
                    + ", baseUrl="
                    + baseUrl
                    + ", apiKey=****, applicationKey="
                    + (applicationKey == null ? "none" : "****")
                    + ", tags="
                    + tags
                    + ", contentEncoding="
                    + contentEncoding
                    + ", timeout="
                    + timeout
                    + ", batch="
                    + batch
                    + ", retry="
                    + retry
                    + "]";
        }
    }

    /** Size limits of one submission. */
    public record Batch(int maxSeries, int maxBytes) {
        public Batch {
            check(
                    maxSeries >= 1 && maxSeries <= 10_000,
                    "datadog.batch.max-series must be in 1..10000, was " + maxSeries);
            check(
                    maxBytes >= 4_096 && maxBytes <= DATADOG_MAX_PAYLOAD_BYTES,
                    "datadog.batch.max-bytes must be in 4096.."
                            + DATADOG_MAX_PAYLOAD_BYTES
                            + ", was "
                            + maxBytes);
        }
    }

    /** Retries of one submission on 408, 429, 5xx and I/O errors. */
    public record Retry(
            int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter) {
        public Retry {
            check(
                    maxAttempts >= 1 && maxAttempts <= 100,
                    "datadog.retry.max-attempts must be in 1..100, was " + maxAttempts);
            check(
                    positive(initialBackoff),
                    "datadog.retry.initial-backoff must be positive, was " + initialBackoff);
            check(
                    maxBackoff.compareTo(initialBackoff) >= 0,
                    "datadog.retry.max-backoff must be at least the initial backoff, was "
                            + maxBackoff);
            check(
                    positive(maxRetryAfter),
                    "datadog.retry.max-retry-after must be positive, was " + maxRetryAfter);
        }
    }

    /**
     * The HTTP endpoint that serves the forwarder's own metrics at {@code /metrics} (Prometheus
     * text format). It has no authentication: keep it on loopback or a private network.
     *
     * @param enabled serve the endpoint
     * @param host address to bind, {@code 127.0.0.1} by default
     * @param port port to bind; 0 picks a free one
     */
    public record Metrics(boolean enabled, String host, int port) {
        public Metrics {
            check(host != null && !host.isBlank(), "metrics.host must not be empty");
            check(port >= 0 && port <= 65_535, "metrics.port must be in 0..65535, was " + port);
        }
    }

    /**
     * The {@code goals} command's settings.
     *
     * @param notification ({@code goals.notify}) appended to the message of every generated monitor, e.g. {@code
     *     @slack-delivery-oncall}; empty for none
     */
    public record Goals(String notification) {
        public Goals {
            Objects.requireNonNull(notification, "notification");
        }
    }

    /** What the configuration is loaded for: decides which Datadog keys are required. */
    public enum Purpose {
        /** The forwarder: needs the API key. */
        FORWARD,
        /** {@code goals} without {@code --apply}: prints definitions, needs no Datadog key. */
        GOALS_DRY_RUN,
        /** {@code goals --apply}: manages SLOs and monitors, needs the API and application key. */
        GOALS_APPLY
    }

    /** Defaults, then {@code --config FILE} or {@code DM_CONFIG}, then env, then arguments. */
    public static ForwarderConfig load(Map<String, String> environment, String... args) {
        return load(Purpose.FORWARD, environment, args);
    }

    /** {@link #load(Map, String...)} for {@code purpose}. */
    public static ForwarderConfig load(
            Purpose purpose, Map<String, String> environment, String... args) {
        Settings s =
                ConfigLoader.create()
                        .withDefaultsResource(ForwarderConfig.class, DEFAULTS_RESOURCE)
                        .withEnvironment(environment)
                        .withArgs(args)
                        .load();
        return from(s, environment, purpose);
    }

    /** The bundled defaults with {@code overrides} on top; for tests and embedding. */
    public static ForwarderConfig withOverrides(
            Map<String, String> overrides, Map<String, String> environment) {
        return withOverrides(Purpose.FORWARD, overrides, environment);
    }

    /** {@link #withOverrides(Map, Map)} for {@code purpose}. */
    public static ForwarderConfig withOverrides(
            Purpose purpose, Map<String, String> overrides, Map<String, String> environment) {
        Settings s =
                ConfigLoader.create()
                        .withDefaultsResource(ForwarderConfig.class, DEFAULTS_RESOURCE)
                        .withOverrides(overrides)
                        .load();
        return from(s, environment, purpose);
    }

    /** {@link #from(Settings, Map, Purpose)} for the forwarder. */
    public static ForwarderConfig from(Settings s, Map<String, String> environment) {
        return from(s, environment, Purpose.FORWARD);
    }

    /**
     * Builds and validates the configuration; every problem is a {@link ConfigException}.
     *
     * @param environment read for {@code DD_API_KEY}, {@code DD_APP_KEY}, {@code DD_SITE} and
     *     {@code token-env}
     * @param purpose decides which Datadog keys must be set
     */
    public static ForwarderConfig from(
            Settings s, Map<String, String> environment, Purpose purpose) {
        try {
            String site =
                    s.optional("datadog.site")
                            .or(() -> nonBlank(environment.get(DD_SITE)))
                            .orElse(DEFAULT_SITE)
                            .toLowerCase(Locale.ROOT);
            URI intake =
                    s.optional("datadog.base-url")
                            .map(v -> uri("datadog.base-url", v))
                            .orElseGet(() -> uri("datadog.site", "https://api." + site));
            String apiKey =
                    s.optional("datadog.api-key")
                            .or(() -> nonBlank(environment.get(DD_API_KEY)))
                            .orElse(null);
            String applicationKey =
                    s.optional("datadog.application-key")
                            .or(() -> nonBlank(environment.get(DD_APP_KEY)))
                            .orElse(null);
            check(
                    purpose == Purpose.GOALS_DRY_RUN || apiKey != null,
                    "no Datadog API key: set datadog.api-key or the DD_API_KEY environment"
                            + " variable");
            check(
                    purpose != Purpose.GOALS_APPLY || applicationKey != null,
                    "no Datadog application key (needed to manage SLOs and monitors): set"
                            + " datadog.application-key or the DD_APP_KEY environment variable");
            return new ForwarderConfig(
                    new Api(
                            uri("api.base-url", s.string("api.base-url")),
                            s.duration("api.timeout"),
                            s.integer("api.page-size")),
                    workspaces(s, environment),
                    new Poll(
                            s.duration("poll.interval"),
                            s.duration("poll.overlap"),
                            s.duration("poll.max-catch-up")),
                    Path.of(s.string("state.file")),
                    new Datadog(
                            site,
                            intake,
                            apiKey,
                            applicationKey,
                            s.list("datadog.tags"),
                            encoding(s.string("datadog.content-encoding")),
                            s.duration("datadog.timeout"),
                            new Batch(
                                    s.integer("datadog.batch.max-series"),
                                    s.integer("datadog.batch.max-bytes")),
                            new Retry(
                                    s.integer("datadog.retry.max-attempts"),
                                    s.duration("datadog.retry.initial-backoff"),
                                    s.duration("datadog.retry.max-backoff"),
                                    s.duration("datadog.retry.max-retry-after"))),
                    s.integer("dedup.max-points"),
                    new Metrics(
                            s.bool("metrics.enabled", true),
                            s.string("metrics.host"),
                            s.integer("metrics.port")),
                    new Goals(s.optional("goals.notify").orElse("")),
                    destinations(s, environment));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage(), e);
        }
    }

    private static List<Workspace> workspaces(Settings s, Map<String, String> environment) {
        List<Workspace> out = new ArrayList<>();
        for (int i : s.indices("workspaces")) {
            String prefix = "workspaces." + i + ".";
            String id =
                    s.optional(prefix + "id")
                            .orElseThrow(() -> new ConfigException("missing " + prefix + "id"));
            String value =
                    token(s, environment, prefix)
                            .orElseThrow(
                                    () ->
                                            new ConfigException(
                                                    "workspace "
                                                            + id
                                                            + " has no API token: set "
                                                            + prefix
                                                            + "token, or "
                                                            + prefix
                                                            + "token-env naming a set"
                                                            + " environment variable"));
            out.add(new Workspace(id, value));
        }
        return out;
    }

    private static Destinations destinations(Settings s, Map<String, String> environment) {
        if (!s.bool("destinations.enabled", false)) {
            return Destinations.DISABLED;
        }
        return new Destinations(true, token(s, environment, "destinations.").orElse(null));
    }

    /** {@code <prefix>token}, else the variable {@code <prefix>token-env} names; not both. */
    private static Optional<String> token(
            Settings s, Map<String, String> environment, String prefix) {
        Optional<String> token = s.optional(prefix + "token");
        Optional<String> tokenEnv = s.optional(prefix + "token-env");
        if (token.isPresent() && tokenEnv.isPresent()) {
            throw new ConfigException(
                    "set either " + prefix + "token or " + prefix + "token-env, not both");
        }
        return token.or(() -> tokenEnv.flatMap(name -> nonBlank(environment.get(name))));
    }

    private static ContentEncoding encoding(String v) {
        try {
            return ContentEncoding.valueOf(v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(
                    "datadog.content-encoding must be gzip, deflate or none, was '" + v + "'");
        }
    }

    private static URI uri(String key, String v) {
        try {
            URI u = new URI(v.endsWith("/") ? v.substring(0, v.length() - 1) : v);
            if (u.getHost() == null) {
                throw new ConfigException(key + " must be an absolute URL, was '" + v + "'");
            }
            return u;
        } catch (URISyntaxException e) {
            throw new ConfigException(key + " must be a URL, was '" + v + "'", e);
        }
    }

    private static Optional<String> nonBlank(String v) {
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }

    private static boolean wholeMinutes(Duration d) {
        return d != null
                && !d.isNegative()
                && d.toSeconds() % 60 == 0
                && d.toNanos() % 1_000_000_000L == 0;
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new ConfigException(message);
        }
    }
}
