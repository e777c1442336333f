package io.deliverymetrics.api.goals;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.core.exposition.Promtool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped change alert ({@code prometheus/delivery-alerts.rules.yml}) under Prometheus' own
 * rule evaluator: a destination whose discards jump fires it, a steady one does not.
 */
class DiscardSpikeRuleTest {

    private static final Path RULES = Path.of("..", "prometheus", "delivery-alerts.rules.yml");

    @Test
    void shouldFireForTheDestinationWhoseDiscardsJumpedOnly(@TempDir Path dir) throws Exception {
        Files.copy(RULES, dir.resolve("delivery-alerts.rules.yml"));
        Path test = dir.resolve("spike.test.yml");
        // dst_braze discards 1 event a minute for two hours, then 20 a minute; dst_s3 discards 5
        // a minute throughout.
        Files.writeString(
                test,
                """
                rule_files:
                  - delivery-alerts.rules.yml
                evaluation_interval: 1m
                tests:
                  - interval: 1m
                    input_series:
                      - series: 'event_delivery_discarded_total{workspace="ws_acme",source="src_web",destination="dst_braze"}'
                        values: '0+1x120 140+20x60'
                      - series: 'event_delivery_discarded_total{workspace="ws_acme",source="src_web",destination="dst_s3"}'
                        values: '0+5x180'
                    alert_rule_test:
                      - eval_time: 110m
                        alertname: DeliveryDiscardSpike
                        exp_alerts: []
                      - eval_time: 126m
                        alertname: DeliveryDiscardSpike
                        exp_alerts:
                          - exp_labels:
                              workspace: ws_acme
                              destination: dst_braze
                              severity: ticket
                            exp_annotations:
                              summary: "Destination dst_braze of workspace ws_acme discards more than 3 times as many events as in the hour before"
                """,
                StandardCharsets.UTF_8);

        Promtool.Result check = Promtool.checkRules(RULES);
        Promtool.Result run = Promtool.testRules(test);

        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(run.exitCode()).as(run.output()).isZero();
    }
}
