package io.deliverymetrics.bench.diagnostics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The kernel's DAMON daemons (Data Access MONitor, {@code kdamond}), as {@code
 * /sys/kernel/mm/damon/admin} shows them, and a way to pause them for a measurement.
 *
 * <p>Some virtual machines run DAMON to find cold memory to reclaim. Each sampling interval it
 * checks and clears the accessed bits of pages across physical memory, and a process that churns a
 * large heap is stalled while that happens. On the 2-core machine this suite was written on, the
 * sampling interval was 500 ms. A JVM with a 4 GiB heap allocating 350 MB/s stopped for 10–40 ms
 * about every half second while DAMON ran, and never with it off. That is the tail of a fixed-rate
 * API load. The report's machine table says what DAMON does on the machine; only with {@code
 * --diagnostics damon} does the API benchmark measure its fixed-rate loads again with DAMON paused.
 *
 * <p>Paused means each running kdamond's {@code state} is set to {@code off}. {@link Pause#close()}
 * sets it back to {@code on}, and so does a shutdown hook if the JVM exits first.
 */
public final class KernelMemoryMonitor {

    /** Where the kernel exposes DAMON's admin interface. */
    public static final Path SYSFS = Path.of("/sys/kernel/mm/damon/admin/kdamonds");

    private final Path kdamonds;

    /** The monitor under {@code kdamonds}, a directory laid out like {@link #SYSFS}. */
    public KernelMemoryMonitor(Path kdamonds) {
        this.kdamonds = kdamonds;
    }

    /** This machine's DAMON. */
    public static KernelMemoryMonitor system() {
        return new KernelMemoryMonitor(SYSFS);
    }

    /** The {@code state} files of the kdamonds that are running now, in index order. */
    List<Path> running() {
        if (!Files.isDirectory(kdamonds)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(kdamonds)) {
            return dirs.filter(d -> d.getFileName().toString().matches("[0-9]+"))
                    .sorted()
                    .map(d -> d.resolve("state"))
                    .filter(s -> read(s).filter("on"::equals).isPresent())
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Whether any kdamond is running. */
    public boolean active() {
        return !running().isEmpty();
    }

    /** Whether every running kdamond's state can be written, so {@link #pause()} can work. */
    public boolean canPause() {
        List<Path> states = running();
        return !states.isEmpty() && states.stream().allMatch(Files::isWritable);
    }

    /**
     * One line for the report, e.g. {@code DAMON on: kdamond 0 samples every 500 ms, action
     * pageout}, or {@code DAMON: none running}.
     */
    public String describe() {
        List<Path> states = running();
        if (states.isEmpty()) {
            return "DAMON: none running";
        }
        List<String> parts = new ArrayList<>();
        for (Path state : states) {
            Path kdamond = state.getParent();
            Path context = kdamond.resolve("contexts").resolve("0");
            String sampling =
                    read(context.resolve("monitoring_attrs/intervals/sample_us"))
                            .filter(us -> us.matches("[0-9]{1,18}"))
                            .map(us -> "samples every " + Long.parseLong(us) / 1000 + " ms")
                            .orElse("sampling interval unknown");
            String action =
                    read(context.resolve("schemes/0/action")).map(a -> ", action " + a).orElse("");
            parts.add("kdamond " + kdamond.getFileName() + " " + sampling + action);
        }
        return "DAMON on: " + String.join("; ", parts);
    }

    /**
     * Stops every running kdamond until the returned pause is closed.
     *
     * @throws IllegalStateException if none is running or one cannot be stopped
     */
    public Pause pause() {
        List<Path> states = running();
        if (states.isEmpty()) {
            throw new IllegalStateException("no kdamond is running under " + kdamonds);
        }
        Pause pause = new Pause(states);
        try {
            for (Path s : states) {
                Files.writeString(s, "off");
            }
        } catch (IOException e) {
            pause.close();
            throw new IllegalStateException("cannot pause DAMON under " + kdamonds, e);
        }
        return pause;
    }

    /** DAMON paused; {@link #close()} resumes every kdamond that was running. */
    public static final class Pause implements AutoCloseable {
        private final List<Path> states;
        private final Thread hook;
        private boolean closed;

        private Pause(List<Path> states) {
            this.states = List.copyOf(states);
            this.hook = new Thread(this::resume, "damon-resume");
            Runtime.getRuntime().addShutdownHook(hook);
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook runs resume() itself.
            }
            resume();
        }

        private void resume() {
            UncheckedIOException failure = null;
            for (Path s : states) {
                try {
                    Files.writeString(s, "on");
                } catch (IOException e) {
                    failure = new UncheckedIOException("cannot resume DAMON at " + s, e);
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file).trim());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
