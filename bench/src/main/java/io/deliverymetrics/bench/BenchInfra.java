package io.deliverymetrics.bench;

import io.deliverymetrics.infra.EmbeddedKafka;
import io.deliverymetrics.infra.EmbeddedMariaDb;
import io.deliverymetrics.infra.UniqueNames;
import java.util.Objects;

/**
 * The broker and database server every benchmark of one suite run shares, and unique names so that
 * benchmarks never see each other's topics or databases.
 */
public record BenchInfra(EmbeddedKafka kafka, EmbeddedMariaDb db, UniqueNames names) {

    public BenchInfra {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(db, "db");
        Objects.requireNonNull(names, "names");
    }
}
