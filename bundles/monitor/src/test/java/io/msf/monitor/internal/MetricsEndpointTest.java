package io.msf.monitor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isA;
import static org.mockito.ArgumentMatchers.startsWith;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import io.msf.settings.testing.ScrValues;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
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

    /**
     * A change of host, port or allowRemote set through Config Admin (past the config gate) that is refused
     * stopped the endpoint and started none: /metrics and /health went dark until a good change came. The
     * endpoint starts again where it was, on the port it had (the one picked for port = 0 too).
     */
    @Test
    void aRefusedChangeOfItsKeysLeavesTheEndpointServingWhereItWas() throws Exception {
        MetricsEndpoint endpoint = new MetricsEndpoint(config(Map.of("port", 0)), mock(Monitor.class),
                mock(HealthService.class), log);
        int port = servedPort();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            endpoint.modified(config(Map.of("port", 0, "host", "192.0.2.7")));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> verify(log).error(
                    "msf.monitor: host: 192.0.2.7 is not a loopback address; set allowRemote = true to serve metrics"
                            + " and health beyond this machine; the HTTP endpoint serves where it was, on port "
                            + port));
            assertThat(metricsStatus(port)).isEqualTo(200);

            endpoint.modified(config(Map.of("port", taken.getLocalPort())));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> verify(log).error(startsWith(
                    "msf.monitor: cannot listen on 127.0.0.1:" + taken.getLocalPort() + " (keys 'host', 'port'): ")));
            assertThat(metricsStatus(port)).isEqualTo(200);

            endpoint.modified(config(Map.of("port", 70_000)));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> verify(log).error(
                    "msf.monitor: port: 70000 is not in 0..65535; the HTTP endpoint serves where it was, on"
                            + " port " + port));
            assertThat(metricsStatus(port)).isEqualTo(200);
        } finally {
            endpoint.deactivate();
        }
    }

    /** A value that is no number, set past the gate, is refused naming the key; the endpoint is not stopped. */
    @Test
    void aKeyThatCannotBeReadIsRefusedNamingItAndTheEndpointStays() throws Exception {
        MetricsEndpoint endpoint = new MetricsEndpoint(config(Map.of("port", 0)), mock(Monitor.class),
                mock(HealthService.class), log);
        int port = servedPort();
        try {
            endpoint.modified(ScrValues.unconvertible(MonitorConfiguration.class, config(Map.of("port", 0)), "port",
                    "ninety"));
            verify(log).error(eq("{}; the HTTP endpoint stays as it is"), startsWith(
                    "msf.monitor: port: the value cannot be read as"));
            assertThat(metricsStatus(port)).isEqualTo(200);
        } finally {
            endpoint.deactivate();
        }
    }

    /** At the start too: the line names the key, and a good change then opens the endpoint. */
    @Test
    void aKeyThatCannotBeReadAtTheStartIsToldAndAGoodChangeOpensTheEndpoint() throws Exception {
        MonitorConfiguration good = config(Map.of("port", 0));
        MetricsEndpoint endpoint = new MetricsEndpoint(
                ScrValues.unconvertible(MonitorConfiguration.class, good, "allowRemote", "perhaps"), mock(Monitor.class),
                mock(HealthService.class), log);
        try {
            verify(log).error(eq("{}; /metrics and /health are not served"), startsWith(
                    "msf.monitor: allowRemote: the value cannot be read as"));
            endpoint.modified(good);
            assertThat(metricsStatus(servedPort())).isEqualTo(200);
        } finally {
            endpoint.deactivate();
        }
    }

    private static MonitorConfiguration config(Map<String, Object> values) {
        return ConfigDefaults.of(MonitorConfiguration.class, values);
    }

    /** The port the endpoint said it serves on. */
    private int servedPort() {
        ArgumentCaptor<Object> port = ArgumentCaptor.forClass(Object.class);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> verify(log).info(
                eq("Metrics at http://{}:{}/metrics, health at /health"), any(), port.capture()));
        return (Integer) port.getValue();
    }

    private static int metricsStatus(int port) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
