package io.msf.deploy.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.osgi.framework.Bundle;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/** Asks the ServiceComponentRuntime how a version's components are doing. */
final class ComponentStates {

    private static final String SERVICE_COMPONENT_HEADER = "Service-Component";

    private final Supplier<ServiceComponentRuntime> runtime;

    ComponentStates(Supplier<ServiceComponentRuntime> runtime) {
        this.runtime = runtime;
    }

    /** Ready when every bundle is active and its components are; the first failure or wait otherwise. */
    Readiness readiness(List<Bundle> bundles) {
        for (Bundle bundle : bundles) {
            Readiness readiness = readiness(bundle);
            if (readiness.verdict() != Readiness.Verdict.READY) {
                return readiness;
            }
        }
        return Readiness.READY;
    }

    private Readiness readiness(Bundle bundle) {
        String shown = Versions.describe(bundle);
        if (bundle.getState() != Bundle.ACTIVE) {
            return new Readiness(Readiness.Verdict.WAITING, shown + " is not active yet");
        }
        boolean declaresComponents = bundle.getHeaders("").get(SERVICE_COMPONENT_HEADER) != null;
        if (!declaresComponents) {
            return Readiness.READY;
        }
        ServiceComponentRuntime scr = runtime.get();
        if (scr == null) {
            return new Readiness(Readiness.Verdict.WAITING, shown + " has components and Declarative Services"
                    + " is not running");
        }
        List<Readiness.Component> components = new ArrayList<>();
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs(bundle)) {
            components.add(new Readiness.Component(description, scr.isComponentEnabled(description),
                    scr.getComponentConfigurationDTOs(description)));
        }
        if (components.isEmpty()) {
            return new Readiness(Readiness.Verdict.WAITING, shown + ": components not loaded yet");
        }
        return Readiness.of(shown, components);
    }
}
