package io.deliverymetrics.flink.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The files the deployment tests read: the manifests of {@code deploy/kubernetes/}, the operator's
 * CRD and option list copied into this module's test resources, and the project's own sources.
 */
final class DeployFiles {

    /** Test resource: the FlinkDeployment CRD (see its header for where it comes from). */
    static final String CRD_RESOURCE = "/kubernetes/flinkdeployments.flink.apache.org-v1.yml";

    /** Test resource: the operator's per-resource option keys (see its header). */
    static final String OPERATOR_OPTIONS_RESOURCE =
            "/kubernetes/flink-kubernetes-operator-1.15.0-resource-options.txt";

    /** One object of a manifest file. */
    record Manifest(Path file, String kind, String name, Map<String, Object> doc) {}

    private DeployFiles() {}

    /** The repository root: the parent of this module (Surefire sets basedir). */
    static Path root() {
        return Path.of(System.getProperty("basedir", "."))
                .toAbsolutePath()
                .resolve("..")
                .normalize();
    }

    static Path kubernetesDir() {
        return root().resolve("deploy/kubernetes");
    }

    /** Every object of every {@code *.yaml} file in {@code deploy/kubernetes/}, in file order. */
    static List<Manifest> manifests() {
        List<Manifest> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(kubernetesDir())) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                for (Object doc : loadAll(Files.readString(f, StandardCharsets.UTF_8))) {
                    if (doc == null) {
                        continue;
                    }
                    Map<String, Object> m = map(doc, f.getFileName() + ": a document");
                    Map<String, Object> meta = map(m.get("metadata"), f + ": metadata");
                    out.add(
                            new Manifest(
                                    f,
                                    String.valueOf(m.get("kind")),
                                    String.valueOf(meta.get("name")),
                                    m));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** All documents of a YAML stream (duplicate keys are an error, as for kubectl). */
    static List<Object> loadAll(String text) {
        List<Object> docs = new ArrayList<>();
        new Load(LoadSettings.builder().setAllowDuplicateKeys(false).build())
                .loadAllFromString(text)
                .forEach(docs::add);
        return docs;
    }

    /** The operator's FlinkDeployment CRD. */
    static Map<String, Object> crd() {
        return map(loadAll(resource(CRD_RESOURCE)).get(0), "the CRD");
    }

    /** The per-resource option keys of the operator and its autoscaler. */
    static Set<String> operatorOptionKeys() {
        Set<String> keys = new LinkedHashSet<>();
        for (String line : resource(OPERATOR_OPTIONS_RESOURCE).split("\n")) {
            String l = line.strip();
            if (!l.isEmpty() && !l.startsWith("#")) {
                keys.add(l);
            }
        }
        return keys;
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = DeployFiles.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + name + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A deep copy of parsed YAML (maps keep their order), for tests that change a manifest. */
    @SuppressWarnings("unchecked")
    static <T> T deepCopy(T value) {
        if (value instanceof Map<?, ?> m) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            m.forEach((k, v) -> copy.put(k, deepCopy(v)));
            return (T) copy;
        }
        if (value instanceof List<?> l) {
            List<Object> copy = new ArrayList<>();
            l.forEach(v -> copy.add(deepCopy(v)));
            return (T) copy;
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value, String what) {
        if (!(value instanceof Map<?, ?>)) {
            throw new AssertionError(what + " must be a mapping, was " + value);
        }
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value, String what) {
        if (!(value instanceof List<?>)) {
            throw new AssertionError(what + " must be a list, was " + value);
        }
        return (List<Object>) value;
    }

    /** The value at a path of map keys, or null when any step is missing. */
    static Object at(Object node, String... path) {
        Object n = node;
        for (String key : path) {
            if (!(n instanceof Map<?, ?> m)) {
                return null;
            }
            n = m.get(key);
        }
        return n;
    }
}
