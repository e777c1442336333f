package io.deliverymetrics.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.loadgen.config.LoadSpec;
import io.deliverymetrics.loadgen.generator.LoadGenerator;
import io.deliverymetrics.loadgen.model.GeneratedRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadGeneratorDeterminismTest {

    private static final LoadSpec SPEC =
            LoadSpec.builder()
                    .withSeed(7)
                    .withRate(2_000)
                    .withTotalEvents(20_000)
                    .withWorkspaces(5)
                    .withPairs(200)
                    .withMalformedShare(0.02)
                    .withLateShare(0.02)
                    .withLateBy(java.time.Duration.ofMinutes(2))
                    .build();

    private static List<GeneratedRecord> generate(LoadSpec spec) {
        List<GeneratedRecord> out = new ArrayList<>();
        LoadGenerator.create(spec).forEachRemaining(out::add);
        return out;
    }

    @Test
    void shouldEmitByteIdenticalRecordsForTheSameSeed() {
        List<GeneratedRecord> first = generate(SPEC);
        List<GeneratedRecord> second = generate(SPEC);

        assertThat(first).hasSizeGreaterThan(20_000);
        assertThat(second).hasSameSizeAs(first);
        for (int i = 0; i < first.size(); i++) {
            GeneratedRecord a = first.get(i);
            GeneratedRecord b = second.get(i);
            assertThat(b.key()).isEqualTo(a.key());
            assertThat(b.value()).as("value of record %d", i).isEqualTo(a.value());
            assertThat(b).isEqualTo(a);
        }
    }

    @Test
    void shouldEmitDifferentRecordsForADifferentSeed() {
        List<GeneratedRecord> first = generate(SPEC);
        List<GeneratedRecord> other = generate(SPEC.toBuilder().withSeed(8).build());

        long identicalValues = 0;
        int n = Math.min(first.size(), other.size());
        for (int i = 0; i < n; i++) {
            if (java.util.Arrays.equals(first.get(i).value(), other.get(i).value())) {
                identicalValues++;
            }
        }
        assertThat(identicalValues).isZero();
    }

    @Test
    void shouldWriteAByteIdenticalTruthFileForTheSameSeed() throws IOException {
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        ByteArrayOutputStream second = new ByteArrayOutputStream();

        Runs.collect(SPEC).truth().writeJsonLines(first);
        Runs.collect(SPEC).truth().writeJsonLines(second);

        assertThat(first.size()).isGreaterThan(1000);
        assertThat(second.toByteArray()).isEqualTo(first.toByteArray());
    }

    @Test
    void shouldKeepTheValidStreamWhenOnlyTheMalformedShareChanges() {
        List<GeneratedRecord> with = generate(SPEC);
        List<GeneratedRecord> without = generate(SPEC.toBuilder().withMalformedShare(0).build());

        assertThat(without.stream().map(GeneratedRecord::valueAsString).toList())
                .isEqualTo(
                        with.stream()
                                .filter(r -> r.malformation() == null)
                                .map(GeneratedRecord::valueAsString)
                                .toList());
    }
}
