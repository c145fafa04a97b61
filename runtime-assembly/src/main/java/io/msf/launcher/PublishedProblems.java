package io.msf.launcher;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * The problems bundles publish as the service property {@value #PROBLEMS} (the agent's listeners: a
 * port taken by another process, a socket path that cannot be used), one line each, naming the
 * bundle. Read from the properties alone: the launcher loads no bundle's classes.
 */
final class PublishedProblems {

    /** io.msf.agent.api.AgentListeners.PROBLEMS. */
    static final String PROBLEMS = "msf.problems";

    private PublishedProblems() {
    }

    /** Every problem published now, by bundle (in the order they were installed), then in the order given. */
    static List<String> of(BundleContext context) {
        ServiceReference<?>[] references;
        try {
            references = context.getAllServiceReferences(null, "(" + PROBLEMS + "=*)");
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
            for (String problem : texts(reference.getProperty(PROBLEMS))) {
                lines.add(bundle.getSymbolicName() + ": " + problem);
            }
        }
        return lines;
    }

    private static long bundleId(ServiceReference<?> reference) {
        Bundle bundle = reference.getBundle();
        return bundle == null ? Long.MAX_VALUE : bundle.getBundleId();
    }

    /** A String, an array or a collection of them, as service properties may be given. */
    private static List<String> texts(Object value) {
        if (value instanceof String text) {
            return text.isBlank() ? List.of() : List.of(text);
        }
        List<String> texts = new ArrayList<>();
        if (value instanceof Object[] array) {
            Arrays.stream(array).map(String::valueOf).filter(text -> !text.isBlank()).forEach(texts::add);
        } else if (value instanceof Collection<?> collection) {
            collection.stream().map(String::valueOf).filter(text -> !text.isBlank()).forEach(texts::add);
        }
        return texts;
    }
}
