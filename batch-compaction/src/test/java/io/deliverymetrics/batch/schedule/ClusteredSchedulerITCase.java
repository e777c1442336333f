package io.deliverymetrics.batch.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.batch.BatchApplication;
import io.deliverymetrics.batch.config.BatchConfig;
import io.deliverymetrics.batch.support.BatchFixture;
import io.deliverymetrics.infra.EmbeddedInfraExtension;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.UniqueNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.scheduling.quartz.SchedulerFactoryBean;

@ExtendWith(EmbeddedInfraExtension.class)
class ClusteredSchedulerITCase {

    private final EmbeddedMariaDb mariaDb;
    private final UniqueNames names;

    ClusteredSchedulerITCase(EmbeddedMariaDb mariaDb, UniqueNames names) {
        this.mariaDb = mariaDb;
        this.names = names;
    }

    @Test
    void shouldNeverRunTheSameJobConcurrentlyOnTwoSchedulerInstances() throws Exception {
        BatchFixture fixture =
                new BatchFixture(mariaDb, names)
                        .with("schedule.cluster-checkin-interval", "1s")
                        .with("schedule.thread-count", "2");
        BatchApplication.migrate(fixture.config());
        Recorder recorder = new Recorder();
        GenericApplicationContext beans = new GenericApplicationContext();
        beans.registerBean(Recorder.class, () -> recorder);
        beans.refresh();

        List<SchedulerFactoryBean> nodes = new ArrayList<>();
        try {
            for (String node : List.of("node-a", "node-b")) {
                BatchConfig config = fixture.with("schedule.instance-id", node).config();
                JobDetail job =
                        JobBuilder.newJob(SlowJob.class)
                                .withIdentity("slow", "test")
                                .storeDurably()
                                .build();
                // A trigger firing every 50 ms for a job that takes 200 ms: without the cluster
                // lock, both nodes would start it while it runs.
                Trigger trigger =
                        TriggerBuilder.newTrigger()
                                .forJob(job)
                                .withIdentity("slow-every-50ms", "test")
                                .withSchedule(
                                        SimpleScheduleBuilder.repeatSecondlyForever(1)
                                                .withIntervalInMilliseconds(50))
                                .build();
                SchedulerFactoryBean f =
                        SchedulerConfiguration.factory(
                                config, beans, List.of(job), List.of(trigger));
                // An idle node looks for due triggers every 30 s by default; poll every second here
                // so
                // that both nodes compete for every firing.
                Properties quartz = QuartzSettings.properties(config.schedule(), config.control());
                quartz.setProperty("org.quartz.scheduler.idleWaitTime", "1000");
                f.setQuartzProperties(quartz);
                f.setAutoStartup(true);
                f.afterPropertiesSet();
                nodes.add(f);
            }
            for (SchedulerFactoryBean f : nodes) {
                f.start();
            }
            // Whoever finishes a run usually acquires the next firing too, so hand the job over:
            // put the node that runs it into standby while it runs, let the other node take
            // over (it must wait for the running execution), then bring the first one back.
            awaitRuns(recorder, 3);
            String first = recorder.awaitRunning();
            Scheduler firstNode = node(nodes, first);
            firstNode.standby();
            awaitRuns(recorder, recorder.runs().size() + 3);
            firstNode.start();
            awaitRuns(recorder, recorder.runs().size() + 4);
        } finally {
            for (SchedulerFactoryBean f : nodes) {
                stop(f);
            }
            beans.close();
        }

        List<Run> runs = new ArrayList<>(recorder.runs());
        runs.sort(Comparator.comparingLong(Run::startNanos));
        assertThat(runs).hasSizeGreaterThanOrEqualTo(10);
        assertThat(runs).extracting(Run::node).containsOnly("node-a", "node-b");
        assertThat(recorder.nodes()).as("both nodes ran the job").isEqualTo(2);
        for (int i = 1; i < runs.size(); i++) {
            assertThat(runs.get(i).startNanos())
                    .as("run %s started before run %s ended", runs.get(i), runs.get(i - 1))
                    .isGreaterThanOrEqualTo(runs.get(i - 1).endNanos());
        }
    }

    private static void stop(SchedulerFactoryBean f) throws SchedulerException {
        f.destroy();
    }

    private static Scheduler node(List<SchedulerFactoryBean> nodes, String instanceId)
            throws SchedulerException {
        for (SchedulerFactoryBean f : nodes) {
            if (f.getScheduler().getSchedulerInstanceId().equals(instanceId)) {
                return f.getScheduler();
            }
        }
        throw new IllegalArgumentException(instanceId);
    }

    private static void awaitRuns(Recorder recorder, int runs) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (recorder.runs().size() < runs) {
            assertThat(System.nanoTime()).as("waiting for %s runs", runs).isLessThan(deadline);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    /** One execution of the job on one node. */
    record Run(String node, long startNanos, long endNanos) {}

    /** Collects the runs of every node. */
    static final class Recorder {
        private final List<Run> runs = new CopyOnWriteArrayList<>();
        private volatile String runningOn;

        /** Waits until an execution is in progress; returns the node running it. */
        String awaitRunning() {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            String node;
            while ((node = runningOn) == null) {
                assertThat(System.nanoTime()).as("waiting for a running job").isLessThan(deadline);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            return node;
        }

        List<Run> runs() {
            return runs;
        }

        long nodes() {
            return runs.stream().map(Run::node).distinct().count();
        }
    }

    /** Simulates 200 ms of work, recording when it ran and where. */
    @DisallowConcurrentExecution
    public static class SlowJob implements Job {
        private final Recorder recorder;

        public SlowJob(Recorder recorder) {
            this.recorder = recorder;
        }

        @Override
        public void execute(JobExecutionContext context) {
            long start = System.nanoTime();
            String node;
            try {
                node = context.getScheduler().getSchedulerInstanceId();
            } catch (SchedulerException e) {
                throw new IllegalStateException(e);
            }
            recorder.runningOn = node;
            long end = start + Duration.ofMillis(200).toNanos();
            while (System.nanoTime() < end) {
                LockSupport.parkNanos(end - System.nanoTime());
            }
            recorder.runningOn = null;
            recorder.runs.add(new Run(node, start, System.nanoTime()));
        }
    }
}
