package io.msf.deploy.internal;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;

/**
 * What removing the version a swap replaces would leave without a provider, checked once the new
 * version has resolved and before anything is switched. The swap's refresh after the removal wires
 * again whatever was wired to the old version; a requirement only the old version met then fails, and
 * its bundle stays INSTALLED: a service pointed at the wrong jar (upnp's, for dlna) took dlna's
 * importers down with it, and itself, while the swap said it had succeeded.
 */
final class SwapWiring {

    private static final Pattern NAMED = Pattern.compile("\\((?:osgi\\.wiring\\.package|osgi\\.wiring\\.bundle"
            + "|osgi\\.wiring\\.host)=([^)]+)\\)");

    private SwapWiring() {
    }

    /**
     * Why the old version cannot go, empty if it can.
     *
     * @param fresh the new version's bundles, resolved
     * @param old the bundles the swap removes
     * @param installed every bundle of the framework, for another provider of what the old version gives
     */
    static Optional<String> problem(List<Bundle> fresh, List<Bundle> old, Bundle[] installed) {
        for (Bundle bundle : fresh) {
            for (BundleWire wire : wires(bundle, true)) {
                Bundle provider = wire.getProvider().getBundle();
                if (old.contains(provider) && !optional(wire.getRequirement())) {
                    return Optional.of(Versions.describe(bundle) + " " + needs(wire.getRequirement())
                            + " from the version it replaces alone (" + Versions.describe(provider) + "), which the"
                            + " swap removes: it would stop with it (is the location the right jar?)");
                }
            }
        }
        for (Bundle gone : old) {
            for (BundleWire wire : wires(gone, false)) {
                Bundle requirer = wire.getRequirer().getBundle();
                BundleRequirement requirement = wire.getRequirement();
                if (!old.contains(requirer) && !fresh.contains(requirer) && !optional(requirement)
                        && !providedBesides(requirement, Set.copyOf(old), installed)) {
                    return Optional.of(Versions.describe(requirer) + " " + needs(requirement) + " from the version"
                            + " the swap replaces (" + Versions.describe(gone) + "), and neither the new version nor"
                            + " another bundle provides it: the swap would leave " + Versions.describe(requirer)
                            + " unresolved, stopped");
                }
            }
        }
        return Optional.empty();
    }

    /** The bundle's wires in its current wiring: those it requires, or those it provides; none if it has none. */
    private static List<BundleWire> wires(Bundle bundle, boolean required) {
        BundleWiring wiring = bundle.adapt(BundleWiring.class);
        if (wiring == null) {
            return List.of();
        }
        List<BundleWire> wires = required ? wiring.getRequiredWires(null) : wiring.getProvidedWires(null);
        return wires == null ? List.of() : wires;
    }

    /** A requirement the bundle resolves without: optional, or a dynamic import. */
    private static boolean optional(BundleRequirement requirement) {
        String resolution = requirement.getDirectives().get(Constants.RESOLUTION_DIRECTIVE);
        return Constants.RESOLUTION_OPTIONAL.equals(resolution) || "dynamic".equals(resolution);
    }

    private static boolean providedBesides(BundleRequirement requirement, Set<Bundle> old, Bundle[] installed) {
        for (Bundle bundle : installed) {
            if (old.contains(bundle) || bundle.getState() == Bundle.UNINSTALLED) {
                continue;
            }
            BundleRevision revision = bundle.adapt(BundleRevision.class);
            if (revision != null && revision.getDeclaredCapabilities(requirement.getNamespace()).stream()
                    .anyMatch(requirement::matches)) {
                return true;
            }
        }
        return false;
    }

    /** What the requirement asks, in an operator's words: "imports package io.msf.dlna.api", say. */
    private static String needs(BundleRequirement requirement) {
        String filter = requirement.getDirectives().getOrDefault(Constants.FILTER_DIRECTIVE, "");
        Matcher named = NAMED.matcher(filter);
        String name = named.find() ? named.group(1) : filter;
        return switch (requirement.getNamespace()) {
            case BundleRevision.PACKAGE_NAMESPACE -> "imports package " + name + " " + filter;
            case BundleRevision.BUNDLE_NAMESPACE -> "requires bundle " + name;
            case BundleRevision.HOST_NAMESPACE -> "is a fragment of " + name;
            default -> "requires " + requirement.getNamespace() + " " + filter;
        };
    }
}
