package io.msf.deploy.internal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.osgi.framework.Bundle;

/**
 * The symbolic names of the bundles each service runs, and each version of one
 * ({@link BundleLocation#serviceVersion}), read from the bundles the deployer installed: what tells
 * another service's copy of a bundle, and another version's host, apart ({@link FreshWiring}).
 */
final class DeployedNames {

    private final Map<String, Set<String>> byService = new HashMap<>();
    private final Map<String, Set<String>> byVersion = new HashMap<>();

    /** @param bundles the framework's bundles; those the deployer did not install are passed over */
    DeployedNames(Bundle[] bundles) {
        for (Bundle bundle : bundles) {
            String name = bundle.getSymbolicName();
            String location = bundle.getLocation();
            if (name != null && location != null) {
                BundleLocation.parse(location).ifPresent(deployed -> {
                    byService.computeIfAbsent(deployed.name(), key -> new HashSet<>()).add(name);
                    byVersion.computeIfAbsent(deployed.serviceVersion(), key -> new HashSet<>()).add(name);
                });
            }
        }
    }

    Set<String> ofService(String service) {
        return byService.getOrDefault(service, Set.of());
    }

    Set<String> ofVersion(String version) {
        return byVersion.getOrDefault(version, Set.of());
    }
}
