package io.msf.config.internal;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * Finds the Metatype description of a PID among the installed bundles. Felix MetaType reads a
 * bundle's descriptions only once it is resolved; asking for an installed one lets the framework
 * try to resolve it first (as {@code Bundle.findEntries} does).
 */
final class MetatypeLookup implements Function<String, Optional<Description>> {

    private final BundleContext context;
    private final MetaTypeService metatype;
    private final MetatypeBounds bounds;
    /** Told why a bundle's own check ({@link OwnCheck}) could not be made. */
    private final Consumer<String> warnings;

    MetatypeLookup(BundleContext context, MetaTypeService metatype, Consumer<String> warnings) {
        this.context = context;
        this.metatype = metatype;
        this.warnings = warnings;
        this.bounds = new MetatypeBounds(this::installed);
    }

    @Override
    public Optional<Description> apply(String pid) {
        return firstDescribed((bundle, info) -> {
            boolean single = contains(info.getPids(), pid);
            if (!single && !contains(info.getFactoryPids(), pid)) {
                return null;
            }
            ObjectClassDefinition ocd = info.getObjectClassDefinition(pid, null);
            return new Description(pid, !single, ocd, bundle.getSymbolicName(), () -> bounds.of(bundle, pid),
                    OwnCheck.of(bundle, pid, SecretKeys.passwords(ocd), warnings));
        });
    }

    /** Every PID and factory PID the installed bundles describe: what a misspelt file name may have meant. */
    Set<String> describedPids() {
        Set<String> pids = new TreeSet<>();
        firstDescribed((bundle, info) -> {
            addAll(pids, info.getPids());
            addAll(pids, info.getFactoryPids());
            return null; // looks on: every bundle's PIDs are wanted
        });
        return pids;
    }

    /**
     * The first non-null answer of {@code look} for an installed bundle with a Metatype description, in
     * the framework's order of bundles.
     */
    private <T> Optional<T> firstDescribed(BiFunction<Bundle, MetaTypeInformation, T> look) {
        for (Bundle bundle : context.getBundles()) {
            try {
                MetaTypeInformation info = metatype.getMetaTypeInformation(bundle);
                T found = info == null ? null : look.apply(bundle, info);
                if (found != null) {
                    return Optional.of(found);
                }
            } catch (IllegalStateException | IllegalArgumentException e) {
                // uninstalled meanwhile, or a description that does not load: the bundle describes nothing
            }
        }
        return Optional.empty();
    }

    private static void addAll(Set<String> pids, String[] more) {
        if (more != null) {
            pids.addAll(Arrays.asList(more));
        }
    }

    /** Whether a bundle is installed; true once this context is no longer valid (all goes with it then). */
    private boolean installed(long bundleId) {
        try {
            return context.getBundle(bundleId) != null;
        } catch (IllegalStateException e) {
            return true;
        }
    }

    private static boolean contains(String[] pids, String pid) {
        return pids != null && Arrays.asList(pids).contains(pid);
    }
}
