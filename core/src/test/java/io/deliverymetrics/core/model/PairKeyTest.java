package io.deliverymetrics.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PairKeyTest {

    /** A record of the same components with the generated hashCode and equals. */
    private record Generated(String workspaceId, String sourceId, String destinationId) {}

    @ParameterizedTest
    @CsvSource({
        "ws_acme,src_web,dst_amplitude",
        "a,b,c",
        "ws_bench_00,src_0001,dst_0042",
        "x,x,x",
        "Aa,BB,C",
    })
    void shouldHashLikeTheGeneratedRecordMethodSoKeyGroupsOfCheckpointsStayTheSame(
            String ws, String src, String dst) {
        assertThat(new PairKey(ws, src, dst).hashCode())
                .isEqualTo(new Generated(ws, src, dst).hashCode());
    }

    @Test
    void shouldBeEqualExactlyWhenAllThreeIdsAre() {
        PairKey k = new PairKey("w", "s", "d");

        assertThat(k).isEqualTo(new PairKey("w", "s", "d")).isEqualTo(k);
        assertThat(k).isNotEqualTo(new PairKey("x", "s", "d"));
        assertThat(k).isNotEqualTo(new PairKey("w", "x", "d"));
        assertThat(k).isNotEqualTo(new PairKey("w", "s", "x"));
        assertThat(k).isNotEqualTo(new PairKey("s", "w", "d"));
        assertThat(k).isNotEqualTo(new Generated("w", "s", "d"));
        assertThat(k).isNotEqualTo(null);
    }
}
