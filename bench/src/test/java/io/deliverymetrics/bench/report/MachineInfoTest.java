package io.deliverymetrics.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MachineInfoTest {

    @Test
    void shouldNameTheHeapOptionsAmongTheJvmArgumentsInTheirOrder() {
        String heap =
                MachineInfo.benchHeap(
                        List.of(
                                "-Xms6g",
                                "--add-opens=java.base/java.lang=ALL-UNNAMED",
                                "-Xmx6g",
                                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                                "-XX:+AlwaysPreTouch"));

        assertThat(heap).startsWith("-Xms6g -Xmx6g -XX:+AlwaysPreTouch, max ").endsWith(" GiB");
    }

    @Test
    void shouldSayWhenTheJvmChoseItsOwnHeap() {
        assertThat(MachineInfo.benchHeap(List.of("-Dfoo=bar"))).startsWith("JVM defaults, max ");
    }
}
