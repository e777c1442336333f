package io.deliverymetrics.loadgen.truth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SampledAttemptTest {

    @Test
    void shouldHashAsTheRecordContractDefines() {
        // The values the pipeline's own implementation gives (pinned in core's tests too).
        assertThat(Long.toHexString(SampledAttempt.hash("", 0))).isEqualTo("aca6d6b54be3ed05");
        assertThat(Long.toHexString(SampledAttempt.hash("msg_8f14e45f", 2)))
                .isEqualTo("5198624facfa73f1");
    }

    @Test
    void shouldOrderByTheHashAsAnUnsignedNumber() {
        SampledAttempt small = new SampledAttempt(1L, "b", 1, null);
        SampledAttempt large = new SampledAttempt(-1L, "a", 1, null);

        assertThat(small).isLessThan(large);
    }
}
