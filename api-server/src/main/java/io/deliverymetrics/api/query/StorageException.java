package io.deliverymetrics.api.query;

/** Reading a shard failed; {@link #unavailable()} tells a lost connection from other errors. */
public final class StorageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final boolean unavailable;

    public StorageException(String message, Throwable cause, boolean unavailable) {
        super(message, cause);
        this.unavailable = unavailable;
    }

    /** Whether the shard could not be reached (retrying later may help). */
    public boolean unavailable() {
        return unavailable;
    }
}
