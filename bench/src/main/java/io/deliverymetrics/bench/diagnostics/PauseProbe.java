package io.deliverymetrics.bench.diagnostics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * Measures how often this JVM is stopped by something other than its own work: a thread sleeps 1 ms
 * over and over and records by how much each sleep overran, while another thread allocates at a
 * fixed rate (as a server's request handling does), keeping a little of it alive. Run on an idle
 * machine, the overruns are the machine's (the hypervisor, the kernel's DAMON memory monitor) and
 * this JVM's own garbage collection pauses, which {@code -Xlog:gc} lists to tell them apart.
 *
 * <pre>
 * java -Xms512m -Xmx512m -cp CP io.deliverymetrics.bench.diagnostics.PauseProbe measure 20 350
 * java -Xms6g -Xmx6g -XX:+AlwaysPreTouch -cp CP io.deliverymetrics.bench.diagnostics.PauseProbe hold
 * </pre>
 *
 * {@code measure SECONDS MB_PER_S} prints one line of pause counts. {@code hold} only keeps its
 * heap (pre-touched by the JVM's options) until it is killed: cold memory elsewhere on the machine,
 * to see whether it changes the measuring JVM's pauses. {@code bench/README.md} has what this
 * found.
 */
public final class PauseProbe {

    private static final long SLEEP_NANOS = 1_000_000;
    private static final int CHUNK = 4096;

    private static volatile Object sink;

    private PauseProbe() {}

    /**
     * What one measurement saw.
     *
     * @param sleeps sleeps measured
     * @param maxOverrunMillis the longest overrun
     * @param over5 overruns longer than 5 ms
     * @param over20 overruns longer than 20 ms
     */
    public record Pauses(long sleeps, double maxOverrunMillis, long over5, long over20) {

        /** Counts {@code overrunsNanos}: how much each sleep took beyond what it asked for. */
        public static Pauses of(long[] overrunsNanos) {
            long max = 0;
            long over5 = 0;
            long over20 = 0;
            for (long o : overrunsNanos) {
                max = Math.max(max, o);
                if (o > 5_000_000) {
                    over5++;
                }
                if (o > 20_000_000) {
                    over20++;
                }
            }
            return new Pauses(overrunsNanos.length, max / 1e6, over5, over20);
        }

        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "%d sleeps of 1 ms: longest overrun %.1f ms, %d over 5 ms, %d over 20 ms",
                    sleeps,
                    maxOverrunMillis,
                    over5,
                    over20);
        }
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length == 1 && args[0].equals("hold")) {
            Thread.sleep(Long.MAX_VALUE);
            return;
        }
        if (args.length != 3 || !args[0].equals("measure")) {
            System.err.println("usage: PauseProbe measure SECONDS MB_PER_S | PauseProbe hold");
            System.exit(2);
        }
        long seconds = Long.parseLong(args[1]);
        double bytesPerNano = Double.parseDouble(args[2]) * 1e6 / 1e9;
        Thread allocator = new Thread(() -> allocate(bytesPerNano), "allocator");
        allocator.setDaemon(true);
        allocator.start();
        System.out.println(measure(seconds * 1_000_000_000L));
    }

    private static Pauses measure(long nanos) throws InterruptedException {
        long[] overruns = new long[1024];
        int n = 0;
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            long start = System.nanoTime();
            Thread.sleep(1);
            long overrun = System.nanoTime() - start - SLEEP_NANOS;
            if (n == overruns.length) {
                overruns = Arrays.copyOf(overruns, n * 2);
            }
            overruns[n++] = Math.max(0, overrun);
        }
        return Pauses.of(Arrays.copyOf(overruns, n));
    }

    /** Allocates 4 KiB arrays at {@code bytesPerNano}; keeps up to ~128 MiB of them alive. */
    private static void allocate(double bytesPerNano) {
        List<byte[]> kept = new ArrayList<>();
        long t0 = System.nanoTime();
        long bytes = 0;
        while (true) {
            byte[] b = new byte[CHUNK];
            sink = b;
            bytes += CHUNK;
            if (bytes % (1 << 22) == 0) {
                kept.add(new byte[1 << 16]);
                if (kept.size() > 2000) {
                    kept.subList(0, 1000).clear();
                }
            }
            while (bytes > (System.nanoTime() - t0) * bytesPerNano) {
                LockSupport.parkNanos(100_000);
            }
        }
    }
}
