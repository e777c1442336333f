package io.deliverymetrics.bench.isolation;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Responses of one measured window by kind: answered (200), refused by the query budget (429 {@code
 * too-many-concurrent-queries}), and anything else, kept by status and problem type.
 *
 * @param byKind responses per kind, in status order; kinds without responses left out
 */
public record StatusCounts(SortedMap<ResponseKind, Long> byKind) {

    public StatusCounts {
        TreeMap<ResponseKind, Long> copy = new TreeMap<>();
        for (Map.Entry<ResponseKind, Long> e : byKind.entrySet()) {
            if (e.getValue() < 0) {
                throw new IllegalArgumentException(
                        "negative count " + e.getValue() + " for " + e.getKey().label());
            }
            if (e.getValue() > 0) {
                copy.put(e.getKey(), e.getValue());
            }
        }
        byKind = Collections.unmodifiableSortedMap(copy);
    }

    public static StatusCounts of(Map<ResponseKind, Long> counts) {
        return new StatusCounts(new TreeMap<>(counts));
    }

    public long total() {
        return byKind.values().stream().mapToLong(Long::longValue).sum();
    }

    public long count(ResponseKind kind) {
        return byKind.getOrDefault(kind, 0L);
    }

    /** Responses with {@code status}, of any problem type. */
    public long withStatus(int status) {
        return byKind.entrySet().stream()
                .filter(e -> e.getKey().status() == status)
                .mapToLong(Map.Entry::getValue)
                .sum();
    }

    /** 200 responses. */
    public long answered() {
        return count(ResponseKind.OK);
    }

    /** 429 responses of the query budget. */
    public long refusedByBudget() {
        return count(ResponseKind.BUDGET_REFUSAL);
    }

    /** Responses that are neither 200 nor the budget's 429. */
    public long other() {
        return total() - answered() - refusedByBudget();
    }

    /**
     * E.g. {@code 200: 52, 429 too-many-concurrent-queries: 1,800}; {@code no responses} when
     * empty.
     */
    public String describe() {
        if (byKind.isEmpty()) {
            return "no responses";
        }
        return byKind.entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s: %,d", e.getKey().label(), e.getValue()))
                .collect(Collectors.joining(", "));
    }
}
