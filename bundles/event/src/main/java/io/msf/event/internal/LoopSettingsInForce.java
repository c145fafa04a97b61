package io.msf.event.internal;

import org.osgi.service.component.annotations.Component;

/**
 * The settings the event-loop groups last started with. A change of {@code msf.event} replaces
 * {@link EventLoopGroups} (SCR re-activates it); a change it refuses (a negative thread count set
 * through Config Admin past the config gate, {@code transport = epoll} where epoll does not load)
 * must not leave the container without event loops, so the new instance starts the groups again
 * with these. Immediate, so that it outlives those re-activations; a service of this bundle only.
 */
@Component(service = LoopSettingsInForce.class, immediate = true)
public final class LoopSettingsInForce {

    private volatile LoopSettings settings;

    /** The settings last started with, or null before the first start. */
    LoopSettings get() {
        return settings;
    }

    void set(LoopSettings started) {
        settings = started;
    }
}
