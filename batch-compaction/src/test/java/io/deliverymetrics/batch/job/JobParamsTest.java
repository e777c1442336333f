package io.deliverymetrics.batch.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.batch.model.CompactionRequest;
import io.deliverymetrics.core.time.Granularity;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JobParamsTest {

    @Test
    void shouldRoundTripAnExplicitRangeOnOneShard() {
        CompactionRequest r =
                CompactionRequest.range(
                                Granularity.DAY,
                                Instant.parse("2026-11-01T00:00:00Z"),
                                Instant.parse("2026-11-20T00:00:00Z"))
                        .onShard(3);

        assertThat(JobParams.compactionRequest(JobParams.compaction(r))).isEqualTo(r);
    }

    @Test
    void shouldIdentifyTheRunByTierAndTargetRange() {
        CompactionRequest r =
                CompactionRequest.catchUp(Granularity.HOUR, Instant.parse("2026-11-26T10:00:00Z"));

        assertThat(JobParams.compaction(r).getIdentifyingParameters())
                .extracting(p -> p.name())
                .containsExactlyInAnyOrder("tier", "to");
        assertThat(JobParams.compactionRequest(JobParams.compaction(r))).isEqualTo(r);
    }
}
