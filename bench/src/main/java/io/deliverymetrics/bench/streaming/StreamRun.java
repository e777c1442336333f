package io.deliverymetrics.bench.streaming;

/**
 * One bounded run of a Flink job over the pre-loaded topic.
 *
 * @param records records in the topic
 * @param counted records the written rows account for (equal to {@code records} when exact)
 * @param rows rows written
 * @param seconds from the first record emitted by a source to the last row committed
 * @param startupSeconds from the job switching to RUNNING to its first record (task deployment,
 *     Kafka consumer and split set-up)
 * @param wallSeconds from submission (MiniCluster start included) to the job's end
 */
public record StreamRun(
        long records,
        long counted,
        long rows,
        double seconds,
        double startupSeconds,
        double wallSeconds) {

    /** Records per second from the first record to the last row committed. */
    public double recordsPerSecond() {
        return records / seconds;
    }

    /** Records per second from the job switching to RUNNING to the last row committed. */
    public double recordsPerSecondFromRunning() {
        return records / (seconds + startupSeconds);
    }

    public boolean exact() {
        return counted == records;
    }
}
