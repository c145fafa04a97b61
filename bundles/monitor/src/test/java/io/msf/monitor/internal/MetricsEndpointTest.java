package io.msf.monitor.internal;

import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isA;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.Logger;

class MetricsEndpointTest {

    private final Logger log = mock(Logger.class);

    @Test
    void anErrorOnTheStartThreadIsLoggedAsTheFailureItIsNotAsAStartStillUnderWay() {
        MonitorConfiguration defaults = ConfigDefaults.of(MonitorConfiguration.class, Map.of("port", 0));
        // The start thread is the first to read the host once more: it fails there as it would on a class
        // of the embedded Prometheus client that cannot be loaded.
        MonitorConfiguration failingOnStart = (MonitorConfiguration) Proxy.newProxyInstance(
                MonitorConfiguration.class.getClassLoader(), new Class<?>[] {MonitorConfiguration.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("host") && Thread.currentThread().getName().endsWith("-http-start")) {
                        throw new NoClassDefFoundError("io/prometheus/metrics/core/metrics/Gauge");
                    }
                    return method.invoke(defaults, args);
                });

        MetricsEndpoint endpoint = new MetricsEndpoint(failingOnStart, mock(Monitor.class), mock(HealthService.class),
                log);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> verify(log).error(contains("failed to start"),
                eq(Monitor.PID), isA(NoClassDefFoundError.class)));
        endpoint.deactivate();
        verify(log, never()).warn(anyString(), any(), any());
        verify(log, never()).warn(anyString(), any(), any(), any());
    }
}
