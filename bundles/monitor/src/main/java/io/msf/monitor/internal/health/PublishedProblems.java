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
 * type (the agent's listeners: a port taken by another process), and the warnings they publish as
 * {@value Problems#WARNINGS} (a TLS server that serves with its old key, its rotated stores unusable): read
 * from the properties, so the monitor needs none of the publishers' packages. A problem is the service's
 * DOWN in msf:health and /health, as the launcher lists it after its ready line; a warning its WARN.
 */
public final class PublishedProblems implements AutoCloseable {

    /**
     * The problems and warnings of one registration: the service they are about ({@link HealthCheck#SERVICE}
     * or the bundle's name).
     */
    public record Published(String service, long bundleId, List<String> problems, List<String> warnings) {
    }

    private final ServiceTracker<Object, Object> tracker;

    public PublishedProblems(BundleContext context) {
        try {
            tracker = new ServiceTracker<>(context, context.createFilter(
                    "(|(" + Problems.PROPERTY + "=*)(" + Problems.WARNINGS + "=*))"), null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e); // a constant filter
        }
        tracker.open(true);
    }

    /** Each registration with at least one problem or warning now. */
    public List<Published> now() {
        ServiceReference<Object>[] references = tracker.getServiceReferences();
        if (references == null) {
            return List.of();
        }
        List<Published> all = new ArrayList<>();
        for (ServiceReference<Object> reference : references) {
            Bundle bundle = reference.getBundle();
            List<String> problems = Problems.texts(reference.getProperty(Problems.PROPERTY));
            List<String> warnings = Problems.texts(reference.getProperty(Problems.WARNINGS));
            if (bundle != null && !(problems.isEmpty() && warnings.isEmpty())) {
                Object service = reference.getProperty(HealthCheck.SERVICE);
                all.add(new Published(service == null || service.toString().isBlank() ? bundle.getSymbolicName()
                        : service.toString(), bundle.getBundleId(), problems, warnings));
            }
        }
        return all;
    }

    @Override
    public void close() {
        tracker.close();
    }
}
