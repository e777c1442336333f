package io.deliverymetrics.bench.streaming;

/**
 * One bounded run of a Flink job over the pre-loaded topic.
 *
 * @param records records in the topic
 * @param counted records the written rows account for (equal to {@code records} when exact)
 * @param rows rows written
 * @param seconds from the job's first record to the last row committed
 * @param startupSeconds from the job switching to RUNNING to its first record
 * @param wallSeconds from submission (MiniCluster start included) to the job's end
 * @param cpuSeconds busy CPU time of the whole machine from RUNNING to the job's end (start-up
 *     included, so the CPU per record errs high)
 */
public record StreamRun(
        long records,
        long counted,
        long rows,
        double seconds,
        double startupSeconds,
        double wallSeconds,
        double cpuSeconds) {

    public double recordsPerSecond() {
        return records / seconds;
    }

    /** Machine CPU per record, in microseconds (job, broker and database together). */
    public double cpuMicrosPerRecord() {
        return cpuSeconds * 1e6 / records;
    }

    public boolean exact() {
        return counted == records;
    }
}
