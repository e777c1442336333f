package io.deliverymetrics.loadgen.sink;

import io.deliverymetrics.loadgen.model.GeneratedRecord;

/**
 * Where generated records go; a sink tells its {@link AckListener} about each record once it is
 * durably written, and reports a failed write by throwing from {@link #send} or {@link #flush}.
 */
public interface LoadSink extends AutoCloseable {

    /** Starts writing one record; may block for back-pressure. */
    void send(GeneratedRecord record);

    /** Blocks until every record sent so far is acknowledged, or throws if one failed. */
    void flush();

    /** Number of records acknowledged so far. */
    long acked();

    @Override
    void close();
}
