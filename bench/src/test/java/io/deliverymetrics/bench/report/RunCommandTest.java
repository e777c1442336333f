package io.deliverymetrics.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.bench.config.Benchmark;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunCommandTest {

    @Test
    void shouldStateTheRunShCommandWithTheArgumentsAsGiven() {
        RunCommand c = new RunCommand(List.of("--mode", "smoke", "--report", "/tmp/smoke.md"));

        assertThat(c.line()).isEqualTo("bench/run.sh --mode smoke --report /tmp/smoke.md");
    }

    @Test
    void shouldStateTheBareScriptWhenRunWithoutArguments() {
        assertThat(new RunCommand(List.of()).line()).isEqualTo("bench/run.sh");
    }

    @Test
    void shouldQuoteArgumentsTheShellWouldSplitOrExpand() {
        RunCommand c = new RunCommand(List.of("--report", "/tmp/my report.md", "--x", "it's"));

        assertThat(c.line()).isEqualTo("bench/run.sh --report '/tmp/my report.md' --x 'it'\\''s'");
    }

    @Test
    void shouldRunOneSectionAloneWithEveryOtherSettingOfTheRun() {
        RunCommand c =
                new RunCommand(
                        List.of("--mode", "smoke", "--only", "api,scrape", "--api-pairs", "8"));

        assertThat(c.only(Benchmark.SCRAPE))
                .isEqualTo(
                        "bench/run.sh --mode smoke --api-pairs 8 --only scrape --report"
                                + " /tmp/scrape.md");
    }

    @Test
    void shouldSendASectionAloneToAReportOfItsOwnWhicheverReportTheRunWrote() {
        RunCommand c =
                new RunCommand(
                        List.of(
                                "--only=micro",
                                "--report=bench/REPORT.md",
                                "--report",
                                "/tmp/r.md"));

        assertThat(c.only(Benchmark.MICRO))
                .isEqualTo("bench/run.sh --only micro --report /tmp/micro.md");
    }
}
