package io.msf.monitor.internal.health;

import io.msf.monitor.api.HealthCheck;
import io.msf.problems.Problems;
import java.util.ArrayList;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The problems bundles publish as the service property {@value Problems#PROPERTY}, whatever the service's
 * type (the agent's listeners: a port taken by another process): read from the properties, so the
 * monitor needs none of the publishers' packages. A problem is the service's DOWN in msf:health and
 * /health, as the launcher lists it after its ready line.
 */
public final class PublishedProblems implements AutoCloseable {

    /** The problems of one registration: the service they are about ({@link HealthCheck#SERVICE} or the bundle's name). */
    public record Published(String service, long bundleId, List<String> problems) {
    }

    private final ServiceTracker<Object, Object> tracker;

    public PublishedProblems(BundleContext context) {
        try {
            tracker = new ServiceTracker<>(context, context.createFilter("(" + Problems.PROPERTY + "=*)"), null);
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
            List<String> problems = Problems.texts(reference.getProperty(Problems.PROPERTY));
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
}
