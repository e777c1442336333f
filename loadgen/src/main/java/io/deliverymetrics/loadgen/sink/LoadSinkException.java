package io.deliverymetrics.loadgen.sink;

/** A record could not be written; the run must stop because the truth would be wrong. */
public class LoadSinkException extends RuntimeException {

    public LoadSinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
