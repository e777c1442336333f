package io.deliverymetrics.bench.streaming;

/**
 * One bounded run of a Flink job over the pre-loaded topic.
 *
 * @param records records in the topic
 * @param counted records the written rows account for (equal to {@code records} when exact)
 * @param rows rows written
 * @param seconds from the job switching to RUNNING to the last row committed
 * @param wallSeconds from submission (MiniCluster start included) to the job's end
 * @param cpuSeconds busy CPU time of the whole machine from RUNNING to the job's end
 */
public record StreamRun(
        long records,
        long counted,
        long rows,
        double seconds,
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
