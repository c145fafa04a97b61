package io.msf.net.internal;

import io.msf.problems.Problems;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Objects;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * Why a configured endpoint does not serve, published as the service property
 * {@value Problems#PROPERTY} for as long as it lasts: the operator configured it to serve, so the
 * launcher's ready report, msf:health and /health (503) show it, not only net:list. What is wrong while
 * it serves (a TLS server's rotated stores that cannot be used) is published as {@value Problems#WARNINGS}
 * the same way: msf:health and /health show it WARN (still 200). The service is a bare marker (registered
 * as {@code java.lang.Object}), there while either is: readers go by the properties and the bundle, and it
 * carries the endpoint's name and configuration PID to find it by. Used under the configured endpoint's lock.
 */
final class EndpointProblem {

    /** Service property: the endpoint's name. */
    static final String ENDPOINT = "msf.net.endpoint";
    /** Service property: the PID of its configuration. */
    static final String CONFIGURATION = "msf.net.configuration";

    private final BundleContext context;
    private final String pid;
    private ServiceRegistration<?> registration;
    /** The endpoint's name as published (a rename changes the property, whatever the texts). */
    private String name;
    private String problem;
    private String warning;

    EndpointProblem(BundleContext context, String pid) {
        this.context = context;
        this.pid = pid;
    }

    /** Shows {@code problem} (why, without naming the endpoint) of the endpoint {@code name}, or nothing if it is null. */
    void show(String name, String problem) {
        publish(name, problem == null ? null : named(name) + " does not serve: " + problem, warning);
    }

    /** Shows {@code warning} (what is wrong while it serves, after the endpoint's name), or nothing if it is null. */
    void warn(String name, String warning) {
        publish(name, problem, warning == null ? null : named(name) + " " + warning);
    }

    private String named(String name) {
        return "endpoint '" + name + "' (" + pid + ")";
    }

    private void publish(String name, String problem, String warning) {
        if (Objects.equals(problem, this.problem) && Objects.equals(warning, this.warning)
                && Objects.equals(name, this.name)) {
            return;
        }
        this.name = name;
        this.problem = problem;
        this.warning = warning;
        try {
            if (problem == null && warning == null) {
                if (registration != null) {
                    registration.unregister();
                }
                registration = null;
            } else if (registration == null) {
                registration = context.registerService(Object.class.getName(), new Object(), properties(name));
            } else {
                registration.setProperties(properties(name));
            }
        } catch (IllegalStateException e) {
            // the bundle is stopping: its services go with it
            registration = null;
        }
    }

    private Dictionary<String, Object> properties(String name) {
        Hashtable<String, Object> properties = new Hashtable<>();
        if (problem != null) {
            properties.put(Problems.PROPERTY, new String[] {problem});
        }
        if (warning != null) {
            properties.put(Problems.WARNINGS, new String[] {warning});
        }
        properties.put(ENDPOINT, name);
        properties.put(CONFIGURATION, pid);
        return properties;
    }
}
