package io.deliverymetrics.loadgen.sink;

import io.deliverymetrics.loadgen.model.GeneratedRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/** A sink that keeps every record in memory and acknowledges it at once; for tests. */
public final class CollectingSink implements LoadSink {

    private final AckListener listener;
    private final List<GeneratedRecord> records = new ArrayList<>();

    public CollectingSink(AckListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public void send(GeneratedRecord record) {
        records.add(record);
        listener.acknowledged(record);
    }

    @Override
    public void flush() {
        // every record is acknowledged in send()
    }

    @Override
    public long acked() {
        return records.size();
    }

    /** The records in the order they were sent. */
    public List<GeneratedRecord> records() {
        return Collections.unmodifiableList(records);
    }

    @Override
    public void close() {
        // nothing to release
    }
}
