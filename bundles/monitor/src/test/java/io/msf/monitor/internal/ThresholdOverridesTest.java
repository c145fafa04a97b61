package io.msf.monitor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Constants;
import org.osgi.service.log.Logger;

class ThresholdOverridesTest {

    private final List<String> warnings = new ArrayList<>();
    private final List<String> infos = new ArrayList<>();
    private final ThresholdOverrides overrides = new ThresholdOverrides(warnings::add, infos::add);

    private final ServiceThresholds dlnaA = thresholds("dlna-a", "io.msf.dlna", 1000);
    private final ServiceThresholds dlnaB = thresholds("dlna-b", "io.msf.dlna", 2000);
    private final ServiceThresholds upnp = thresholds("upnp", "io.msf.upnp", 3000);

    @Test
    void twoConfigurationsForOneServiceAreReportedOnceAndTheFirstByPidIsInForceWhateverTheirOrder() {
        assertThat(overrides.byService(List.of(dlnaB, upnp, dlnaA)).get("io.msf.dlna").pooledBytes())
                .isEqualTo(1000);
        assertThat(overrides.byService(List.of(dlnaA, upnp, dlnaB)).get("io.msf.dlna").pooledBytes())
                .isEqualTo(1000);
        assertThat(overrides.byService(List.of(upnp, dlnaB, dlnaA)).get("io.msf.upnp").pooledBytes())
                .isEqualTo(3000);

        assertThat(warnings).singleElement().isEqualTo("msf.monitor.service: 2 configurations for service"
                + " io.msf.dlna: msf.monitor.service~dlna-a (file etc/msf.monitor.service-dlna-a.cfg) is in force"
                + " (the first by PID), ignored: msf.monitor.service~dlna-b (file etc/msf.monitor.service-dlna-b.cfg);"
                + " keep one per service");
        assertThat(infos).isEmpty();
    }

    @Test
    void theEndOfAConflictIsLoggedOnceAndANewOneAgain() {
        overrides.byService(List.of(dlnaA, dlnaB));
        overrides.byService(List.of(dlnaB));
        overrides.byService(List.of(dlnaB));
        assertThat(infos).singleElement().asString()
                .isEqualTo("msf.monitor.service: service io.msf.dlna has one configuration again,"
                        + " msf.monitor.service~dlna-b (file etc/msf.monitor.service-dlna-b.cfg)");

        overrides.byService(List.of(dlnaB, dlnaA));
        assertThat(warnings).hasSize(2);
        overrides.byService(List.of(upnp));
        assertThat(infos).hasSize(2).last().asString().contains("conflicting configurations for service io.msf.dlna");
    }

    @Test
    void oneConfigurationPerServiceIsNoConflict() {
        assertThat(overrides.byService(List.of(dlnaA, upnp))).containsOnlyKeys("io.msf.dlna", "io.msf.upnp");
        assertThat(warnings).isEmpty();
    }

    private static ServiceThresholds thresholds(String name, String service, long pooledBytes) {
        return new ServiceThresholds(
                ConfigDefaults.of(ServiceThresholdsConfiguration.class,
                        Map.of("service", service, "pooledBytes", pooledBytes)),
                Map.of(Constants.SERVICE_PID, ServiceThresholds.FACTORY_PID + "~" + name,
                        ServiceThresholds.FILE_PROPERTY, "etc/msf.monitor.service-" + name + ".cfg"),
                mock(Logger.class));
    }
}
