package io.msf.monitor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.Logger;

class ServiceThresholdsTest {

    private final Logger log = mock(Logger.class);

    @Test
    void refusesAValueOutOfRangeNamingTheKeyAndTheService() {
        // NaN passes the config gate's minimum of -1 (it is not less than -1), and would turn the alert off.
        assertThatThrownBy(() -> thresholds(Map.of("service", "io.x", "agentErrorsPerSecond", Double.NaN)))
                .hasMessageContaining("msf.monitor.service (service io.x)")
                .hasMessageContaining("agentErrorsPerSecond: ").hasMessageContaining("NaN");
        assertThatThrownBy(() -> thresholds(Map.of("service", "io.x", "cpuPercent", 20_000.0)))
                .hasMessageContaining("cpuPercent: ");
        assertThatThrownBy(() -> thresholds(Map.of("service", "io.x", "pooledBytes", -5L)))
                .hasMessageContaining("pooledBytes: ");
    }

    @Test
    void aChangeWithABadValueKeepsTheThresholdsInForce() {
        ServiceThresholds override = thresholds(Map.of("service", "io.x", "agentLatencyMillis", 250.0));

        override.modified(config(Map.of("service", "io.x", "agentLatencyMillis", Double.NaN)), Map.of());

        assertThat(override.limits()).isEqualTo(new ServiceLimits(-1, -1, -1, 250, -1));
        verify(log).error(anyString(), argThat(message -> message.toString().startsWith("msf.monitor.service ("
                + "service io.x): agentLatencyMillis: ")), eq("io.x"), any());

        override.modified(config(Map.of("service", "io.y", "agentLatencyMillis", 100.0)), Map.of());

        assertThat(override.service()).isEqualTo("io.y");
        assertThat(override.limits()).isEqualTo(new ServiceLimits(-1, -1, -1, 100, -1));
    }

    /** The refusal names the configuration's own PID (what config:edit and the file name show), not its factory PID. */
    @Test
    void aRefusalNamesTheConfigurationsPid() {
        Map<String, Object> properties = Map.of("service.pid", "msf.monitor.service~web");
        assertThatThrownBy(() -> new ServiceThresholds(config(Map.of("service", "io.web", "pooledBytes", -5L)),
                properties, log)).hasMessage("msf.monitor.service~web (service io.web): pooledBytes: -5 is not at least"
                        + " -1");
        ServiceThresholds override = new ServiceThresholds(config(Map.of("service", "io.web")), properties, log);
        override.modified(config(Map.of("service", "io.web", "cpuPercent", 20_000.0)), properties);
        verify(log).error("{}; keeping the thresholds of service {}: {}", "msf.monitor.service~web (service io.web):"
                + " cpuPercent: 20000 is not in -1..10000", "io.web", override.limits());
    }

    private ServiceThresholds thresholds(Map<String, Object> values) {
        return new ServiceThresholds(config(values), Map.of(), log);
    }

    private static ServiceThresholdsConfiguration config(Map<String, Object> values) {
        return ConfigDefaults.of(ServiceThresholdsConfiguration.class, values);
    }
}
