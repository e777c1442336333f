package io.deliverymetrics.bench.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU time the whole machine spent busy (user, nice, system, irq, softirq from {@code /proc/stat};
 * idle, I/O wait and steal excluded), in seconds. Over a run it adds up what the benchmark's JVM,
 * the broker and the database used: a figure that, unlike records per second, does not move when
 * the hypervisor takes time away from this machine.
 */
public final class MachineCpu {

    /** USER_HZ: the unit of /proc/stat, 100 on every Linux build the JDK runs on. */
    private static final double TICKS_PER_SECOND = 100.0;

    private static final Path STAT = Path.of("/proc/stat");

    private MachineCpu() {}

    /** Whether this machine has {@code /proc/stat}; without it {@link #busySeconds} is NaN. */
    public static boolean available() {
        return Files.isReadable(STAT);
    }

    /** Busy CPU seconds since boot, summed over all cores; NaN where /proc/stat is missing. */
    public static double busySeconds() {
        if (!available()) {
            return Double.NaN;
        }
        try {
            List<String> lines = Files.readAllLines(STAT);
            // cpu  user nice system idle iowait irq softirq steal guest guest_nice
            String[] f = lines.get(0).trim().split("\\s+");
            if (!f[0].equals("cpu") || f.length < 8) {
                return Double.NaN;
            }
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7}) {
                busy += Long.parseLong(f[i]);
            }
            return busy / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
