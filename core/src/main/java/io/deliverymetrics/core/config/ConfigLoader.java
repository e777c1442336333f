package io.deliverymetrics.core.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * The one configuration loader of every deployable: defaults, then a YAML or properties file, then
 * environment variables, then command-line overrides.
 *
 * <p>Files: {@code .yaml}/{@code .yml} are flattened (nested maps join with dots, list items get
 * their index), anything else is read as Java properties. Environment: each known key {@code a.b-c}
 * can be overridden by {@code DM_A_B_C}. Command line: {@code --config PATH} (or env {@code
 * DM_CONFIG}) names the file; {@code --key=value} or {@code --key value} overrides any key,
 * including ones the file does not have.
 */
public final class ConfigLoader {

    /** Environment variable naming the configuration file when {@code --config} is absent. */
    public static final String CONFIG_ENV = "DM_CONFIG";

    private static final String ENV_PREFIX = "DM_";

    private final Map<String, String> defaults = new LinkedHashMap<>();
    private Path file;
    private Map<String, String> env = Map.of();
    private final Map<String, String> overrides = new LinkedHashMap<>();

    private ConfigLoader() {}

    public static ConfigLoader create() {
        return new ConfigLoader();
    }

    public ConfigLoader withDefaults(Map<String, String> values) {
        defaults.putAll(values);
        return this;
    }

    /**
     * Reads defaults from a classpath resource (YAML or properties), e.g. a module's bundled file.
     */
    public ConfigLoader withDefaultsResource(Class<?> anchor, String resource) {
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            if (in == null) {
                throw new ConfigException("configuration resource " + resource + " not found");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            defaults.putAll(parse(resource, text));
            return this;
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration resource " + resource, e);
        }
    }

    public ConfigLoader withFile(Path path) {
        this.file = path;
        return this;
    }

    public ConfigLoader withEnvironment(Map<String, String> environment) {
        this.env = Map.copyOf(environment);
        return this;
    }

    public ConfigLoader withOverrides(Map<String, String> values) {
        overrides.putAll(values);
        return this;
    }

    /**
     * Applies command-line arguments: {@code --config PATH}, {@code --key=value}, {@code --key
     * value}. A bare {@code --flag} followed by another option or nothing means {@code true}.
     */
    public ConfigLoader withArgs(String... args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || a.length() == 2) {
                throw new ConfigException(
                        "unexpected argument '" + a + "': use --key=value or --config PATH");
            }
            String body = a.substring(2);
            String key;
            String value;
            int eq = body.indexOf('=');
            if (eq >= 0) {
                key = body.substring(0, eq);
                value = body.substring(eq + 1);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                key = body;
                value = args[++i];
            } else {
                key = body;
                value = "true";
            }
            if (key.equals("config")) {
                file = Path.of(value);
            } else {
                overrides.put(key, value);
            }
        }
        return this;
    }

    /** Merges all layers. */
    public Settings load() {
        Map<String, String> merged = new HashMap<>(defaults);
        Path f = file;
        if (f == null && env.containsKey(CONFIG_ENV)) {
            f = Path.of(env.get(CONFIG_ENV));
        }
        if (f != null) {
            merged.putAll(readFile(f));
        }
        for (String key : List.copyOf(merged.keySet())) {
            String fromEnv = env.get(envName(key));
            if (fromEnv != null) {
                merged.put(key, fromEnv);
            }
        }
        merged.putAll(overrides);
        return new Settings(merged);
    }

    /**
     * The environment variable that overrides {@code key}: {@code kafka.group-id} → {@code
     * DM_KAFKA_GROUP_ID}.
     */
    public static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    private static Map<String, String> readFile(Path f) {
        if (!Files.isRegularFile(f)) {
            throw new ConfigException("configuration file " + f + " does not exist");
        }
        try {
            return parse(f.getFileName().toString(), Files.readString(f, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration file " + f, e);
        }
    }

    static Map<String, String> parse(String name, String text) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".yaml") || lower.endsWith(".yml")) {
            return parseYaml(name, text);
        }
        Properties p = new Properties();
        try (Reader r = new java.io.StringReader(text)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("cannot parse properties " + name + ": " + e.getMessage(), e);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : p.stringPropertyNames()) {
            out.put(k, p.getProperty(k));
        }
        return out;
    }

    private static Map<String, String> parseYaml(String name, String text) {
        Object doc;
        try {
            doc =
                    new Load(LoadSettings.builder().setAllowDuplicateKeys(false).build())
                            .loadFromString(text);
        } catch (YamlEngineException e) {
            throw new ConfigException("cannot parse YAML " + name + ": " + e.getMessage(), e);
        }
        Map<String, String> out = new LinkedHashMap<>();
        if (doc == null) {
            return out;
        }
        if (!(doc instanceof Map<?, ?>)) {
            throw new ConfigException("YAML " + name + " must be a mapping at the top level");
        }
        flatten("", doc, out);
        return out;
    }

    private static void flatten(String prefix, Object node, Map<String, String> out) {
        if (node instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String k =
                        prefix.isEmpty() ? String.valueOf(e.getKey()) : prefix + "." + e.getKey();
                flatten(k, e.getValue(), out);
            }
        } else if (node instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                flatten(prefix + "." + i, l.get(i), out);
            }
        } else if (node != null) {
            out.put(prefix, String.valueOf(node));
        }
    }
}
