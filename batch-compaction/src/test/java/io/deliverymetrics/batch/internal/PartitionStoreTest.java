package io.deliverymetrics.batch.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class PartitionStoreTest {

    @Test
    void shouldReadPartitionBoundsAsInformationSchemaShowsThem() {
        assertThat(PartitionStore.parseBound("'2026-11-27 00:00:00'"))
                .contains(Instant.parse("2026-11-27T00:00:00Z"));
        assertThat(PartitionStore.parseBound("'2026-11-27'"))
                .contains(Instant.parse("2026-11-27T00:00:00Z"));
        assertThat(PartitionStore.parseBound("MAXVALUE")).isEmpty();
    }
}
