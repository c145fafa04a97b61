package io.msf.monitor.internal.health;

import io.msf.monitor.api.HealthCheck;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The problems bundles publish as the service property {@value #PROBLEMS}, whatever the service's
 * type (the agent's listeners: a port taken by another process): read from the properties, so the
 * monitor needs none of the publishers' packages. A problem is the service's DOWN in msf:health and
 * /health, as the launcher lists it after its ready line.
 */
public final class PublishedProblems implements AutoCloseable {

    /** io.msf.agent.api.AgentListeners.PROBLEMS. */
    public static final String PROBLEMS = "msf.problems";

    /** The problems of one registration: the service they are about ({@link HealthCheck#SERVICE} or the bundle's name). */
    public record Published(String service, long bundleId, List<String> problems) {
    }

    private final ServiceTracker<Object, Object> tracker;

    public PublishedProblems(BundleContext context) {
        try {
            tracker = new ServiceTracker<>(context, context.createFilter("(" + PROBLEMS + "=*)"), null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e); // a constant filter
        }
        tracker.open(true);
    }

    /** Each registration with at least one problem now. */
    public List<Published> now() {
        ServiceReference<Object>[] references = tracker.getServiceReferences();
        if (references == null) {
            return List.of();
        }
        List<Published> all = new ArrayList<>();
        for (ServiceReference<Object> reference : references) {
            Bundle bundle = reference.getBundle();
            List<String> problems = texts(reference.getProperty(PROBLEMS));
            if (bundle != null && !problems.isEmpty()) {
                Object service = reference.getProperty(HealthCheck.SERVICE);
                all.add(new Published(service == null || service.toString().isBlank() ? bundle.getSymbolicName()
                        : service.toString(), bundle.getBundleId(), problems));
            }
        }
        return all;
    }

    @Override
    public void close() {
        tracker.close();
    }

    /** A String, an array or a collection of them, as service properties may be given. */
    static List<String> texts(Object value) {
        List<Object> values = value instanceof Object[] array ? Arrays.asList(array)
                : value instanceof Collection<?> collection ? List.copyOf(collection)
                : value == null ? List.of() : List.of(value);
        return values.stream().map(String::valueOf).filter(text -> !text.isBlank()).toList();
    }
}
