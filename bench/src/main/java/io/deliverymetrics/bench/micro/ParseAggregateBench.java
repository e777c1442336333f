package io.deliverymetrics.bench.micro;

import io.deliverymetrics.bench.config.BenchConfig;
import io.deliverymetrics.bench.model.Figure;
import io.deliverymetrics.bench.model.Ratio;
import io.deliverymetrics.bench.model.Section;
import io.deliverymetrics.bench.streaming.StreamingLoad;
import io.deliverymetrics.core.metrics.MetricBucket;
import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.parse.AttemptParser;
import io.deliverymetrics.core.parse.ParseResult;
import io.deliverymetrics.loadgen.model.GeneratedRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records per second of the two per-record costs of the speed layer, on one thread: {@code
 * AttemptParser.parse} of the raw JSON and {@code MetricBucket.add} into the bucket of the record's
 * (pair, minute), the way the window operator aggregates.
 */
public final class ParseAggregateBench {

    private static final Logger LOG = LoggerFactory.getLogger(ParseAggregateBench.class);

    /** Unmeasured passes before the measured ones, so the JIT has compiled the hot paths. */
    private static final int WARMUP_PASSES = 2;

    private final BenchConfig config;

    public ParseAggregateBench(BenchConfig config) {
        this.config = config;
    }

    public Section run() {
        List<GeneratedRecord> records = StreamingLoad.inMemory(config, config.microRecords());
        byte[][] raw = records.stream().map(GeneratedRecord::value).toArray(byte[][]::new);
        AttemptParser parser = new AttemptParser();
        DeliveryAttempt[] attempts = parseAll(parser, raw);

        for (int i = 0; i < WARMUP_PASSES; i++) {
            parseAll(parser, raw);
            aggregate(attempts);
        }
        List<Double> parse = new ArrayList<>();
        List<Double> add = new ArrayList<>();
        List<Double> both = new ArrayList<>();
        for (int run = 0; run < config.runs(); run++) {
            long t0 = System.nanoTime();
            parseAll(parser, raw);
            parse.add(perSecond(raw.length, System.nanoTime() - t0));

            t0 = System.nanoTime();
            aggregate(attempts);
            add.add(perSecond(raw.length, System.nanoTime() - t0));

            t0 = System.nanoTime();
            aggregate(parseAll(parser, raw));
            both.add(perSecond(raw.length, System.nanoTime() - t0));
            LOG.info(
                    "micro run {}: parse {}/s, add {}/s, parse+add {}/s",
                    run + 1,
                    Math.round(parse.get(run)),
                    Math.round(add.get(run)),
                    Math.round(both.get(run)));
        }
        Figure parseFigure = Figure.rate("AttemptParser.parse", "records/s", parse);
        Figure addFigure =
                Figure.rate("MetricBucket.add into its (pair, minute) bucket", "records/s", add);
        Figure bothFigure = Figure.rate("parse + add", "records/s", both);
        return new Section(
                "4. Parse and aggregate (micro)",
                String.format(
                        "One thread, %,d loadgen records (the streaming load's first records: %,d"
                                + " Zipf pairs, ISO-8601 timestamps) held in memory; %d"
                                + " unmeasured warm-up passes, then one measured pass per run. `add`"
                                + " includes the HashMap lookup of the (pair, minute) bucket, as in"
                                + " the window operator's state.",
                        raw.length, config.streamingPairs(), WARMUP_PASSES),
                List.of(parseFigure, addFigure, bothFigure),
                List.of(new Ratio("add / parse (records/s)", addFigure, parseFigure)),
                List.of());
    }

    private static DeliveryAttempt[] parseAll(AttemptParser parser, byte[][] raw) {
        DeliveryAttempt[] out = new DeliveryAttempt[raw.length];
        for (int i = 0; i < raw.length; i++) {
            ParseResult r = parser.parse(raw[i]);
            if (!(r instanceof ParseResult.Valid v)) {
                throw new IllegalStateException(
                        "loadgen record "
                                + i
                                + " was rejected: "
                                + ((ParseResult.Rejected) r).describe());
            }
            out[i] = v.attempt();
        }
        return out;
    }

    private static Map<MinuteKey, MetricBucket> aggregate(DeliveryAttempt[] attempts) {
        Map<MinuteKey, MetricBucket> buckets = new HashMap<>();
        for (DeliveryAttempt a : attempts) {
            buckets.computeIfAbsent(MinuteKey.of(a), k -> new MetricBucket()).add(a);
        }
        return buckets;
    }

    private static double perSecond(long count, long nanos) {
        return count / (nanos / 1e9);
    }
}
