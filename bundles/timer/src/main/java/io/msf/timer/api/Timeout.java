package io.msf.timer.api;

import org.osgi.annotation.versioning.ProviderType;

/** A handle to a scheduled timer. */
@ProviderType
public interface Timeout {

    /**
     * Cancels the timer. A run already in progress completes; no later run starts.
     *
     * @return true if this call cancelled it, false if it had already fired (one-shot) or been
     *     cancelled
     */
    boolean cancel();

    boolean isCancelled();

    /** True once a one-shot timer has run; never true for a periodic timer. */
    boolean isExpired();
}
