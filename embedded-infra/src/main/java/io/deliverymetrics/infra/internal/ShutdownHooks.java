package io.deliverymetrics.infra.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Registers and removes the JVM shutdown hooks that clean up after an embedded server. */
public final class ShutdownHooks {

    private static final Logger LOG = LoggerFactory.getLogger(ShutdownHooks.class);

    private ShutdownHooks() {}

    /** Runs {@code action} when the JVM exits; returns the hook so that close can remove it. */
    public static Thread register(String name, Runnable action) {
        Thread hook = new Thread(action, name);
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    /** Removes a hook after an orderly close; during JVM shutdown the hook stays and runs. */
    public static void remove(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down; the hook will run and find nothing left to do.
            LOG.debug("JVM shutdown in progress, leaving hook {} registered", hook.getName(), e);
        }
    }
}
