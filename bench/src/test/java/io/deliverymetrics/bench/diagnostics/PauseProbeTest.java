package io.deliverymetrics.bench.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PauseProbeTest {

    @Test
    void countsOverrunsAboveEachThresholdAndTheLongest() {
        PauseProbe.Pauses p =
                PauseProbe.Pauses.of(
                        new long[] {
                            0,
                            4_999_999,
                            5_000_000,
                            5_000_001,
                            20_000_000,
                            20_000_001,
                            31_500_000,
                            70_000
                        });

        assertEquals(8, p.sleeps());
        assertEquals(4, p.over5(), "over 5 ms: 5_000_001, 20_000_000, 20_000_001, 31_500_000");
        assertEquals(2, p.over20(), "over 20 ms: 20_000_001, 31_500_000");
        assertEquals(31.5, p.maxOverrunMillis(), 1e-9);
        assertEquals(
                "8 sleeps of 1 ms: longest overrun 31.5 ms, 4 over 5 ms, 2 over 20 ms",
                p.toString());
    }

    @Test
    void noSleepsNoPauses() {
        PauseProbe.Pauses p = PauseProbe.Pauses.of(new long[0]);

        assertEquals(new PauseProbe.Pauses(0, 0, 0, 0), p);
    }
}
