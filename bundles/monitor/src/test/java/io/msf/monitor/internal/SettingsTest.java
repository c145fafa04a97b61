package io.msf.monitor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import io.msf.monitor.internal.http.MetricsServer;
import io.msf.settings.testing.ScrValues;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.Logger;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class SettingsTest {

    @Test
    void theDefaultsAreValid() {
        Settings settings = Settings.of(config(Map.of()));
        assertThat(settings.sampleMillis()).isEqualTo(1000);
        assertThat(settings.clearRatio()).isEqualTo(0.9);
        assertThat(settings.alertWindowMillis()).isEqualTo(10_000);
        assertThat(settings.threadPrefix()).isEqualTo("msf-");
        assertThat(settings.serviceDefaults()).isEqualTo(new ServiceLimits(0, 100_000, 0, 0, 90));
    }

    @Test
    void takesTheConfiguredThresholds() {
        Settings settings = Settings.of(config(Map.of("pooledBytes", 1_048_576L, "threadCpuPercent", 50.0,
                "clearRatio", 0.5, "sampleMillis", 250L)));
        assertThat(settings.serviceDefaults().pooledBytes()).isEqualTo(1_048_576);
        assertThat(settings.threadCpuPercent()).isEqualTo(50);
        assertThat(settings.clearRatio()).isEqualTo(0.5);
        assertThat(settings.sampleMillis()).isEqualTo(250);
    }

    @Test
    void refusesValuesOutOfRangeNamingTheKey() {
        assertThatThrownBy(() -> Settings.of(config(Map.of("clearRatio", 0.0))))
                .hasMessage("clearRatio: 0 is not in 0.1..1");
        assertThatThrownBy(() -> Settings.of(config(Map.of("sampleMillis", 5L)))).hasMessageStartingWith("sampleMillis: ");
        assertThatThrownBy(() -> Settings.of(config(Map.of("heapPercent", 101.0)))).hasMessageStartingWith("heapPercent: ");
        assertThatThrownBy(() -> Settings.of(config(Map.of("pooledBytes", -5L)))).hasMessageContaining("pooledBytes: ");
        assertThatThrownBy(() -> Settings.of(config(Map.of("threadPrefix", "")))).hasMessageStartingWith("threadPrefix: ");
        assertThatThrownBy(() -> Settings.of(config(Map.of("gcPercent", Double.NaN)))).hasMessageContaining("gcPercent: ");
        assertThatThrownBy(() -> Settings.of(config(Map.of("clearRatio", 0.05)))).hasMessage(
                "clearRatio: 0.05 is not in 0.1..1");
        assertThatThrownBy(() -> Settings.of(config(Map.of("agentLatencyMillis", -2.0)))).hasMessage(
                "agentLatencyMillis: -2 is not at least 0");
        assertThatThrownBy(() -> Settings.of(config(Map.of("alertWindowMillis", -1L)))).hasMessage(
                "alertWindowMillis: -1 is not in 0..600000");
    }

    /**
     * The HTTP server closes a connection whose answer is not written within its response deadline, counted
     * from the end of the request: a health check limit near it or past it would have /health cut off
     * instead of answering DOWN.
     */
    @Test
    void theHealthCheckLimitEndsWellBeforeTheHttpResponseDeadline() throws Exception {
        assertThat(metatypeMax("healthTimeoutMillis")).isEqualTo(Long.toString(Settings.MAX_HEALTH_TIMEOUT_MILLIS));
        assertThat(Settings.of(config(Map.of("healthTimeoutMillis", Settings.MAX_HEALTH_TIMEOUT_MILLIS)))
                .healthTimeoutMillis()).isEqualTo(Settings.MAX_HEALTH_TIMEOUT_MILLIS);
        assertThatThrownBy(() -> Settings.of(config(Map.of("healthTimeoutMillis", 30_000L))))
                .hasMessage("healthTimeoutMillis: 30000 is not in 10..25000");
        // what is left of the deadline is the client's, to read the answer
        assertThat(Settings.MAX_HEALTH_TIMEOUT_MILLIS + 5_000)
                .isLessThanOrEqualTo(TimeUnit.SECONDS.toMillis(MetricsServer.RESPONSE_DEADLINE_SECONDS));
    }

    @Test
    void listensOnLoopbackUnlessRemoteIsAllowed() throws Exception {
        assertThat(Settings.listenAddress("127.0.0.1", false).isLoopbackAddress()).isTrue();
        assertThat(Settings.listenAddress("::1", false).isLoopbackAddress()).isTrue();
        assertThat(Settings.listenAddress("", false).isLoopbackAddress()).isTrue();
        assertThatThrownBy(() -> Settings.listenAddress("0.0.0.0", false))
                .hasMessageContaining("host: ").hasMessageContaining("allowRemote");
        assertThat(Settings.listenAddress("0.0.0.0", true)).isEqualTo(InetAddress.getByName("0.0.0.0"));
    }

    @Test
    void serviceOverridesInheritWhatTheyDoNotSet() {
        ServiceLimits defaults = new ServiceLimits(1000, 50, 2, 30, 90);
        assertThat(new ServiceLimits(5000, -1, 0, -1, -1).over(defaults)).isEqualTo(new ServiceLimits(5000, 50, 0, 30, 90));
    }

    @Test
    void aServiceOverrideNeedsItsService() {
        ServiceThresholdsConfiguration missing = ConfigDefaults.of(ServiceThresholdsConfiguration.class, Map.of());
        Logger log = mock(Logger.class);
        assertThatThrownBy(() -> new ServiceThresholds(missing, Map.of(), log)).hasMessageContaining("service: ");
        ServiceThresholds override = new ServiceThresholds(ConfigDefaults.of(ServiceThresholdsConfiguration.class,
                Map.of("service", " io.x ", "pooledBytes", 64L)), Map.of(), log);
        assertThat(override.service()).isEqualTo("io.x");
        assertThat(override.limits()).isEqualTo(new ServiceLimits(64, -1, -1, -1, -1));
    }

    @Test
    void aServiceOverrideWithAValueThatCannotBeReadKeepsItsThresholdsNamingTheKey() {
        Logger log = mock(Logger.class);
        ServiceThresholds override = new ServiceThresholds(ConfigDefaults.of(ServiceThresholdsConfiguration.class,
                Map.of("service", "io.x", "pooledBytes", 64L)), Map.of(), log);

        override.modified(ScrValues.unconvertible(ServiceThresholdsConfiguration.class,
                ConfigDefaults.of(ServiceThresholdsConfiguration.class, Map.of("service", "io.x")), "pendingTimers",
                "many"), Map.of());

        assertThat(override.limits()).isEqualTo(new ServiceLimits(64, -1, -1, -1, -1));
        verify(log).error(contains("keeping the thresholds"),
                argThat(why -> why.toString().contains("pendingTimers: the value cannot be read")
                        && why.toString().contains("many")),
                eq("io.x"), any());
    }

    private static String metatypeMax(String key) throws Exception {
        try (InputStream xml = SettingsTest.class.getClassLoader()
                .getResourceAsStream("OSGI-INF/metatype/io.msf.monitor.internal.MonitorConfiguration.xml")) {
            assertThat(xml).as("metatype XML").isNotNull();
            NodeList ads = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml).getElementsByTagName("AD");
            for (int i = 0; i < ads.getLength(); i++) {
                Element ad = (Element) ads.item(i);
                if (ad.getAttribute("id").equals(key)) {
                    return ad.getAttribute("max");
                }
            }
            throw new AssertionError("no " + key + " in the metatype XML");
        }
    }

    static MonitorConfiguration config(Map<String, Object> values) {
        return ConfigDefaults.of(MonitorConfiguration.class, values);
    }

    /** Settings with every alert off but those {@code values} give a threshold (and the other keys they set). */
    static Settings onlyAlerts(Map<String, Object> values) {
        Map<String, Object> all = new HashMap<>(Map.of("gcPercent", 0.0, "processCpuPercent", 0.0, "heapPercent", 0.0,
                "openFilesPercent", 0.0, "threadCpuPercent", 0.0, "serviceCpuPercent", 0.0, "pooledBytes", 0L,
                "pendingTimers", 0L, "agentErrorsPerSecond", 0.0, "agentLatencyMillis", 0.0));
        all.putAll(values);
        return Settings.of(config(all));
    }
}
