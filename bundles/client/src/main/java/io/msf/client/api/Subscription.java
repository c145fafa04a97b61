package io.msf.client.api;

import org.osgi.annotation.versioning.ProviderType;

/** One subscription to a topic pattern; closing it unsubscribes. */
@ProviderType
public interface Subscription extends AutoCloseable {

    /** The pattern subscribed to. */
    String pattern();

    /**
     * Unsubscribes. A publication the listener is being given on another thread at this moment may
     * still reach it; no later one does. Closing twice does nothing.
     */
    @Override
    void close();
}
