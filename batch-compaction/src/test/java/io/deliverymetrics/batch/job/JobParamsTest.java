package io.deliverymetrics.batch.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.batch.model.CompactionRequest;
import io.deliverymetrics.core.time.Granularity;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.job.DefaultJobKeyGenerator;

class JobParamsTest {

    private static final Instant REQUESTED = Instant.parse("2026-11-26T10:15:30.123456Z");

    @Test
    void shouldRoundTripAnExplicitRangeOnOneShard() {
        CompactionRequest r =
                CompactionRequest.range(
                                Granularity.DAY,
                                Instant.parse("2026-11-01T00:00:00Z"),
                                Instant.parse("2026-11-20T00:00:00Z"))
                        .onShard(3);

        assertThat(JobParams.compactionRequest(JobParams.compaction(r, REQUESTED))).isEqualTo(r);
    }

    @Test
    void shouldIdentifyACatchUpRunByTierAndTargetRangeOnly() {
        CompactionRequest r =
                CompactionRequest.catchUp(Granularity.HOUR, Instant.parse("2026-11-26T10:00:00Z"));

        assertThat(JobParams.compaction(r, REQUESTED).getIdentifyingParameters())
                .extracting(p -> p.name())
                .containsExactlyInAnyOrder("tier", "to");
        // Launched again later, it is the same job instance: a failed run is restarted.
        assertThat(instanceKey(r, REQUESTED.plusSeconds(60))).isEqualTo(instanceKey(r, REQUESTED));
        assertThat(JobParams.compactionRequest(JobParams.compaction(r, REQUESTED))).isEqualTo(r);
    }

    @Test
    void shouldMakeEveryLaunchOfAnExplicitRangeANewJobInstance() {
        CompactionRequest r =
                CompactionRequest.range(
                        Granularity.HOUR,
                        Instant.parse("2026-11-25T00:00:00Z"),
                        Instant.parse("2026-11-26T00:00:00Z"));

        assertThat(JobParams.compaction(r, REQUESTED).getIdentifyingParameters())
                .extracting(p -> p.name())
                .containsExactlyInAnyOrder("tier", "from", "to", "requested-at");
        assertThat(instanceKey(r, REQUESTED.plusNanos(1_000)))
                .isNotEqualTo(instanceKey(r, REQUESTED));
    }

    /** The key Spring Batch identifies a job instance by. */
    private static String instanceKey(CompactionRequest r, Instant requestedAt) {
        return new DefaultJobKeyGenerator().generateKey(JobParams.compaction(r, requestedAt));
    }
}
