package io.msf.net.internal;

import io.msf.problems.ProblemMarker;
import io.msf.problems.Problems;
import java.util.Map;
import org.osgi.framework.BundleContext;

/**
 * Why a configured endpoint does not serve, published as the service property
 * {@value Problems#PROPERTY} for as long as it lasts: the operator configured it to serve, so the
 * launcher's ready report, msf:health and /health (503) show it, not only net:list. What is wrong while
 * it serves (a TLS server's rotated stores that cannot be used) is published as {@value Problems#WARNINGS}
 * the same way: msf:health and /health show it WARN (still 200). The marker ({@link ProblemMarker}) carries
 * the endpoint's name and configuration PID to find it by. Used under the configured endpoint's lock.
 */
final class EndpointProblem {

    /** Service property: the endpoint's name. */
    static final String ENDPOINT = "msf.net.endpoint";
    /** Service property: the PID of its configuration. */
    static final String CONFIGURATION = "msf.net.configuration";

    private final ProblemMarker marker;
    private final String pid;
    private String problem;
    private String warning;

    EndpointProblem(BundleContext context, String pid) {
        this.marker = new ProblemMarker(context);
        this.pid = pid;
    }

    /** Shows {@code problem} (why, without naming the endpoint) of the endpoint {@code name}, or nothing if it is null. */
    void show(String name, String problem) {
        this.problem = problem == null ? null : named(name) + " does not serve: " + problem;
        publish(name);
    }

    /** Shows {@code warning} (what is wrong while it serves, after the endpoint's name), or nothing if it is null. */
    void warn(String name, String warning) {
        this.warning = warning == null ? null : named(name) + " " + warning;
        publish(name);
    }

    private String named(String name) {
        return "endpoint '" + name + "' (" + pid + ")";
    }

    /** A rename changes the marker's properties, whatever the texts (no name yet: an activation that failed early). */
    private void publish(String name) {
        marker.publish(problem, warning,
                name == null ? Map.of(CONFIGURATION, pid) : Map.of(ENDPOINT, name, CONFIGURATION, pid));
    }
}
