package io.deliverymetrics.infra.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Reads the Kafka broker's runtime classpath that the kafka-broker-runtime module recorded. */
public final class KafkaBrokerClasspath {

    /**
     * Written by maven-dependency-plugin build-classpath in delivery-metrics-kafka-broker-runtime.
     */
    public static final String RESOURCE = "/io/deliverymetrics/infra/kafka-broker.classpath";

    private KafkaBrokerClasspath() {}

    /**
     * Returns the classpath string, after checking that every entry exists.
     *
     * @throws IllegalStateException if the resource is missing or names jars that are gone
     */
    public static String load() {
        String classpath = readResource();
        List<String> missing =
                Arrays.stream(classpath.split(File.pathSeparator))
                        .filter(entry -> !Files.exists(Path.of(entry)))
                        .collect(Collectors.toList());
        if (!missing.isEmpty()) {
            throw new IllegalStateException(
                    "The Kafka broker classpath in "
                            + RESOURCE
                            + " names files that do not exist (it holds absolute paths into the"
                            + " local Maven repository used at build time; rebuild"
                            + " delivery-metrics-kafka-broker-runtime on this machine): "
                            + missing);
        }
        return classpath;
    }

    private static String readResource() {
        try (InputStream in = KafkaBrokerClasspath.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        "Resource "
                                + RESOURCE
                                + " not found: delivery-metrics-kafka-broker-runtime must be on"
                                + " the classpath (with all its transitive dependencies excluded)");
            }
            String classpath = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            if (classpath.isEmpty()) {
                throw new IllegalStateException("Resource " + RESOURCE + " is empty");
            }
            return classpath;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + RESOURCE, e);
        }
    }
}
