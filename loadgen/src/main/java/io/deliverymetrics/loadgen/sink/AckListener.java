package io.deliverymetrics.loadgen.sink;

import io.deliverymetrics.loadgen.model.GeneratedRecord;

/** Told about every record that a sink has durably written (acknowledged). */
@FunctionalInterface
public interface AckListener {

    /** Called once per acknowledged record, possibly from a client I/O thread. */
    void acknowledged(GeneratedRecord record);
}
