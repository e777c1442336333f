package io.deliverymetrics.bench.micro;

import io.deliverymetrics.bench.config.BenchConfig;
import io.deliverymetrics.bench.config.MicroSettings;
import io.deliverymetrics.bench.model.Figure;
import io.deliverymetrics.bench.model.Ratio;
import io.deliverymetrics.bench.model.Section;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Benchmark 4: the per-record and per-bucket costs of the speed layer, measured by JMH's {@link
 * Runner} from the suite: parse, the pre-aggregation's add, both, the sketch merge and the bucket
 * codec ({@link ParseBenchmark}, {@link AggregateBenchmark}, {@link SketchMergeBenchmark}, {@link
 * BucketCodecBenchmark}). Each measured run of the suite is one JMH fork, so a figure's samples are
 * the forks' scores. The same benchmarks run on their own through {@code org.openjdk.jmh.Main}.
 */
public final class MicroBench {

    private static final Logger LOG = LoggerFactory.getLogger(MicroBench.class);

    /** A JMH benchmark method and the report figure it gives. */
    private record Entry(String method, String figure, String unit) {}

    private static final String PACKAGE = MicroBench.class.getPackageName() + ".";

    /** In report order; the first three are the figures the section always had. */
    private static final List<Entry> ENTRIES =
            List.of(
                    new Entry("ParseBenchmark.parse", "AttemptParser.parse", "records/s"),
                    new Entry(
                            "AggregateBenchmark.add",
                            "MetricBucket.add into its (pair, minute) bucket",
                            "records/s"),
                    new Entry("AggregateBenchmark.parseAndAdd", "parse + add", "records/s"),
                    new Entry(
                            "SketchMergeBenchmark.mergeAnHour",
                            "MetricBucket.merge of minute buckets with latency sketches",
                            "merges/s"),
                    new Entry(
                            "BucketCodecBenchmark.encode",
                            "BucketCodec.encode of a minute bucket",
                            "buckets/s"),
                    new Entry(
                            "BucketCodecBenchmark.decode",
                            "BucketCodec.decode of a minute bucket",
                            "buckets/s"));

    private final BenchConfig config;

    public MicroBench(BenchConfig config) {
        this.config = config;
    }

    /** The JMH options of the suite's run: the mode's sizes over the annotations' defaults. */
    Options options(Path log) {
        MicroSettings m = config.micro();
        OptionsBuilder b = new OptionsBuilder();
        for (Entry e : ENTRIES) {
            b.include("^" + Pattern.quote(PACKAGE + e.method()) + "$");
        }
        return b.forks(config.runs())
                .warmupIterations(m.warmupIterations())
                .warmupTime(TimeValue.milliseconds(m.iterationTime().toMillis()))
                .measurementIterations(m.measurementIterations())
                .measurementTime(TimeValue.milliseconds(m.iterationTime().toMillis()))
                .timeUnit(TimeUnit.SECONDS)
                .threads(1)
                .jvmArgs("-Xms" + m.forkHeap(), "-Xmx" + m.forkHeap())
                .param("records", Integer.toString(m.records()))
                .param("pairs", Integer.toString(config.streamingPairs()))
                .param("eventsPerSecond", Double.toString(config.streamingRate()))
                .shouldFailOnError(true)
                .output(log.toString())
                .build();
    }

    public Section run() throws IOException, RunnerException {
        Path log = Files.createTempFile("bench-jmh-", ".log");
        LOG.info("micro: JMH's own output goes to {}", log);
        Collection<RunResult> results = new Runner(options(log)).run();
        Map<String, RunResult> byMethod = new LinkedHashMap<>();
        for (RunResult r : results) {
            byMethod.put(r.getParams().getBenchmark(), r);
        }
        List<Figure> figures = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Map<String, Figure> byName = new LinkedHashMap<>();
        for (Entry e : ENTRIES) {
            RunResult r = byMethod.get(PACKAGE + e.method());
            if (r == null) {
                throw new IllegalStateException(
                        "JMH returned no result for " + e.method() + "; its output: " + log);
            }
            List<Double> forks = new ArrayList<>();
            for (BenchmarkResult fork : r.getBenchmarkResults()) {
                forks.add(fork.getPrimaryResult().getScore());
            }
            Figure f = Figure.rate(e.figure(), e.unit(), forks);
            figures.add(f);
            byName.put(e.method(), f);
            double error = r.getPrimaryResult().getScoreError();
            notes.add(
                    String.format(
                            "`%s`: JMH's score over all forks' measured iterations, %,.0f %s%s.",
                            e.method(),
                            r.getPrimaryResult().getScore(),
                            r.getPrimaryResult().getScoreUnit(),
                            Double.isFinite(error)
                                    ? String.format(" ± %,.0f (99.9 %% confidence interval)", error)
                                    : " (a single iteration: no confidence interval)"));
            LOG.info("micro: {} {} {}", e.figure(), Math.round(f.median()), e.unit());
        }
        MicroSettings m = config.micro();
        String setup =
                String.format(
                        "JMH %s benchmarks (package `io.deliverymetrics.bench.micro`), run by"
                                + " JMH's Runner from the suite: one thread, throughput mode, %d"
                                + " fork(s) per benchmark (a JVM each, `-Xms%s -Xmx%s`; one fork"
                                + " is one run of this report), %d warm-up and %d measured"
                                + " iteration(s) of %.1f s per fork, a fork's score is the mean of"
                                + " its measured iterations. Input, built in each fork before it"
                                + " measures: the streaming load's first %,d loadgen records (%,d"
                                + " Zipf pairs, ISO-8601 timestamps) as raw JSON, cycled through one"
                                + " per operation. `add` is the pre-aggregation's add path:"
                                + " `MetricBucket.add` into the record's (pair, minute) partial,"
                                + " held by minute and pair as `MinutePreAggregator` holds them"
                                + " (first attempt kept as itself, everything dropped at the job's"
                                + " 20,000 open partials). The merge adds 60 of the load's (pair,"
                                + " minute) buckets that have a latency sketch into a fresh bucket"
                                + " (an hour's compaction), counted per merge; the codec encodes"
                                + " and decodes the load's (pair, minute) buckets (counters, sketch,"
                                + " error rows), counted per bucket. The same benchmarks run on"
                                + " their own with `org.openjdk.jmh.Main` (bench/README.md).",
                        org.openjdk.jmh.util.Version.getPlainVersion(),
                        config.runs(),
                        m.forkHeap(),
                        m.forkHeap(),
                        m.warmupIterations(),
                        m.measurementIterations(),
                        m.iterationTime().toMillis() / 1e3,
                        m.records(),
                        config.streamingPairs());
        return new Section(
                "4. Parse and aggregate (micro)",
                setup,
                figures,
                List.of(
                        new Ratio(
                                "add / parse (records/s)",
                                byName.get("AggregateBenchmark.add"),
                                byName.get("ParseBenchmark.parse"))),
                notes);
    }
}
