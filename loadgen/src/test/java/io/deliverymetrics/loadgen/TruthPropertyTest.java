package io.deliverymetrics.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.loadgen.config.LoadSpec;
import io.deliverymetrics.loadgen.model.GeneratedRecord;
import io.deliverymetrics.loadgen.model.Kind;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

class TruthPropertyTest {

    @Property(tries = 25)
    void truthShouldEqualAnIndependentReaggregationForAnySpec(
            @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 4) int workspaces,
            @ForAll @IntRange(min = 0, max = 40) int extraPairs,
            @ForAll @IntRange(min = 1, max = 12) int maxAttempts,
            @ForAll @DoubleRange(min = 0, max = 0.3) double outOfOrderShare,
            @ForAll @DoubleRange(min = 0, max = 0.2) double lateShare,
            @ForAll @DoubleRange(min = 0, max = 0.2) double malformedShare,
            @ForAll @DoubleRange(min = 0, max = 1) double epochMillisShare,
            @ForAll @DoubleRange(min = 0, max = 3) double zipf,
            @ForAll boolean incidents)
            throws RecordContract.Violation {
        LoadSpec spec =
                LoadSpec.builder()
                        .withSeed(seed)
                        .withRate(300)
                        .withTotalEvents(2_000)
                        .withWorkspaces(workspaces)
                        .withPairs(workspaces + extraPairs)
                        .withMaxAttempts(maxAttempts)
                        .withOutOfOrderShare(outOfOrderShare)
                        .withOutOfOrder(Duration.ofSeconds(5))
                        .withLateShare(lateShare)
                        .withLateBy(Duration.ofMinutes(1))
                        .withMalformedShare(malformedShare)
                        .withEpochMillisShare(epochMillisShare)
                        .withZipfExponent(zipf)
                        // rotating incidents: about three over the run's 6.7 s of receipts
                        .withIncidentEvery(incidents ? Duration.ofSeconds(2) : null)
                        .build();
        Runs.Collected run = Runs.collect(spec);

        IndependentAggregation valid = new IndependentAggregation(ChronoUnit.MINUTES);
        IndependentAggregation late = new IndependentAggregation(ChronoUnit.MINUTES);
        long malformed = 0;
        for (GeneratedRecord r : run.records()) {
            switch (r.kind()) {
                case VALID -> valid.add(RecordContract.parse(r.value()));
                case LATE -> late.add(RecordContract.parse(r.value()));
                case MALFORMED -> {
                    malformed++;
                    assertThat(violates(r)).as("%s", r).isTrue();
                }
            }
        }

        assertThat(IndependentAggregation.fromTruth(run.truth().minutes()))
                .isEqualTo(valid.totals());
        assertThat(IndependentAggregation.fromTruth(run.truth().late())).isEqualTo(late.totals());
        assertThat(run.truth().malformedRecords()).isEqualTo(malformed);
        assertThat(run.records().stream().filter(r -> r.kind() != Kind.MALFORMED).count())
                .isEqualTo(run.truth().validRecords() + run.truth().lateRecords());
    }

    private static boolean violates(GeneratedRecord r) {
        try {
            RecordContract.parse(r.value());
            return false;
        } catch (RecordContract.Violation e) {
            return true;
        }
    }
}
