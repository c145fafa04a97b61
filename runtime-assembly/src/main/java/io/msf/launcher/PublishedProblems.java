package io.msf.launcher;

import io.msf.problems.Problems;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * The problems bundles publish as the service property {@value Problems#PROPERTY} (the agent's listeners,
 * the network's configured endpoints: a port taken by another process, a socket path that cannot be
 * used), one line each, naming the bundle. Read from the properties alone, with msf-problems from the
 * launcher's class path: the launcher loads no bundle's classes.
 */
final class PublishedProblems {

    private PublishedProblems() {
    }

    /** Every problem published now, by bundle (in the order they were installed), then in the order given. */
    static List<String> of(BundleContext context) {
        ServiceReference<?>[] references;
        try {
            references = context.getAllServiceReferences(null, "(" + Problems.PROPERTY + "=*)");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e); // a constant filter
        }
        if (references == null) {
            return List.of();
        }
        List<ServiceReference<?>> sorted = new ArrayList<>(Arrays.asList(references));
        sorted.sort(Comparator.comparingLong(reference -> bundleId(reference)));
        List<String> lines = new ArrayList<>();
        for (ServiceReference<?> reference : sorted) {
            Bundle bundle = reference.getBundle();
            if (bundle == null) {
                continue; // unregistered meanwhile
            }
            for (String problem : Problems.texts(reference.getProperty(Problems.PROPERTY))) {
                lines.add(bundle.getSymbolicName() + ": " + problem);
            }
        }
        return lines;
    }

    private static long bundleId(ServiceReference<?> reference) {
        Bundle bundle = reference.getBundle();
        return bundle == null ? Long.MAX_VALUE : bundle.getBundleId();
    }
}
