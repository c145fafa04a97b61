package io.msf.net.internal;

import io.msf.problems.Problems;
import java.util.Dictionary;
import java.util.Hashtable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * Why a configured endpoint does not serve, published as the service property
 * {@value Problems#PROPERTY} for as long as it lasts: the operator configured it to serve, so the
 * launcher's ready report, msf:health and /health (503) show it, not only net:list. The service is a
 * bare marker (registered as {@code java.lang.Object}): readers go by the property and the bundle, and
 * it carries the endpoint's name and configuration PID to find it by. Used under the configured
 * endpoint's lock.
 */
final class EndpointProblem {

    /** Service property: the endpoint's name. */
    static final String ENDPOINT = "msf.net.endpoint";
    /** Service property: the PID of its configuration. */
    static final String CONFIGURATION = "msf.net.configuration";

    private final BundleContext context;
    private final String pid;
    private ServiceRegistration<?> registration;
    private String shown;

    EndpointProblem(BundleContext context, String pid) {
        this.context = context;
        this.pid = pid;
    }

    /** Shows {@code problem} (why, without naming the endpoint) of the endpoint {@code name}, or nothing if it is null. */
    void show(String name, String problem) {
        String text = problem == null ? null : "endpoint '" + name + "' (" + pid + ") does not serve: " + problem;
        if (text == null ? shown == null : text.equals(shown)) {
            return;
        }
        shown = text;
        try {
            if (text == null) {
                if (registration != null) {
                    registration.unregister();
                }
                registration = null;
            } else if (registration == null) {
                registration = context.registerService(Object.class.getName(), new Object(), properties(name, text));
            } else {
                registration.setProperties(properties(name, text));
            }
        } catch (IllegalStateException e) {
            // the bundle is stopping: its services go with it
            registration = null;
        }
    }

    private Dictionary<String, Object> properties(String name, String text) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(Problems.PROPERTY, new String[] {text});
        properties.put(ENDPOINT, name);
        properties.put(CONFIGURATION, pid);
        return properties;
    }
}
