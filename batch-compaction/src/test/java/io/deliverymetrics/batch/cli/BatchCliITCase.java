package io.deliverymetrics.batch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverymetrics.batch.BatchApplication;
import io.deliverymetrics.batch.support.BatchFixture;
import io.deliverymetrics.batch.support.DeliveryWorld;
import io.deliverymetrics.core.model.PairKey;
import io.deliverymetrics.core.time.Granularity;
import io.deliverymetrics.infra.EmbeddedInfraExtension;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.UniqueNames;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.context.ConfigurableApplicationContext;

@ExtendWith(EmbeddedInfraExtension.class)
class BatchCliITCase {

    private static final Instant START =
            Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(2));
    private static final Instant END = START.plus(Duration.ofHours(6));

    private final EmbeddedMariaDb mariaDb;
    private final UniqueNames names;

    BatchCliITCase(EmbeddedMariaDb mariaDb, UniqueNames names) {
        this.mariaDb = mariaDb;
        this.names = names;
    }

    @Test
    void shouldBackfillOneShardWithProgressAndThenReportStatusPerShardAndTier() throws Exception {
        BatchFixture fixture = new BatchFixture(mariaDb, names);
        BatchApplication.migrate(fixture.config());
        DeliveryWorld world = new DeliveryWorld(fixture.router(), 11);
        world.generate(world.pairs(2), START, END, 0.1);
        world.seed(fixture);

        Result backfill =
                cli(
                        fixture,
                        "compact",
                        "--tier",
                        "hour",
                        "--from",
                        START.toString(),
                        "--to",
                        END.toString(),
                        "--shard",
                        "0");

        assertThat(backfill.code()).as(backfill.out()).isZero();
        assertThat(backfill.out())
                .contains("shard 0 hour: 6 bucket(s) to recompute")
                .contains("shard 0 hour " + START + ":")
                .contains("hourCompactionJob COMPLETED: 6 bucket(s)")
                .doesNotContain("shard 1 hour");
        // An explicit range recomputes; it leaves the watermark to the scheduled runs.
        assertThat(progressRows(fixture, 0)).isZero();

        Result catchUp = cli(fixture, "compact", "--tier", "hour");
        assertThat(catchUp.code()).as(catchUp.out()).isZero();
        world.assertTierMatches(fixture, Granularity.HOUR, START, END);

        Result status = cli(fixture, "status");
        assertThat(status.code()).isZero();
        assertThat(status.out().lines().filter(l -> l.matches("\\d+ +(hour|day) .*")))
                .hasSize(4)
                .anySatisfy(l -> assertThat(l).matches("0 +hour +\\S+Z .* 0"))
                .anySatisfy(l -> assertThat(l).matches("1 +day +- .*"));
    }

    @Test
    void shouldRecomputeAnExplicitRangeEveryTimeTheSameCommandIsRun() throws Exception {
        BatchFixture fixture = new BatchFixture(mariaDb, names);
        BatchApplication.migrate(fixture.config());
        DeliveryWorld world = new DeliveryWorld(fixture.router(), 23);
        List<PairKey> pairs = world.pairs(2);
        world.generate(pairs, START, END, 0.1);
        world.seed(fixture);
        String[] command = {
            "compact", "--tier", "hour", "--from", START.toString(), "--to", END.toString()
        };

        Result first = cli(fixture, command);
        assertThat(first.code()).as(first.out()).isZero();
        world.assertTierMatches(fixture, Granularity.HOUR, START, END);

        // Rewrite one minute row of the range with different counters: three more attempts of a
        // minute the pair already has.
        PairKey pair = pairs.get(0);
        Instant minute = START.plus(Duration.ofMinutes(125));
        world.addLate(fixture, world.randomAttempt(pair, minute.plusSeconds(5)));
        world.addLate(fixture, world.randomAttempt(pair, minute.plusSeconds(20)));
        world.addLate(fixture, world.randomAttempt(pair, minute.plusSeconds(40)));

        Result again = cli(fixture, command);

        assertThat(again.code()).as(again.out()).isZero();
        // The hour rows equal the expectation over the raw attempts, the changed minute included.
        world.assertTierMatches(fixture, Granularity.HOUR, START, END);
        // Six hours on each of the two shards and on the global database.
        assertThat(again.out()).contains("hourCompactionJob COMPLETED: 18 bucket(s)");
        world.assertGlobalTierMatches(fixture, Granularity.HOUR, START, END);
    }

    @Test
    void shouldRegisterTheThreeCronTriggersWhenServing() throws Exception {
        BatchFixture fixture = new BatchFixture(mariaDb, names);
        try (ConfigurableApplicationContext app =
                        BatchApplication.start(fixture.config(), BatchApplication.Mode.SCHEDULER);
                Connection c = fixture.control();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT t.TRIGGER_NAME, c.CRON_EXPRESSION FROM QRTZ_TRIGGERS t"
                                        + " JOIN QRTZ_CRON_TRIGGERS c USING (SCHED_NAME,"
                                        + " TRIGGER_NAME, TRIGGER_GROUP) ORDER BY 1")) {
            List<String> triggers = new ArrayList<>();
            while (rs.next()) {
                triggers.add(rs.getString(1) + " " + rs.getString(2));
            }
            assertThat(triggers)
                    .containsExactly(
                            "dayCompactionJob-cron 0 7 * * * ?",
                            "hourCompactionJob-cron 0 */5 * * * ?",
                            "retentionJob-cron 0 30 3 * * ?");
        }
    }

    private static Result cli(BatchFixture fixture, String... command) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(fixture.args());
        int code;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            code = BatchCli.run(Map.of(), out, args.toArray(String[]::new));
        }
        return new Result(code, bytes.toString(StandardCharsets.UTF_8));
    }

    private static long progressRows(BatchFixture fixture, int shard) throws Exception {
        try (Connection c = fixture.shard(shard);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM compaction_progress")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    record Result(int code, String out) {}
}
