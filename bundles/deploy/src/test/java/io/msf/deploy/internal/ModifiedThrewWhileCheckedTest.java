package io.msf.deploy.internal;

import static io.msf.deploy.internal.Specs.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.msf.deploy.internal.Readiness.Verdict;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;
import org.osgi.framework.dto.ServiceReferenceDTO;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogReaderService;

/**
 * A live change whose modified method throws while the deployer is looking: DS (Felix SCR) gives
 * the component the new configuration, calls modified, logs what it threw, and then gives the
 * service the new properties. Here that happens between the deployer's reads, at the moment the
 * framework is asked for the bundle's services: the change must still be seen to have failed.
 */
class ModifiedThrewWhileCheckedTest {

    private static final long SERVICE_ID = 41;

    private final Bundle bundle = mock(Bundle.class);
    private final ServiceComponentRuntime scr = mock(ServiceComponentRuntime.class);
    private final LogReaderService log = mock(LogReaderService.class);
    private final List<LogEntry> history = Collections.synchronizedList(new ArrayList<>());
    private final ComponentStates states = new ComponentStates(() -> scr, () -> log);
    private final ComponentDescriptionDTO bounded = new ComponentDescriptionDTO();
    private final ComponentConfigurationDTO configuration = new ComponentConfigurationDTO();
    private final ServiceSpec before = spec("demo", "repo/demo-1.0.0.jar", "pid", "msf.bounded", "param.limit", "10");
    private final ServiceSpec after = spec("demo", "repo/demo-1.0.0.jar", "pid", "msf.bounded", "param.limit", "500");
    /** The service as it was, and as DS shows it once modified has returned or thrown. */
    private final ServiceReference<?> servingTen;
    private final ServiceReference<?> servingFiveHundred;
    private volatile ServiceReference<?> serving;
    /** What DS does as the deployer asks the framework for the bundle's services. */
    private volatile Runnable whileServicesAreRead = () -> { };

    ModifiedThrewWhileCheckedTest() {
        when(bundle.getBundleId()).thenReturn(12L);
        when(bundle.getSymbolicName()).thenReturn("demo");
        when(bundle.getVersion()).thenReturn(Version.parseVersion("1.0.0"));
        when(bundle.getLocation()).thenReturn(new BundleLocation("demo", 1, 0, "repo/demo-1.0.0.jar").toString());
        when(bundle.getState()).thenReturn(Bundle.ACTIVE);
        when(bundle.getHeaders("")).thenReturn(new Hashtable<>(Map.of("Service-Component", "OSGI-INF/bounded.xml")));
        when(log.getLog()).thenAnswer(call -> Collections.enumeration(new ArrayList<>(history)));

        bounded.name = "bounded";
        bounded.implementationClass = "x.Bounded";
        bounded.configurationPid = new String[] {"msf.bounded"};
        bounded.configurationPolicy = "optional";
        bounded.immediate = true;
        bounded.modified = "modified";
        bounded.serviceInterfaces = new String[] {"java.util.function.Supplier"};
        bounded.properties = Map.of();
        when(scr.getComponentDescriptionDTOs(bundle)).thenReturn(List.of(bounded));
        when(scr.isComponentEnabled(any())).thenReturn(true);
        when(scr.getComponentConfigurationDTOs(bounded)).thenReturn(List.of(configuration));

        configuration.id = 7;
        configuration.description = bounded;
        configuration.state = ComponentConfigurationDTO.ACTIVE;
        configuration.properties = Map.of("limit", "10",
                Constants.SERVICE_PID, ParamConfigs.targeted("msf.bounded", bundle));
        configuration.service = new ServiceReferenceDTO();
        configuration.service.id = SERVICE_ID;
        servingTen = service("10");
        servingFiveHundred = service("500");
        serving = servingTen;
        when(bundle.getRegisteredServices()).thenAnswer(call -> {
            whileServicesAreRead.run();
            return new ServiceReference<?>[] {serving};
        });
    }

    @Test
    void aModifiedMethodThatThrowsBetweenTheDeployersReadsFailsTheChange() {
        ComponentStates.Baseline baseline = states.baseline(List.of(bundle), null);
        // DS has given the component the new configuration and is about to call modified
        configuration.properties = Map.of("limit", "500",
                Constants.SERVICE_PID, ParamConfigs.targeted("msf.bounded", bundle));
        // ... which throws, DS logs it and updates the service, just as the deployer asks for the services
        LogEntry threw = modifiedThrew(1);
        whileServicesAreRead = () -> {
            if (serving == servingTen) {
                history.add(0, threw);
                serving = servingFiveHundred;
            }
        };

        Readiness readiness = states.taken(List.of(bundle), after, before.params(), baseline);

        assertThat(readiness.verdict()).as(readiness.toString()).isEqualTo(Verdict.FAILED);
        assertThat(readiness.reason()).isEqualTo("demo 1.0.0 [12]: component bounded: its modified method"
                + " threw java.lang.IllegalArgumentException: limit 500 is outside 1..100");
    }

    @Test
    void aModifiedMethodThatReturnsTakesTheChange() {
        ComponentStates.Baseline baseline = states.baseline(List.of(bundle), null);
        configuration.properties = Map.of("limit", "500",
                Constants.SERVICE_PID, ParamConfigs.targeted("msf.bounded", bundle));

        assertThat(states.taken(List.of(bundle), after, before.params(), baseline).verdict())
                .as("the service does not show the new limit yet").isEqualTo(Verdict.WAITING);

        serving = servingFiveHundred;
        assertThat(states.taken(List.of(bundle), after, before.params(), baseline)).isEqualTo(Readiness.READY);
    }

    private ServiceReference<?> service(String limit) {
        ServiceReference<?> reference = mock(ServiceReference.class);
        Map<String, Object> properties = Map.of(Constants.SERVICE_ID, SERVICE_ID, "limit", limit,
                Constants.SERVICE_PID, ParamConfigs.targeted("msf.bounded", bundle));
        when(reference.getPropertyKeys()).thenReturn(properties.keySet().toArray(String[]::new));
        when(reference.getProperty(any())).thenAnswer(call -> properties.get(call.<String>getArgument(0)));
        return reference;
    }

    /** The entry Felix SCR makes for a modified method that threw. */
    private LogEntry modifiedThrew(long sequence) {
        LogEntry entry = mock(LogEntry.class);
        when(entry.getSequence()).thenReturn(sequence);
        when(entry.getBundle()).thenReturn(bundle);
        when(entry.getLogLevel()).thenReturn(LogLevel.ERROR);
        when(entry.getLoggerName()).thenReturn("x.Bounded");
        when(entry.getMessage()).thenReturn("bounded : The modified method has thrown an exception");
        when(entry.getException()).thenReturn(new IllegalArgumentException("limit 500 is outside 1..100"));
        return entry;
    }
}
