package io.deliverymetrics.bench.report;

import io.deliverymetrics.bench.config.BenchConfig;
import io.deliverymetrics.bench.config.Benchmark;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The {@code bench/run.sh} command line of a suite run, which the report states above its figures
 * and, for each section, with the {@code --only} that produces that section alone.
 *
 * @param arguments the arguments as given to {@code BenchMain} (and so to {@code run.sh})
 */
public record RunCommand(List<String> arguments) {

    private static final String SCRIPT = "bench/run.sh";
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=,@%+-]+");

    public RunCommand {
        arguments = List.copyOf(arguments);
    }

    /**
     * The arguments that give {@code config} when the suite is run from code rather than from the
     * command line: its mode and report (the only settings such callers change).
     */
    public static RunCommand of(BenchConfig config) {
        return new RunCommand(
                List.of("--mode", config.mode(), "--report", config.report().toString()));
    }

    /** The whole command, shell-quoted where needed, e.g. {@code bench/run.sh --mode smoke}. */
    public String line() {
        return render(arguments);
    }

    /**
     * The command that runs only {@code benchmark} with this run's other settings. Its report goes
     * to {@code /tmp/NAME.md}, so that it replaces neither this run's report nor {@code
     * bench/REPORT.md}.
     */
    public String only(Benchmark benchmark) {
        List<String> args = new ArrayList<>();
        for (int i = 0; i < arguments.size(); i++) {
            String a = arguments.get(i);
            if (a.equals("--only") || a.equals("--report")) {
                i++;
                continue;
            }
            if (a.startsWith("--only=") || a.startsWith("--report=")) {
                continue;
            }
            args.add(a);
        }
        args.add("--only");
        args.add(benchmark.cliName());
        args.add("--report");
        args.add("/tmp/" + benchmark.cliName() + ".md");
        return render(args);
    }

    private static String render(List<String> args) {
        if (args.isEmpty()) {
            return SCRIPT;
        }
        return SCRIPT + " " + args.stream().map(RunCommand::quote).collect(Collectors.joining(" "));
    }

    private static String quote(String arg) {
        if (PLAIN.matcher(arg).matches()) {
            return arg;
        }
        return "'" + arg.replace("'", "'\\''") + "'";
    }
}
