package io.msf.deploy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.msf.deploy.internal.Readiness.Verdict;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Constants;
import org.osgi.framework.dto.ServiceReferenceDTO;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;

/** A live change as DS shows it, step by step: taken, not yet, or refused. */
class ParamsTakenTest {

    private static final String BUNDLE = "demo 1.0.0 [12]";
    private static final String TARGETED = "msf.demo|demo|1.0.0|msf:demo/1/0/x.jar";
    private static final ParamsTaken.Change LIMIT_500 = new ParamsTaken.Change(TARGETED, "msf.demo",
            Map.of("limit", "500"), Map.of("limit", "10"));
    private static final long SERVICE_ID = 70;

    private final ComponentDescriptionDTO description = new ComponentDescriptionDTO();
    private final ComponentConfigurationDTO configuration = new ComponentConfigurationDTO();
    private final Map<Long, Map<String, Object>> services = new HashMap<>();
    private final Map<Long, String> failedBefore = new HashMap<>();

    /** An immediate component with a modified method, reading msf.demo, active with limit 10 and its service so. */
    ParamsTakenTest() {
        description.name = "bounded";
        description.implementationClass = "x.Bounded";
        description.configurationPid = new String[] {"msf.demo"};
        description.configurationPolicy = "optional";
        description.immediate = true;
        description.modified = "modified";
        description.serviceInterfaces = new String[] {"java.util.function.Supplier"};
        description.properties = Map.of();
        configuration.id = 7;
        configuration.description = description;
        configuration.state = ComponentConfigurationDTO.ACTIVE;
        configuration.properties = new HashMap<>(Map.of(Constants.SERVICE_PID, TARGETED, "limit", "10"));
        configuration.service = new ServiceReferenceDTO();
        configuration.service.id = SERVICE_ID;
        services.put(SERVICE_ID, new HashMap<>(Map.of("limit", "10")));
    }

    private Readiness check(ParamsTaken.Change change, LogEntry... logged) {
        return ParamsTaken.of(BUNDLE, change, List.of(new Readiness.Component(description, true,
                List.of(configuration))), new ParamsTaken.Traces(services, failedBefore, List.of(logged)));
    }

    /** DS has taken the configuration: the component's properties show it. */
    private void dsTakes(Map<String, Object> params) {
        configuration.properties = new HashMap<>(params);
        configuration.properties.put(Constants.SERVICE_PID, TARGETED);
    }

    @Test
    void beforeDsTakesTheConfigurationTheComponentHasNotTakenIt() {
        assertThat(check(LIMIT_500)).isEqualTo(new Readiness(Verdict.WAITING,
                BUNDLE + ": component bounded has not taken the parameters yet"));
    }

    @Test
    void whileItsServiceStillShowsTheOldValuesTheComponentIsNotThroughWithThem() {
        dsTakes(Map.of("limit", "500"));
        assertThat(check(LIMIT_500).verdict()).as("modified not returned yet").isEqualTo(Verdict.WAITING);

        configuration.state = ComponentConfigurationDTO.SATISFIED;
        configuration.service = null;
        assertThat(check(LIMIT_500).verdict()).as("deactivated, not activated again yet").isEqualTo(Verdict.WAITING);
    }

    @Test
    void aComponentWhoseServiceShowsTheNewValuesHasTakenThem() {
        dsTakes(Map.of("limit", "500"));
        services.get(SERVICE_ID).put("limit", "500");
        assertThat(check(LIMIT_500)).isEqualTo(Readiness.READY);
    }

    @Test
    void aModifiedMethodThatThrewFailsTheChangeWithItsException() {
        dsTakes(Map.of("limit", "500"));
        services.get(SERVICE_ID).put("limit", "500");
        LogEntry thrown = entry("x.Bounded", "bundle demo:1.0.0 (12)[x.Bounded(7)] : The modified method has thrown"
                + " an exception", new IllegalArgumentException("limit 500 is outside 1..100"));
        assertThat(check(LIMIT_500, thrown)).isEqualTo(new Readiness(Verdict.FAILED, BUNDLE + ": component bounded:"
                + " its modified method threw java.lang.IllegalArgumentException: limit 500 is outside 1..100"));
    }

    @Test
    void otherErrorsAreNotTheModifiedMethods() {
        dsTakes(Map.of("limit", "500"));
        services.get(SERVICE_ID).put("limit", "500");
        RuntimeException boom = new IllegalStateException("boom");
        assertThat(check(LIMIT_500, entry("x.Bounded", "[x.Bounded(7)] : The activate method has thrown an exception",
                boom), entry("x.Other", "[x.Other(8)] : The modified method has thrown an exception", boom),
                entry("x.Bounded", "a request failed", boom))).isEqualTo(Readiness.READY);
    }

