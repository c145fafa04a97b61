package io.msf.event.internal;

import org.osgi.service.component.annotations.Component;

/**
 * The settings the event-loop groups run with. A change of {@code msf.event} is compared with them
 * ({@link EventLoopGroups#modified}) to swap only the groups it changes. When SCR re-activates
 * {@link EventLoopGroups} (a service it references came back) with a configuration it refuses (a
 * negative thread count set through Config Admin past the config gate, {@code transport = epoll}
 * where epoll does not load), the new instance starts the groups with these rather than leave the
 * container without event loops. Immediate, so that it outlives those re-activations; a service of
 * this bundle only.
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
