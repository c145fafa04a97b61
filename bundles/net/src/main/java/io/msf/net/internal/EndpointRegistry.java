package io.msf.net.internal;

import io.msf.net.api.EndpointInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import org.osgi.framework.Bundle;
import org.osgi.service.component.annotations.Component;

/**
 * Every endpoint in the container, whichever bundle opened it and whether from code or from
 * configuration, so that any bundle's {@code endpoints()} lists them all. Immediate: the list must
 * not be lost when no bundle happens to hold the network service.
 */
@Component(service = EndpointRegistry.class, immediate = true)
public final class EndpointRegistry {

    private static final Comparator<EndpointInfo> ORDER =
            Comparator.comparing(EndpointInfo::owner).thenComparing(EndpointInfo::name);

    private final ConcurrentMap<String, Supplier<EndpointInfo>> entries = new ConcurrentHashMap<>();
    /** What runs when a name in use is free again (see {@link #whenFree}), by key. */
    private final ConcurrentMap<String, List<Runnable>> waiting = new ConcurrentHashMap<>();

    /** Removes an entry; idempotent. */
    interface Registration {
        void remove();
    }

    /**
     * Lists an endpoint until its registration is removed.
     *
     * @throws IllegalArgumentException if the owner already has an endpoint of that name
     */
    Registration register(Bundle owner, String name, Supplier<EndpointInfo> info) {
        String key = key(owner, name);
        if (entries.putIfAbsent(key, info) != null) {
            throw new IllegalArgumentException(
                    "bundle " + owner.getSymbolicName() + " already has an endpoint named '" + name + "'");
        }
        return () -> {
            if (entries.remove(key, info)) {
                freed(key);
            }
        };
    }

    /**
     * Runs {@code freed} once, when the owner's endpoint of that name is removed, on the thread that
     * removes it.
     *
     * @return cancels the wait (idempotent); null if there is no such endpoint (any more), and
     *     {@code freed} will not run
     */
    Registration whenFree(Bundle owner, String name, Runnable freed) {
        String key = key(owner, name);
        waiting.compute(key, (k, waiters) -> {
            List<Runnable> all = waiters != null ? waiters : new CopyOnWriteArrayList<>();
            all.add(freed);
            return all;
        });
        Registration cancel = () -> remove(key, freed);
        // Removed since the caller was refused: unless that removal took freed along, nobody will run it.
        return entries.containsKey(key) || !remove(key, freed) ? cancel : null;
    }

    /** Whether {@code freed} was still waiting. */
    private boolean remove(String key, Runnable freed) {
        boolean[] removed = {false};
        waiting.computeIfPresent(key, (k, waiters) -> {
            removed[0] = waiters.remove(freed);
            return waiters.isEmpty() ? null : waiters;
        });
        return removed[0];
    }

    private void freed(String key) {
        List<Runnable> waiters = waiting.remove(key);
        if (waiters != null) {
            waiters.forEach(Runnable::run);
        }
    }

    boolean contains(Bundle owner, String name) {
        return entries.containsKey(key(owner, name));
    }

    List<EndpointInfo> endpoints() {
        List<EndpointInfo> infos = new ArrayList<>(entries.size());
        for (Supplier<EndpointInfo> entry : entries.values()) {
            infos.add(entry.get());
        }
        infos.sort(ORDER);
        return infos;
    }

    /** By bundle id: two versions of one bundle may both be running. */
    private static String key(Bundle owner, String name) {
        return owner.getBundleId() + "/" + name;
    }
}
