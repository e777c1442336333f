package io.deliverymetrics.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.flink.config.JobConfig;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** The job graph {@code main} submits: what a savepoint of it depends on. */
class JobGraphTest {

    @Test
    void shouldGiveEveryVertexTheConfiguredMaxParallelism() {
        JobConfig defaults = JobConfig.load(Map.of());
        assertThat(defaults.maxParallelism()).isEqualTo(128);
        assertThat(vertices(jobGraph(defaults, new Configuration())))
                .isNotEmpty()
                .allSatisfy(v -> assertThat(v.getMaxParallelism()).as(v.getName()).isEqualTo(128));

        JobConfig other = JobConfig.load(Map.of("DM_MAX_PARALLELISM", "512"));
        assertThat(vertices(jobGraph(other, new Configuration())))
                .allSatisfy(v -> assertThat(v.getMaxParallelism()).as(v.getName()).isEqualTo(512));
    }

    @Test
    void shouldDeriveTheSameKeyGroupsForAJobStartedWithoutAMaximumUpToParallelism85() {
        // What Flink gave the job before it set max-parallelism (and what it still gives a job
        // graph without one): 128 key groups for a first run at parallelism 1..85, 256 from 86.
        // Savepoints of such first runs restore into the default max-parallelism: 128.
        assertThat(KeyGroupRangeAssignment.computeDefaultMaxParallelism(1)).isEqualTo(128);
        assertThat(KeyGroupRangeAssignment.computeDefaultMaxParallelism(2)).isEqualTo(128);
        assertThat(KeyGroupRangeAssignment.computeDefaultMaxParallelism(85)).isEqualTo(128);
        assertThat(KeyGroupRangeAssignment.computeDefaultMaxParallelism(86)).isEqualTo(256);
        assertThat(KeyGroupRangeAssignment.computeDefaultMaxParallelism(128)).isEqualTo(256);
    }

    @Test
    void shouldGiveEveryOperatorAStableUid() {
        // With generated uids switched off, Flink refuses to build the graph if any operator
        // lacks a uid: a savepoint then maps onto every operator of a new build of the job.
        Configuration noGeneratedUids = new Configuration();
        noGeneratedUids.set(PipelineOptions.AUTO_GENERATE_UIDS, false);

        JobGraph graph = jobGraph(JobConfig.load(Map.of()), noGeneratedUids);

        assertThat(vertices(graph)).isNotEmpty();
    }

    @Test
    void shouldLeaveTheDestinationTypeRollupOutWhenTheGlobalViewIsDisabled() {
        String rollup = "destination-type-windows";

        List<String> on = names(jobGraph(JobConfig.load(Map.of()), new Configuration()));
        List<String> off =
                names(
                        jobGraph(
                                JobConfig.load(Map.of("DM_GLOBAL_ENABLED", "false")),
                                new Configuration()));

        assertThat(on).anyMatch(n -> n.contains(rollup));
        assertThat(on).anyMatch(n -> n.contains(DeliveryMetricsJob.GLOBAL_ROWS));
        assertThat(off).noneMatch(n -> n.contains(rollup));
        assertThat(off).noneMatch(n -> n.contains(DeliveryMetricsJob.GLOBAL_ROWS));
        assertThat(off).anyMatch(n -> n.contains("minute-windows"));
    }

    private static List<String> names(JobGraph graph) {
        return vertices(graph).stream().map(JobVertex::getName).toList();
    }

    private static JobGraph jobGraph(JobConfig config, Configuration extra) {
        Configuration conf = DeliveryMetricsJob.flinkConfiguration(config);
        conf.addAll(extra);
        StreamExecutionEnvironment env = new StreamExecutionEnvironment(conf);
        env.setParallelism(2);
        DeliveryMetricsJob.build(
                env,
                config,
                DeliveryMetricsJob.kafkaSource(config),
                DeliveryMetricsJob.productionSinks(config));
        return env.getStreamGraph().getJobGraph();
    }

    private static List<JobVertex> vertices(JobGraph graph) {
        return List.of(graph.getVerticesAsArray());
    }
}
