package io.deliverymetrics.bench.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the scrape benchmark: one workspace's delivery totals exposed to Prometheus.
 *
 * @param pairs pairs of the scraped workspace, one {@code delivery_totals} row each
 * @param warmupScrapes unmeasured scrapes of each exposition first (the server's JIT warm-up)
 * @param scrapes measured sequential scrapes of each exposition
 * @param maxMeasured the measured scrapes of one exposition stop early after this long
 * @param goalP99 the workspace scrape's p99 the report compares with
 */
public record ScrapeSettings(
        int pairs, int warmupScrapes, int scrapes, Duration maxMeasured, Duration goalP99) {

    public ScrapeSettings {
        if (pairs < 1 || warmupScrapes < 0 || scrapes < 1) {
            throw new IllegalArgumentException(
                    "scrape needs >= 1 pair and >= 1 measured scrape, was "
                            + pairs
                            + " and "
                            + scrapes);
        }
        Objects.requireNonNull(maxMeasured, "maxMeasured");
        Objects.requireNonNull(goalP99, "goalP99");
    }

    /**
     * 10,000 pairs, 40 warm-up and 200 measured scrapes per exposition, the measured ones cut at 40
     * s: a 10,000-pair body is about 32 MB of text. A server scraped every 15 s has long compiled
     * the writer's paths; 10 warm-up scrapes left the first measured ones to the JIT.
     */
    public static ScrapeSettings full() {
        return new ScrapeSettings(10_000, 40, 200, Duration.ofSeconds(40), Duration.ofSeconds(1));
    }

    /** 200 pairs, 3 warm-up and 20 measured scrapes. */
    public static ScrapeSettings smoke() {
        return new ScrapeSettings(200, 3, 20, Duration.ofSeconds(10), Duration.ofSeconds(1));
    }
}
