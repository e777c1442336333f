package io.deliverymetrics.bench.streaming.internal;

import java.nio.file.Path;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;

/** Flink settings of the SQL peer (our job has its own {@code checkpoint.dir} setting). */
public final class FlinkSettings {

    private FlinkSettings() {}

    /**
     * Checkpoints to files under {@code dir}, as on a real cluster: the default JobManager storage
     * keeps them in memory and fails every checkpoint whose state exceeds 5 MB.
     */
    public static void checkpointToDirectory(Configuration flink, Path dir) {
        flink.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        flink.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir.toUri().toString());
    }
}
