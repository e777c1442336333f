package io.deliverymetrics.datadog.forward;

import java.time.Duration;
import java.util.Optional;

/**
 * The Delivery Metrics API answered with an error, an unreadable body, or not at all.
 *
 * @see #status()
 */
public final class SourceException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient Optional<Duration> retryAfter;

    public SourceException(
            int status, Optional<Duration> retryAfter, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.retryAfter = retryAfter;
    }

    /** The HTTP status; 0 when there was no answer. */
    public int status() {
        return status;
    }

    /** The API's {@code Retry-After}, on 429 and 503. */
    public Optional<Duration> retryAfter() {
        return retryAfter;
    }
}
