package io.msf.net.internal;

import io.msf.net.api.EndpointInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
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
        return () -> entries.remove(key, info);
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
