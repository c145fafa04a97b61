package io.msf.deploy.internal;

import static io.msf.deploy.internal.Specs.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.msf.deploy.internal.Readiness.Verdict;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * A live change of {@code pid} as the ServiceComponentRuntime shows it: the version's configuration
 * under the old PID is deleted, and a component that read it and was up must be up without it.
 */
class ComponentStatesTest {

    private static final String BUNDLE = "demo 1.0.0 [12]";

    private final Bundle bundle = mock(Bundle.class);
    private final ServiceComponentRuntime scr = mock(ServiceComponentRuntime.class);
    private final ComponentStates states = new ComponentStates(() -> scr, () -> null);
    /** A component that reads the old PID only: an immediate one without a modified method, registering no service. */
    private final ComponentDescriptionDTO legacy = new ComponentDescriptionDTO();
    private ComponentConfigurationDTO configuration = new ComponentConfigurationDTO();
    /** The change: msf.old to msf.new, the parameters kept. */
    private final ServiceSpec before = spec("demo", "repo/demo-1.0.0.jar", "pid", "msf.old", "param.limit", "10");
    private final ServiceSpec after = spec("demo", "repo/demo-1.0.0.jar", "pid", "msf.new", "param.limit", "10");

    ComponentStatesTest() {
        when(bundle.getBundleId()).thenReturn(12L);
        when(bundle.getSymbolicName()).thenReturn("demo");
        when(bundle.getVersion()).thenReturn(Version.parseVersion("1.0.0"));
        when(bundle.getLocation()).thenReturn(new BundleLocation("demo", 1, 0, "repo/demo-1.0.0.jar").toString());
        when(bundle.getState()).thenReturn(Bundle.ACTIVE);
        Hashtable<String, String> headers = new Hashtable<>(Map.of("Service-Component", "OSGI-INF/legacy.xml"));
        when(bundle.getHeaders("")).thenReturn(headers);
        legacy.name = "legacy";
        legacy.implementationClass = "x.Legacy";
        legacy.configurationPid = new String[] {"msf.old"};
        legacy.configurationPolicy = "require";
        legacy.immediate = true;
        legacy.properties = Map.of();
        when(scr.getComponentDescriptionDTOs(bundle)).thenReturn(List.of(legacy));
        when(scr.isComponentEnabled(any())).thenReturn(true);
        when(scr.getComponentConfigurationDTOs(legacy)).thenAnswer(call -> configuration == null ? List.of()
                : List.of(configuration));
        show(ComponentConfigurationDTO.ACTIVE, ParamConfigs.targeted("msf.old", bundle), Map.of("limit", "10"));
    }

    private void show(int state, String servicePid, Map<String, Object> params) {
        configuration = new ComponentConfigurationDTO();
        configuration.id = 7;
        configuration.description = legacy;
        configuration.state = state;
        configuration.properties = new HashMap<>(params);
        if (servicePid != null) {
            configuration.properties.put(Constants.SERVICE_PID, servicePid);
        }
    }

    private Readiness afterTheChange(ComponentStates.Baseline baseline) {
        return states.taken(List.of(bundle), after, before.params(), baseline);
    }

    @Test
    void aComponentThatReadTheOldPidAndIsDownWithoutItsConfigurationFailsTheChange() {
        ComponentStates.Baseline baseline = states.baseline(List.of(bundle), before.pid());

        assertThat(afterTheChange(baseline)).as("DS has not taken the deletion yet").isEqualTo(new Readiness(
                Verdict.WAITING, BUNDLE + ": component legacy read the old PID msf.old and still has its parameters"));

        show(ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION, null, Map.of());
        assertThat(afterTheChange(baseline)).isEqualTo(new Readiness(Verdict.FAILED, BUNDLE + ": component legacy"
                + " read the old PID msf.old and is no longer active without its configuration (configuration"
                + " policy require)"));

        configuration = null; // a runtime that shows no configuration of it at all
        assertThat(afterTheChange(baseline).verdict()).isEqualTo(Verdict.FAILED);
    }

    @Test
    void aComponentThatReadTheOldPidAndFailsToActivateWithItsDefaultsFailsTheChange() {
        legacy.configurationPolicy = "optional";
        ComponentStates.Baseline baseline = states.baseline(List.of(bundle), before.pid());

        show(ComponentConfigurationDTO.FAILED_ACTIVATION, null, Map.of());
        configuration.failure = "java.lang.IllegalArgumentException: no limit\n\tat x.Legacy";
        assertThat(afterTheChange(baseline)).isEqualTo(new Readiness(Verdict.FAILED, BUNDLE + ": component legacy"
                + " read the old PID msf.old and failed to activate without its parameters:"
                + " java.lang.IllegalArgumentException: no limit"));
    }

    @Test
    void aComponentThatReadTheOldPidAndIsActiveAgainWithItsDefaultsHasTakenTheChange() {
        legacy.configurationPolicy = "optional";
        ComponentStates.Baseline baseline = states.baseline(List.of(bundle), before.pid());

        show(ComponentConfigurationDTO.SATISFIED, null, Map.of());
        assertThat(afterTheChange(baseline).verdict()).as("deactivated, not activated again yet")
                .isEqualTo(Verdict.WAITING);

        show(ComponentConfigurationDTO.ACTIVE, null, Map.of());
        assertThat(afterTheChange(baseline)).isEqualTo(Readiness.READY);
    }

    @Test
    void aComponentOfTheOldPidThatWasDownBeforeTheChangeIsNotTheChangesBusiness() {
        show(ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION, null, Map.of());
        ComponentStates.Baseline baseline = states.baseline(List.of(bundle), before.pid());

        assertThat(afterTheChange(baseline)).isEqualTo(Readiness.READY);
    }

    @Test
    void withoutAPidLeftTheComponentsOfAnotherPidAreNotLookedAt() {
        // a give-back after a refused change of pid: the components of the refused one go back to how they were
        ComponentStates.Baseline baseline = states.baseline(List.of(bundle), null);

        show(ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION, null, Map.of());
        assertThat(afterTheChange(baseline)).isEqualTo(Readiness.READY);
    }
}
