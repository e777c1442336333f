package io.deliverymetrics.batch.job;

import io.deliverymetrics.batch.model.CompactionRequest;
import io.deliverymetrics.core.time.Granularity;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/**
 * The job names and the mapping between requests and Spring Batch job parameters. Every parameter
 * is identifying. A watermark-driven run is named by tier and {@code to} (and shard), so
 * relaunching the same request restarts a failed execution instead of starting a new one. An
 * explicit range also carries the instant it was requested ({@code requested-at}): Spring Batch
 * runs a job instance only once, and a {@code --from} run must recompute its range every time it is
 * launched.
 */
public final class JobParams {

    public static final String HOUR_COMPACTION_JOB = "hourCompactionJob";
    public static final String DAY_COMPACTION_JOB = "dayCompactionJob";
    public static final String RETENTION_JOB = "retentionJob";

    static final String TIER = "tier";
    static final String FROM = "from";
    static final String TO = "to";
    static final String SHARD = "shard";
    static final String AT = "at";
    static final String REQUESTED_AT = "requested-at";

    /** Key of a partition's shard id in its step execution context. */
    static final String SHARD_ID = "shardId";

    private JobParams() {}

    public static String compactionJobName(Granularity tier) {
        return switch (tier) {
            case HOUR -> HOUR_COMPACTION_JOB;
            case DAY -> DAY_COMPACTION_JOB;
            case MINUTE -> throw new IllegalArgumentException("minute is not compacted");
        };
    }

    /**
     * The parameters of one launch of {@code r}. {@code requestedAt} is recorded for explicit
     * ranges only (it makes each launch a new job instance); a watermark-driven request maps to the
     * same parameters whenever it is launched.
     */
    public static JobParameters compaction(CompactionRequest r, Instant requestedAt) {
        JobParametersBuilder b =
                new JobParametersBuilder()
                        .addString(TIER, r.tier().wireName())
                        .addString(TO, r.to().toString());
        r.from().ifPresent(f -> b.addString(FROM, f.toString()));
        r.shard().ifPresent(s -> b.addLong(SHARD, (long) s));
        if (r.explicitRange()) {
            b.addString(REQUESTED_AT, requestedAt.toString());
        }
        return b.toJobParameters();
    }

    public static CompactionRequest compactionRequest(JobParameters p) {
        Granularity tier =
                Granularity.fromWireName(p.getString(TIER))
                        .orElseThrow(() -> new IllegalArgumentException("bad tier parameter"));
        Long shard = p.getLong(SHARD);
        return new CompactionRequest(
                tier,
                Instant.parse(p.getString(TO)),
                Optional.ofNullable(p.getString(FROM)).map(Instant::parse),
                shard == null ? OptionalInt.empty() : OptionalInt.of(shard.intValue()));
    }

    /** Retention as of {@code at}; one instance per instant. */
    public static JobParameters retention(Instant at, OptionalInt shard) {
        JobParametersBuilder b = new JobParametersBuilder().addString(AT, at.toString());
        shard.ifPresent(s -> b.addLong(SHARD, (long) s));
        return b.toJobParameters();
    }

    static Instant retentionAt(JobParameters p) {
        return Instant.parse(p.getString(AT));
    }

    static OptionalInt shard(JobParameters p) {
        Long shard = p.getLong(SHARD);
        return shard == null ? OptionalInt.empty() : OptionalInt.of(shard.intValue());
    }
}
