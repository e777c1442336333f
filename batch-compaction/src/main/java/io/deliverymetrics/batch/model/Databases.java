package io.deliverymetrics.batch.model;

/**
 * Ids of the databases the batch layer compacts and retains: the shards {@code 0..N-1} and the
 * global database ({@link #GLOBAL}), whose tables roll up every workspace per destination type.
 */
public final class Databases {

    /** Id of the global database among the shard ids. */
    public static final int GLOBAL = -1;

    private Databases() {}

    /** The name in metrics, logs and output: the shard's number, or {@code global}. */
    public static String label(int id) {
        return id == GLOBAL ? "global" : Integer.toString(id);
    }
}
