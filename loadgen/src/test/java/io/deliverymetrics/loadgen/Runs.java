package io.deliverymetrics.loadgen;

import io.deliverymetrics.loadgen.config.LoadSpec;
import io.deliverymetrics.loadgen.model.GeneratedRecord;
import io.deliverymetrics.loadgen.sink.CollectingSink;
import io.deliverymetrics.loadgen.truth.Truth;
import java.util.List;

/** Runs a spec into memory for tests. */
final class Runs {

    /** The records a run sent, the Truth fed by its acknowledgements, and its final counters. */
    record Collected(LoadSpec spec, List<GeneratedRecord> records, Truth truth, RunStats stats) {}

    private Runs() {}

    static Collected collect(LoadSpec spec) {
        Truth truth = new Truth();
        try (CollectingSink sink = new CollectingSink(truth)) {
            RunStats stats = new LoadRunner(spec, sink).run();
            return new Collected(spec, List.copyOf(sink.records()), truth, stats);
        }
    }
}
