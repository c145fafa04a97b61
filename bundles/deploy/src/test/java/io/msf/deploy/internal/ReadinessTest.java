package io.msf.deploy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.deploy.internal.Readiness.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

class ReadinessTest {

    @Test
    void activeSatisfiedAndWaitingForAFactoryConfigurationAreReady() {
        Readiness readiness = Readiness.of("b", List.of(component("a", true, ComponentConfigurationDTO.ACTIVE),
                component("delayed", true, ComponentConfigurationDTO.SATISFIED),
                component("perInstance", true, ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION)));
        assertThat(readiness).isEqualTo(Readiness.READY);
    }

    @Test
    void aComponentWhoseActivateThrewFailsTheVersionWithTheFirstLineOfTheFailure() {
        Readiness.Component failed = component("handler", true, ComponentConfigurationDTO.FAILED_ACTIVATION);
        failed.configurations().iterator().next().failure = "java.lang.IllegalStateException: no port\n\tat x.y(z)";
        Readiness readiness = Readiness.of("demo 1.0.0 [12]", List.of(component("ok", true,
                ComponentConfigurationDTO.ACTIVE), failed));
        assertThat(readiness.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(readiness.reason()).isEqualTo(
                "demo 1.0.0 [12]: component handler failed to activate: java.lang.IllegalStateException: no port");
    }

    @Test
    void aMissingReferenceKeepsItWaitingAndSaysWhichOne() {
        Readiness.Component waiting = component("handler", true, ComponentConfigurationDTO.UNSATISFIED_REFERENCE);
        UnsatisfiedReferenceDTO reference = new UnsatisfiedReferenceDTO();
        reference.name = "timers";
        waiting.configurations().iterator().next().unsatisfiedReferences = new UnsatisfiedReferenceDTO[] {reference};
        Readiness readiness = Readiness.of("b", List.of(waiting));
        assertThat(readiness.verdict()).isEqualTo(Verdict.WAITING);
        assertThat(readiness.reason()).contains("component handler waits for timers");
    }

    @Test
    void disabledComponentsDoNotCount() {
        assertThat(Readiness.of("b", List.of(component("off", false, ComponentConfigurationDTO.FAILED_ACTIVATION))))
                .isEqualTo(Readiness.READY);
    }

    private static Readiness.Component component(String name, boolean enabled, int state) {
        ComponentDescriptionDTO description = new ComponentDescriptionDTO();
        description.name = name;
        ComponentConfigurationDTO configuration = new ComponentConfigurationDTO();
        configuration.state = state;
        configuration.description = description;
        return new Readiness.Component(description, enabled, List.of(configuration));
    }
}
