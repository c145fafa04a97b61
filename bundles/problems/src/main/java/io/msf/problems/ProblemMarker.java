package io.msf.problems;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.Objects;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * A bundle's problem and warning about one thing it was configured to serve, published as the service
 * properties {@value Problems#PROPERTY} and {@value Problems#WARNINGS} for as long as either lasts: a bare
 * marker service (registered as {@code java.lang.Object}), there while either is, carrying besides them the
 * properties the thing is found by (its name, its configuration's PID). Readers go by the properties and
 * the bundle, so they load none of the publisher's classes.
 *
 * <p>Thread-safe. Publishing the same texts again changes nothing (no service event); a bundle that is
 * stopping has its services unregistered by the framework, so a publish then is left at that.
 */
public final class ProblemMarker {

    private final BundleContext context;
    private ServiceRegistration<?> registration;
    private String problem;
    private String warning;
    private Map<String, Object> identity = Map.of();

    public ProblemMarker(BundleContext context) {
        this.context = context;
    }

    /**
     * Publishes {@code problem} and {@code warning} (each null while there is none) with the {@code identity}
     * properties, or unregisters the marker if both are null.
     */
    public synchronized void publish(String problem, String warning, Map<String, Object> identity) {
        if (Objects.equals(problem, this.problem) && Objects.equals(warning, this.warning)
                && identity.equals(this.identity)) {
            return;
        }
        this.problem = problem;
        this.warning = warning;
        this.identity = Map.copyOf(identity);
        try {
            if (problem == null && warning == null) {
                if (registration != null) {
                    registration.unregister();
                }
                registration = null;
            } else if (registration == null) {
                registration = context.registerService(Object.class.getName(), new Object(), properties());
            } else {
                registration.setProperties(properties());
            }
        } catch (IllegalStateException e) {
            // the bundle is stopping: its services go with it
            registration = null;
        }
    }

    /** Publishes {@code problem} alone (null: none, the marker goes), with no properties besides. */
    public void publish(String problem) {
        publish(problem, null, Map.of());
    }

    private Dictionary<String, Object> properties() {
        Hashtable<String, Object> properties = new Hashtable<>(identity);
        if (problem != null) {
            properties.put(Problems.PROPERTY, new String[] {problem});
        }
        if (warning != null) {
            properties.put(Problems.WARNINGS, new String[] {warning});
        }
        return properties;
    }
}
