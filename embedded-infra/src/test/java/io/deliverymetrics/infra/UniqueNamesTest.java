package io.deliverymetrics.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class UniqueNamesTest {

    private final UniqueNames names = new UniqueNames();

    @Test
    void shouldNeverRepeatADatabaseName() {
        Set<String> seen = new HashSet<>();
        IntStream.range(0, 10_000).forEach(i -> seen.add(names.database("shard")));

        assertThat(seen).hasSize(10_000);
    }

    @Test
    void shouldProduceDatabaseNamesThatMariaDbAccepts() {
        assertThat(names.database("Shard-Ü 1")).matches("[a-z0-9_]{1,64}").startsWith("shard___1_");
        assertThat(names.database("x".repeat(200))).matches("[a-z0-9_]{1,64}");
        assertThat(names.database("")).matches("[a-z0-9_]{1,64}");
    }

    @Test
    void shouldProduceTopicNamesThatKeepThePrefix() {
        assertThat(names.topic("delivery.attempts"))
                .startsWith("delivery-attempts-1-")
                .matches("[a-z0-9-]+");
    }
}
