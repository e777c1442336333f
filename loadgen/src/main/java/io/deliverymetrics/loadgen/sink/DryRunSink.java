package io.deliverymetrics.loadgen.sink;

import io.deliverymetrics.loadgen.model.GeneratedRecord;
import java.util.Objects;

/** A sink that writes nothing and acknowledges every record at once (truth-only runs). */
public final class DryRunSink implements LoadSink {

    private final AckListener listener;
    private long acked;

    public DryRunSink(AckListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public void send(GeneratedRecord record) {
        listener.acknowledged(record);
        acked++;
    }

    @Override
    public void flush() {
        // every record is acknowledged in send()
    }

    @Override
    public long acked() {
        return acked;
    }

    @Override
    public void close() {
        // nothing to release
    }
}
