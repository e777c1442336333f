package io.deliverymetrics.infra.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Creates and removes the private temporary directories of the embedded servers. */
public final class Directories {

    private Directories() {}

    /** Creates a fresh directory under {@code java.io.tmpdir} whose name starts with prefix. */
    public static Path createTemp(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a temporary directory " + prefix, e);
        }
    }

    /** Deletes a directory and everything below it; a missing directory is not an error. */
    public static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        List<Path> deepestFirst;
        try (Stream<Path> walk = Files.walk(directory)) {
            deepestFirst =
                    walk.sorted(Comparator.comparingInt(Path::getNameCount).reversed())
                            .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not list " + directory, e);
        }
        for (Path path : deepestFirst) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not delete " + path, e);
            }
        }
    }
}
