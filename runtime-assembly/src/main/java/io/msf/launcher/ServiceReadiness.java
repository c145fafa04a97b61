package io.msf.launcher;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;

/**
 * Waits until a service is registered under each of a list of interface names.
 *
 * <p>Services are matched by their {@code objectClass} name, not by {@code Class}: the launcher
 * lives outside the framework and must not load (or pin) any bundle's API classes. The trackers
 * never get the service objects, so waiting does not activate delayed DS components.
 *
 * <p>The count per name is kept here rather than read back from the trackers because a tracker
 * adds a service to its own map only after its customizer returns; a waiter woken from the
 * customizer would otherwise still see it missing.
 */
final class ServiceReadiness implements AutoCloseable {

    private final Map<String, ServiceTracker<Object, ServiceReference<Object>>> trackers = new LinkedHashMap<>();
    private final Map<String, Integer> registered = new LinkedHashMap<>();

    /**
     * Starts tracking {@code serviceNames} in {@code context}.
     *
     * @throws IllegalArgumentException a name cannot be used in a filter
     */
    ServiceReadiness(BundleContext context, List<String> serviceNames) {
        for (String name : serviceNames) {
            registered.put(name, 0);
            try {
                ServiceTracker<Object, ServiceReference<Object>> tracker = new ServiceTracker<>(context,
                        context.createFilter("(objectClass=" + name + ")"), new Counting(name));
                trackers.put(name, tracker);
            } catch (InvalidSyntaxException e) {
                throw new IllegalArgumentException("'" + name + "' is not a service interface name", e);
            }
        }
        trackers.values().forEach(ServiceTracker::open);
    }

    /** @return the names without a registered service right now, in the order given */
    synchronized List<String> missing() {
        return registered.entrySet().stream()
                .filter(entry -> entry.getValue() == 0)
                .map(Map.Entry::getKey)
                .toList();
    }

    /**
     * Blocks until every name has a service or {@code timeout} has passed.
     *
     * @return the names still missing; empty means ready
     */
    synchronized List<String> await(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> missing = missing();
        while (!missing.isEmpty()) {
            long remainingMillis = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
            if (remainingMillis <= 0) {
                break;
            }
            wait(remainingMillis);
            missing = missing();
        }
        return missing;
    }

    @Override
    public void close() {
        trackers.values().forEach(ServiceTracker::close);
    }

    private synchronized void count(String name, int delta) {
        registered.merge(name, delta, Integer::sum);
        notifyAll();
    }

    /** Tracks references only; see the class comment for why the count lives outside the tracker. */
    private final class Counting implements ServiceTrackerCustomizer<Object, ServiceReference<Object>> {
        private final String name;

        Counting(String name) {
            this.name = name;
        }

        @Override
        public ServiceReference<Object> addingService(ServiceReference<Object> reference) {
            count(name, +1);
            return reference;
        }

        @Override
        public void modifiedService(ServiceReference<Object> reference, ServiceReference<Object> tracked) {
            // properties do not matter for readiness
        }

        @Override
        public void removedService(ServiceReference<Object> reference, ServiceReference<Object> tracked) {
            count(name, -1);
        }
    }
}
