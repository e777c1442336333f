package io.deliverymetrics.datadog.forward;

import java.util.List;
import java.util.Map;

/**
 * The intake refused a request or did not answer; {@link #retryable()} says whether to try again.
 */
public final class SubmitException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient Map<String, List<String>> headers;

    public SubmitException(
            int status, Map<String, List<String>> headers, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    /** The HTTP status; 0 when there was no answer (connection refused, timeout). */
    public int status() {
        return status;
    }

    public Map<String, List<String>> headers() {
        return headers;
    }

    /** No answer, 408, 429 and 5xx are worth another attempt; other statuses will not change. */
    public boolean retryable() {
        return status == 0 || status == 408 || status == 429 || status >= 500;
    }
}
