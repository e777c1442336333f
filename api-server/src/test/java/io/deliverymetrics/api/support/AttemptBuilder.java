package io.deliverymetrics.api.support;

import io.deliverymetrics.core.model.DeliveryAttempt;
import io.deliverymetrics.core.model.Outcome;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** Test data: {@code anAttempt().pair("ws", "src", "dst").at(t).latencyMs(120).delivered()}. */
public final class AttemptBuilder {

    private static final AtomicLong SEQUENCE = new AtomicLong();

    private String workspace = "ws_test";
    private String source = "src_web";
    private String destination = "dst_amp";
    private int attempt = 1;
    private String errorCode;
    private Instant completedAt = Instant.parse("2026-11-26T11:00:00Z");
    private long latencyMs = 100;

    private AttemptBuilder() {}

    public static AttemptBuilder anAttempt() {
        return new AttemptBuilder();
    }

    public AttemptBuilder pair(String ws, String src, String dst) {
        this.workspace = ws;
        this.source = src;
        this.destination = dst;
        return this;
    }

    public AttemptBuilder at(Instant t) {
        this.completedAt = t;
        return this;
    }

    public AttemptBuilder attempt(int n) {
        this.attempt = n;
        return this;
    }

    public AttemptBuilder latencyMs(long ms) {
        this.latencyMs = ms;
        return this;
    }

    public AttemptBuilder errorCode(String code) {
        this.errorCode = code;
        return this;
    }

    public DeliveryAttempt delivered() {
        return build(Outcome.DELIVERED);
    }

    public DeliveryAttempt outcome(Outcome o) {
        return build(o);
    }

    private DeliveryAttempt build(Outcome o) {
        return new DeliveryAttempt(
                workspace,
                source,
                destination,
                "evt_" + nextId(),
                attempt,
                o,
                o.isFailure() ? errorCode : null,
                completedAt.minusMillis(latencyMs),
                completedAt);
    }

    private static long nextId() {
        return SEQUENCE.incrementAndGet();
    }
}
