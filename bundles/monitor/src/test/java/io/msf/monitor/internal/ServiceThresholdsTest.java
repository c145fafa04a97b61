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
        verify(log).error(anyString(), eq(ServiceThresholds.FACTORY_PID),
                argThat(message -> message.toString().contains("agentLatencyMillis: ")), eq("io.x"), any());

        override.modified(config(Map.of("service", "io.y", "agentLatencyMillis", 100.0)), Map.of());

        assertThat(override.service()).isEqualTo("io.y");
        assertThat(override.limits()).isEqualTo(new ServiceLimits(-1, -1, -1, 100, -1));
    }

    private ServiceThresholds thresholds(Map<String, Object> values) {
        return new ServiceThresholds(config(values), Map.of(), log);
    }

    private static ServiceThresholdsConfiguration config(Map<String, Object> values) {
        return ConfigDefaults.of(ServiceThresholdsConfiguration.class, values);
    }
}
