package io.deliverymetrics.infra.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads a server's log file for error messages. */
public final class LogFiles {

    private LogFiles() {}

    /** Returns the last {@code lines} lines of a log file, or a note saying why it cannot. */
    public static String tail(Path logFile, int lines) {
        List<String> all;
        try {
            // Malformed bytes are replaced rather than failing: this only feeds an error message.
            all =
                    List.of(
                            new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8)
                                    .split("\\R"));
        } catch (IOException e) {
            return "(log " + logFile + " unreadable: " + e + ")";
        }
        return String.join(
                System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** The size of a log file in bytes; 0 if it cannot be read. */
    public static long size(Path logFile) {
        try {
            return Files.size(logFile);
        } catch (IOException e) {
            return 0;
        }
    }

    /** What a log file holds from byte {@code offset} on; empty if it cannot be read. */
    public static String readFrom(Path logFile, long offset) {
        try {
            byte[] all = Files.readAllBytes(logFile);
            int from = (int) Math.min(Math.max(0, offset), all.length);
            return new String(all, from, all.length - from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