    @Test
    void aComponentThatFailsToActivateAgainWithTheParametersFailsTheChange() {
        description.modified = null;
        dsTakes(Map.of("limit", "500"));
        configuration.state = ComponentConfigurationDTO.FAILED_ACTIVATION;
        configuration.failure = "java.lang.IllegalArgumentException: limit 500 is outside 1..100\n\tat x.Bounded";
        assertThat(check(LIMIT_500)).isEqualTo(new Readiness(Verdict.FAILED, BUNDLE + ": component bounded failed"
                + " to activate: java.lang.IllegalArgumentException: limit 500 is outside 1..100"));
    }

    @Test
    void aFailureTheComponentHadBeforeTheChangeIsNotTheChangesUntilDsActivatesItAgain() {
        String earlier = "java.lang.IllegalArgumentException: limit 500 is outside 1..100\n\tat x.Bounded";
        failedBefore.put(configuration.id, earlier);
        configuration.state = ComponentConfigurationDTO.FAILED_ACTIVATION;
        configuration.failure = earlier;
        configuration.service = null;
        ParamsTaken.Change back = new ParamsTaken.Change(TARGETED, "msf.demo", Map.of("limit", "10"),
                Map.of("limit", "500"));
        assertThat(check(back)).isEqualTo(new Readiness(Verdict.WAITING, BUNDLE + ": component bounded has not been"
                + " activated again since it failed to activate: java.lang.IllegalArgumentException: limit 500 is"
                + " outside 1..100"));

        configuration.failure = "java.lang.IllegalStateException: no port\n\tat x.Bounded";
        assertThat(check(back).verdict()).as("failed anew").isEqualTo(Verdict.FAILED);
    }

    @Test
    void componentsThatDoNotReadThePidAreNotTheChangesBusiness() {
        description.configurationPid = new String[] {"msf.other"};
        configuration.state = ComponentConfigurationDTO.FAILED_ACTIVATION;
        configuration.failure = "java.lang.IllegalStateException: broken before";
        assertThat(check(LIMIT_500)).isEqualTo(Readiness.READY);
    }

    @Test
    void aRemovedParameterIsTakenOnceItIsBackAtTheComponentsDefault() {
        ParamsTaken.Change removed = new ParamsTaken.Change(TARGETED, "msf.demo", Map.of("limit", "10"),
                Map.of("limit", "10", "mode", "fast"));
        configuration.properties.put("mode", "fast");
        services.get(SERVICE_ID).put("mode", "fast");
        assertThat(check(removed).verdict()).isEqualTo(Verdict.WAITING);

        description.properties = Map.of("mode", "slow");
        dsTakes(Map.of("limit", "10", "mode", "slow"));
        services.get(SERVICE_ID).put("mode", "slow");
        assertThat(check(removed)).isEqualTo(Readiness.READY);
    }

    @Test
    void deletedParametersAreTakenOnceNoConfigurationOfTheComponentIsTheDeletedOne() {
        ParamsTaken.Change deleted = new ParamsTaken.Change(TARGETED, "msf.demo", Map.of(), Map.of("limit", "10"));
        assertThat(check(deleted)).isEqualTo(new Readiness(Verdict.WAITING,
                BUNDLE + ": component bounded still has the parameters"));

        configuration.properties = new HashMap<>();
        services.get(SERVICE_ID).remove("limit");
        assertThat(check(deleted)).isEqualTo(Readiness.READY);
    }

    @Test
    void aComponentThatReadsThePidAndHasNoConfigurationOfItYetHasNotBeenGivenTheParameters() {
        configuration.properties = new HashMap<>(Map.of("limit", "1"));
        assertThat(check(LIMIT_500)).isEqualTo(new Readiness(Verdict.WAITING,
                BUNDLE + ": component bounded has not been given the parameters yet"));
    }

    private static LogEntry entry(String logger, String message, Throwable exception) {
        LogEntry entry = mock(LogEntry.class);
        when(entry.getLogLevel()).thenReturn(LogLevel.ERROR);
        when(entry.getLoggerName()).thenReturn(logger);
        when(entry.getMessage()).thenReturn(message);
        when(entry.getException()).thenReturn(exception);
        return entry;
    }
}
