package io.deliverymetrics.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The budget on a clock that moves only when a paced query sleeps, so the pacing is checked by
 * arithmetic, not by timing.
 */
class QueryBudgetTest {

    private static final int RATE = 1_000;

    private long now = 1_000_000_000L;
    private final List<Long> sleeps = new ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    // Both admitted queries of a workspace work at once: the tests that hold two run them on one
    // thread. The turns are checked on a budget of their own.
    private final QueryBudget budget = budget(2);

    private QueryBudget budget(int parallel) {
        return new QueryBudget(
                2,
                parallel,
                RATE,
                registry,
                () -> now,
                nanos -> {
                    sleeps.add(nanos);
                    now += nanos;
                });
    }

    @Test
    void shouldLetAQueryWithinTheAllowanceReadWithoutWaiting() {
        try (QueryBudget.Permit p = budget.acquire("ws_a")) {
            for (int i = 0; i < 10; i++) {
                p.read(RATE / 10);
            }
        }

        assertThat(sleeps).isEmpty();
    }

    @Test
    void shouldPaceAnExpensiveQueryToTheWorkspacesRate() {
        // One second's worth at once, then 4 more seconds' worth of rows: 4 s of waiting.
        try (QueryBudget.Permit p = budget.acquire("ws_a")) {
            for (int i = 0; i < 50; i++) {
                p.read(100);
            }
        }

        assertThat(sleeps).hasSize(40).containsOnly(TimeUnit.MILLISECONDS.toNanos(100));
        assertThat(registry.get("delivery.metrics.api.query.paced").counter().count())
                .isCloseTo(4.0, within(1e-9));
        assertThat(registry.get("delivery.metrics.api.query.rows.read").counter().count())
                .isEqualTo(5_000.0);
    }

    @Test
    void shouldPaceRenderedPointsLikeRowsWithoutCountingThemAsRead() {
        // Half a second's worth read, then a second's worth rendered: half a second of waiting.
        try (QueryBudget.Permit p = budget.acquire("ws_a")) {
            p.read(RATE / 2);
            p.rendered(RATE);
        }

        assertThat(sleeps).containsExactly(TimeUnit.MILLISECONDS.toNanos(500));
        assertThat(registry.get("delivery.metrics.api.query.rows.read").counter().count())
                .isEqualTo(RATE / 2.0);
    }

    @Test
    void shouldShareOneAllowanceBetweenAWorkspacesConcurrentQueries() {
        try (QueryBudget.Permit first = budget.acquire("ws_a");
                QueryBudget.Permit second = budget.acquire("ws_a")) {
            first.read(RATE);
            second.read(RATE / 2);
        }

        assertThat(sleeps).containsExactly(TimeUnit.MILLISECONDS.toNanos(500));
    }

    @Test
    void shouldNotPaceAnotherWorkspaceForOnesDebt() {
        try (QueryBudget.Permit noisy = budget.acquire("ws_noisy")) {
            noisy.read(10L * RATE);
            sleeps.clear();
            try (QueryBudget.Permit quiet = budget.acquire("ws_quiet")) {
                quiet.read(RATE / 2);
            }
        }

        assertThat(sleeps).isEmpty();
    }

    @Test
    void shouldRefuseAQueryBeyondTheConcurrencyBudgetAndAdmitItOnceOneEnds() {
        QueryBudget.Permit first = budget.acquire("ws_a");
        try (QueryBudget.Permit second = budget.acquire("ws_a")) {
            assertThatThrownBy(() -> budget.acquire("ws_a"))
                    .isInstanceOfSatisfying(
                            ApiProblem.class,
                            e -> {
                                assertThat(e.status()).isEqualTo(429);
                                assertThat(e.type()).isEqualTo(QueryBudget.PROBLEM_TYPE);
                            });
            assertThat(budget.acquire("ws_b")).isNotNull();
        }
        first.close();
        first.close(); // a second close gives nothing back twice

        try (QueryBudget.Permit again = budget.acquire("ws_a");
                QueryBudget.Permit andAgain = budget.acquire("ws_a")) {
            assertThat(again).isNotSameAs(andAgain);
        }
    }

    @Test
    void shouldForgetAWorkspaceOnceItsQueriesEndedAndItsAllowanceIsFullAgain() {
        try (QueryBudget.Permit p = budget.acquire("ws_a")) {
            p.read(RATE / 2);
        }
        assertThat(budget.tracked()).isEqualTo(1);

        now += TimeUnit.SECONDS.toNanos(1);
        try (QueryBudget.Permit p = budget.acquire("ws_a")) {
            p.read(0);
        }

        assertThat(budget.tracked()).isZero();
    }

    @Test
    void shouldLetAWorkspacesQueriesTakeTurnsAtEveryChunk() throws Exception {
        QueryBudget budget = budget(1);
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        QueryBudget.Permit first = budget.acquire("ws_a");
        Thread other =
                new Thread(
                        () -> {
                            try (QueryBudget.Permit second = budget.acquire("ws_a")) {
                                order.add("second reads");
                                // Until the first query queues for the turn, nobody waits for it.
                                while (budget.waitingForTurn("ws_a") == 0) {
                                    Thread.onSpinWait();
                                }
                                second.read(1);
                                order.add("second reads again");
                            }
                        });
        other.start();
        while (budget.waitingForTurn("ws_a") == 0) {
            Thread.onSpinWait();
        }

        order.add("first reads");
        first.read(1); // hands the turn to the second query, gets it back when that one reads
        order.add("first reads again");
        first.close();
        other.join();

        assertThat(order)
                .containsExactly(
                        "first reads", "second reads", "first reads again", "second reads again");
    }

    @Test
    void shouldNotMakeAnotherWorkspaceWaitForTheTurn() throws Exception {
        QueryBudget budget = budget(1);
        try (QueryBudget.Permit noisy = budget.acquire("ws_noisy")) {
            noisy.read(RATE / 2);
            // Another workspace's query, on another thread, runs to its end while this one keeps
            // its turn; the bound only stops a broken build from hanging.
            CompletableFuture.runAsync(
                            () -> {
                                try (QueryBudget.Permit quiet = budget.acquire("ws_quiet")) {
                                    quiet.read(RATE / 2);
                                }
                            })
                    .get(1, TimeUnit.MINUTES);
            assertThat(budget.waitingForTurn("ws_quiet")).isZero();
        }
    }
}
