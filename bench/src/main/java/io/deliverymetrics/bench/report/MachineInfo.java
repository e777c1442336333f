package io.deliverymetrics.bench.report;

import io.deliverymetrics.bench.diagnostics.KernelMemoryMonitor;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What the machine that ran the suite was: cores, memory, Java, OS, the kernel's memory monitor
 * (DAMON, which stalls processes with large heaps; see {@link KernelMemoryMonitor}), the heap
 * options of the benchmark's own JVM (which hosts the Flink MiniCluster), and the load average,
 * which tells how much else was running.
 */
public record MachineInfo(
        int cores,
        String memory,
        String java,
        String os,
        String cpuModel,
        String memoryMonitor,
        String benchHeap) {

    public static MachineInfo current() {
        return new MachineInfo(
                Runtime.getRuntime().availableProcessors(),
                memTotal().orElse("unknown"),
                System.getProperty("java.vm.name")
                        + " "
                        + System.getProperty("java.runtime.version")
                        + " ("
                        + System.getProperty("java.vendor")
                        + ")",
                System.getProperty("os.name")
                        + " "
                        + System.getProperty("os.version")
                        + " "
                        + System.getProperty("os.arch"),
                readCpuModel().orElse("unknown"),
                KernelMemoryMonitor.system().describe(),
                benchHeap(ManagementFactory.getRuntimeMXBean().getInputArguments()));
    }

    /**
     * The heap options among {@code jvmArguments} ({@code -Xms}, {@code -Xmx}, {@code -Xmn},
     * pre-touch, huge pages), in their order.
     */
    static List<String> heapOptions(List<String> jvmArguments) {
        return jvmArguments.stream()
                .filter(
                        a ->
                                a.startsWith("-Xms")
                                        || a.startsWith("-Xmx")
                                        || a.startsWith("-Xmn")
                                        || a.contains("AlwaysPreTouch")
                                        || a.contains("HugePages"))
                .toList();
    }

    /** {@link #heapOptions}, and the maximum heap the JVM settled on. */
    static String benchHeap(List<String> jvmArguments) {
        List<String> heap = heapOptions(jvmArguments);
        String max =
                String.format(
                        "max %.1f GiB", Runtime.getRuntime().maxMemory() / 1024.0 / 1024 / 1024);
        return heap.isEmpty() ? "JVM defaults, " + max : String.join(" ", heap) + ", " + max;
    }

    /** The 1, 5 and 15 minute load averages, or "unknown" where /proc is missing. */
    public static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " / " + f[1] + " / " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static Optional<String> memTotal() {
        return procLine("/proc/meminfo", "MemTotal:")
                .map(
                        l -> {
                            long kb = Long.parseLong(l.replaceAll("[^0-9]", ""));
                            return String.format("%.1f GiB", kb / 1024.0 / 1024.0);
                        });
    }

    private static Optional<String> readCpuModel() {
        return procLine("/proc/cpuinfo", "model name")
                .map(l -> l.substring(l.indexOf(':') + 1).trim());
    }

    private static Optional<String> procLine(String file, String prefix) {
        try {
            return Files.readAllLines(Path.of(file)).stream()
                    .filter(l -> l.startsWith(prefix))
                    .findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
