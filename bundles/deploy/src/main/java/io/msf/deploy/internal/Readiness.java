package io.msf.deploy.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

/**
 * Whether a bundle's Declarative Services components are up, from what the
 * ServiceComponentRuntime reports: each enabled component active, or satisfied (a delayed
 * component, created on first use), or waiting for a factory configuration. A component whose
 * activate threw fails the version at once; one still missing a reference keeps it waiting.
 *
 * @param verdict ready, not yet, or failed
 * @param reason for people: which component waits for what, or why it failed; empty when ready
 */
record Readiness(Verdict verdict, String reason) {

    enum Verdict {
        READY,
        WAITING,
        FAILED
    }

    static final Readiness READY = new Readiness(Verdict.READY, "");

    /** A component's description with its configurations, as the runtime reports it. */
    record Component(ComponentDescriptionDTO description, boolean enabled,
            Collection<ComponentConfigurationDTO> configurations) {
    }

    static Readiness of(String bundle, Collection<Component> components) {
        List<String> waiting = new ArrayList<>();
        for (Component component : components) {
            if (!component.enabled()) {
                continue;
            }
            String name = component.description().name;
            for (ComponentConfigurationDTO configuration : component.configurations()) {
                switch (configuration.state) {
                    case ComponentConfigurationDTO.FAILED_ACTIVATION -> {
                        return new Readiness(Verdict.FAILED, bundle + ": component " + name + " failed to activate: "
                                + firstLine(configuration.failure));
                    }
                    case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> waiting.add("component " + name
                            + " waits for " + missing(configuration.unsatisfiedReferences));
                    default -> {
                        // ACTIVE, SATISFIED (delayed) and UNSATISFIED_CONFIGURATION (waits for an
                        // instance configuration by design) are as they should be
                    }
                }
            }
        }
        return waiting.isEmpty() ? READY : new Readiness(Verdict.WAITING, bundle + ": " + String.join("; ", waiting));
    }

    static String missing(UnsatisfiedReferenceDTO[] references) {
        if (references == null || references.length == 0) {
            return "a reference";
        }
        List<String> names = new ArrayList<>();
        for (UnsatisfiedReferenceDTO reference : references) {
            names.add(reference.name + (reference.target == null ? "" : " " + reference.target));
        }
        return String.join(", ", names);
    }

    static String firstLine(String failure) {
        if (failure == null || failure.isBlank()) {
            return "no reason given";
        }
        int end = failure.indexOf('\n');
        return (end < 0 ? failure : failure.substring(0, end)).trim();
    }
}
