package io.msf.monitor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.AdditionalMatchers.and;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.endsWith;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isA;
import static org.mockito.ArgumentMatchers.startsWith;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import io.msf.problems.Problems;
import io.msf.problems.Retry;
import io.msf.problems.testing.RunningFramework;
import io.msf.settings.testing.ScrValues;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockito.ArgumentCaptor;
import org.osgi.framework.ServiceReference;
import org.osgi.service.log.Logger;

class MetricsEndpointTest {

    private final Logger log = mock(Logger.class);

    /** Where the endpoint publishes why nothing serves, read back as the launcher and msf:health read it. */
    @RegisterExtension
    final RunningFramework framework = new RunningFramework();

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

        MetricsEndpoint endpoint = endpointOn(failingOnStart);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> verify(log).error(contains("failed to start"),
                eq(Monitor.PID), isA(NoClassDefFoundError.class)));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(problems()).singleElement().asString()
                .contains("failed to start", "NoClassDefFoundError"));
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
        MetricsEndpoint endpoint = endpointOn(config(Map.of("port", 0)));
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

    /**
     * A host or port refused before anything is bound (a non-loopback host without allowRemote, a port out of
     * range) stopped the endpoint and started it again where it was: its connections were dropped, and for a
     * moment nothing listened. It now touches nothing: a connection opened before the change is answered after.
     */
    @Test
    void aChangeRefusedBeforeBindingNeitherClosesNorReopensTheEndpoint() throws Exception {
        MetricsEndpoint endpoint = endpointOn(config(Map.of("port", 0)));
        int port = servedPort();
        try (Socket connected = new Socket(InetAddress.getLoopbackAddress(), port)) {
            connected.setSoTimeout(10_000);
            endpoint.modified(config(Map.of("port", 0, "host", "0.0.0.0")));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> verify(log).error(
                    "msf.monitor: host: 0.0.0.0 is not a loopback address; set allowRemote = true to serve metrics"
                            + " and health beyond this machine; the HTTP endpoint serves where it was, on port "
                            + port));
            endpoint.modified(config(Map.of("port", 70_000)));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> verify(log).error(
                    "msf.monitor: port: 70000 is not in 0..65535; the HTTP endpoint serves where it was, on"
                            + " port " + port));

            connected.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String statusLine = new BufferedReader(new InputStreamReader(connected.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            assertThat(statusLine).isEqualTo("HTTP/1.1 200 OK");
            verify(log, times(1)).info(eq("Metrics at http://{}:{}/metrics, health at /health"), any(), any());
        } finally {
            endpoint.deactivate();
        }
    }

    /**
     * A change to a port another socket holds closed the endpoint, then found the port taken and started it
     * again where it was: its connections were dropped, and for a moment nothing listened. The new address is
     * bound first: the endpoint that serves is not touched when it cannot be, and the line names the keys and
     * the address.
     */
    @Test
    void aChangeToAPortTakenLeavesTheEndpointAndItsConnectionsUntouched() throws Exception {
        MetricsEndpoint endpoint = endpointOn(config(Map.of("port", 0)));
        int port = servedPort();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket connected = new Socket(InetAddress.getLoopbackAddress(), port)) {
            connected.setSoTimeout(10_000);
            endpoint.modified(config(Map.of("port", taken.getLocalPort())));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> verify(log).error(and(
                    startsWith("msf.monitor: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                            + " (keys 'host', 'port'): "),
                    endsWith("; the HTTP endpoint serves where it was, on port " + port))));

            assertThat(answer(connected)).isEqualTo("HTTP/1.1 200 OK");
            verify(log, times(1)).info(eq("Metrics at http://{}:{}/metrics, health at /health"), any(), any());
        } finally {
            endpoint.deactivate();
        }
    }

    /** A change to a free port serves there, and the old address is closed once the new one serves. */
    @Test
    void aChangeToAFreePortMovesTheEndpointThere() throws Exception {
        MetricsEndpoint endpoint = endpointOn(config(Map.of("port", 0)));
        int port = servedPort();
        try {
            int free;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                free = probe.getLocalPort();
            }
            endpoint.modified(config(Map.of("port", free)));
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                    .untilAsserted(() -> assertThat(metricsStatus(free)).isEqualTo(200));
            await().atMost(Duration.ofSeconds(10)).until(() -> !served(port));
        } finally {
            endpoint.deactivate();
        }
    }

    /**
     * The host of a change was resolved on the thread that delivered it, Config Admin's, which a slow DNS then
     * held up for every other configuration. It is resolved on the endpoint's own thread, and the endpoint
     * serves where it was meanwhile.
     */
    @Test
    void aHostIsResolvedOffTheThreadThatDeliversTheChange() throws Exception {
        CountDownLatch dnsAnswers = new CountDownLatch(1);
        List<String> resolvingThreads = new CopyOnWriteArrayList<>();
        Settings.HostResolver slowDns = host -> {
            if (host.equals("slow.dns.test")) {
                resolvingThreads.add(Thread.currentThread().getName());
                try {
                    dnsAnswers.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return InetAddress.getLoopbackAddress();
            }
            return InetAddress.getByName(host);
        };
        MetricsEndpoint endpoint = new MetricsEndpoint(config(Map.of("port", 0)), framework.context(),
                mock(Monitor.class), mock(HealthService.class), log, slowDns);
        int port = servedPort();
        try {
            CompletableFuture<Void> delivered = CompletableFuture.runAsync(
                    () -> endpoint.modified(config(Map.of("port", 0, "host", "slow.dns.test"))));
            try {
                delivered.get(5, TimeUnit.SECONDS);
                assertThat(metricsStatus(port)).isEqualTo(200);
            } finally {
                dnsAnswers.countDown();
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> verify(log, times(2)).info(
                    eq("Metrics at http://{}:{}/metrics, health at /health"), any(), any()));
            assertThat(resolvingThreads).singleElement().asString().startsWith(Monitor.THREAD_NAME);
        } finally {
            endpoint.deactivate();
        }
    }

    /**
     * A stop while a change waited for a slow DNS waited for the lookup too, up to 10 s: SCR's deactivate, and the
     * bundle's stop with it. It waits for no lookup: the endpoint that served is closed at once, and the change,
     * once its lookup is over, binds nothing.
     */
    @Test
    void aStopWaitsForNoLookupAndTheChangeThatLooksUpBindsNothing() throws Exception {
        CountDownLatch lookupStarted = new CountDownLatch(1);
        CountDownLatch dnsAnswers = new CountDownLatch(1);
        Settings.HostResolver slowDns = host -> {
            if (host.equals("slow.dns.test")) {
                lookupStarted.countDown();
                try {
                    dnsAnswers.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return InetAddress.getLoopbackAddress();
            }
            return InetAddress.getByName(host);
        };
        MetricsEndpoint endpoint = new MetricsEndpoint(config(Map.of("port", 0)), framework.context(),
                mock(Monitor.class), mock(HealthService.class), log, slowDns);
        int port = servedPort();
        int movedTo = freePort();
        CompletableFuture<Void> stopped = null;
        try {
            endpoint.modified(config(Map.of("port", movedTo, "host", "slow.dns.test")));
            assertThat(lookupStarted.await(10, TimeUnit.SECONDS)).isTrue();

            stopped = CompletableFuture.runAsync(endpoint::deactivate);

            stopped.get(5, TimeUnit.SECONDS);
            assertThat(served(port)).isFalse();
        } finally {
            dnsAnswers.countDown();
            if (stopped == null) {
                endpoint.deactivate();
            }
        }
        // the change's lookup is over: it binds nothing, nor does it say the endpoint serves anywhere
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> !served(movedTo));
        verify(log).info(eq("Metrics at http://{}:{}/metrics, health at /health"), any(), any());
        verify(log, never()).warn(anyString(), any(), any());
    }

    /**
     * The background bind set the endpoint up (the JVM metrics: a second or more on a busy machine) under the
     * endpoint's lock, so a change that came meanwhile waited for it on Config Admin's thread. It waits for none:
     * the endpoint bound in the background is closed at once, the change's serves.
     */
    @Test
    void aChangeWaitsForNoBackgroundBindAndWhatThatBoundIsClosed() throws Exception {
        CountDownLatch setUp = new CountDownLatch(1);
        CountDownLatch goOn = new CountDownLatch(1);
        // The background bind's last step before it is in force stands for its setup: held here while the change comes.
        doAnswer(invocation -> {
            if (Thread.currentThread().getName().startsWith(MetricsEndpoint.RETRY_THREAD_NAME)) {
                setUp.countDown();
                goOn.await();
            }
            return null;
        }).when(log).info(eq("Metrics at http://{}:{}/metrics, health at /health"), any(), any());
        StartedOnAHeldPort held = startedOnAHeldPort();
        MetricsEndpoint endpoint = held.endpoint();
        try {
            assertThat(setUp.await(10, TimeUnit.SECONDS)).isTrue();

            CompletableFuture.runAsync(() -> endpoint.modified(config(Map.of("port", 0)))).get(5, TimeUnit.SECONDS);
            goOn.countDown();

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> verify(log).info(
                    contains("bound in the background is closed again"), eq(Monitor.PID)));
            assertThat(served(held.port())).isFalse();
            // the background bind's, then the change's
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> verify(log, times(2)).info(
                    eq("Metrics at http://{}:{}/metrics, health at /health"), any(), any()));
            ArgumentCaptor<Object> ports = ArgumentCaptor.forClass(Object.class);
            verify(log, times(2)).info(eq("Metrics at http://{}:{}/metrics, health at /health"), any(), ports.capture());
            assertThat(ports.getAllValues()).filteredOn(moved -> !moved.equals(held.port())).singleElement()
                    .satisfies(moved -> assertThat(metricsStatus((Integer) moved)).isEqualTo(200));
            verify(log, never()).info(contains("bound after"), eq(Monitor.PID), any());
        } finally {
            goOn.countDown();
            endpoint.deactivate();
        }
    }

    /**
     * A stop while a change waited for a slow DNS closes the endpoint at once; a lookup that then failed went on
     * as if nothing had come: its ERROR line said the endpoint "serves where it was, on port N", past the stop
     * that had closed it. A lookup the stop made moot says nothing, whatever its answer.
     */
    @Test
    void aLookupThatFailsPastTheStopSaysNothingServes() throws Exception {
        CountDownLatch lookupStarted = new CountDownLatch(1);
        CountDownLatch dnsAnswers = new CountDownLatch(1);
        CountDownLatch answered = new CountDownLatch(1);
        Settings.HostResolver slowDnsThatFails = host -> {
            if (!host.equals("slow.dns.test")) {
                return InetAddress.getByName(host);
            }
            lookupStarted.countDown();
            try {
                dnsAnswers.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answered.countDown();
            throw new java.net.UnknownHostException(host);
        };
        MetricsEndpoint endpoint = new MetricsEndpoint(config(Map.of("port", 0)), framework.context(),
                mock(Monitor.class), mock(HealthService.class), log, slowDnsThatFails);
        int port = servedPort();
        try {
            endpoint.modified(config(Map.of("port", 0, "host", "slow.dns.test")));
            assertThat(lookupStarted.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture.runAsync(endpoint::deactivate).get(5, TimeUnit.SECONDS);
            assertThat(served(port)).isFalse();
        } finally {
            dnsAnswers.countDown();
        }
        assertThat(answered.await(10, TimeUnit.SECONDS)).isTrue();
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> verify(log, never()).error(contains("serves where it was")));
    }

    /**
     * A stop while the background bind looked its host up (a slow DNS) did not wait for it, which is right; but
     * once the lookup was over the attempt bound all the same, after the bundle had stopped: the port taken and
     * the JVM metrics set up past the stop, and a "Metrics at" line for an endpoint that is not to serve. An
     * attempt a stop or change made moot during its lookup binds nothing.
     */
    @Test
    void aBackgroundBindWhoseLookupOutlastsTheStopBindsNothing() throws Exception {
        CountDownLatch backgroundLookup = new CountDownLatch(1);
        CountDownLatch dnsAnswers = new CountDownLatch(1);
        Settings.HostResolver slowInTheBackground = host -> {
            if (Thread.currentThread().getName().startsWith(MetricsEndpoint.RETRY_THREAD_NAME)) {
                backgroundLookup.countDown();
                try {
                    dnsAnswers.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return InetAddress.getLoopbackAddress();
        };
        int port;
        MetricsEndpoint endpoint;
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = taken.getLocalPort();
            endpoint = new MetricsEndpoint(config(Map.of("port", port)), framework.context(), mock(Monitor.class),
                    mock(HealthService.class), log, slowInTheBackground);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> verify(log).error(startsWith(
                    "msf.monitor: cannot listen on 127.0.0.1:" + port)));
        }
        try {
            assertThat(backgroundLookup.await(10, TimeUnit.SECONDS)).isTrue();
            endpoint.deactivate();
        } finally {
            dnsAnswers.countDown();
        }
        // the port is free and the lookup answered: the attempt, moot since the stop, neither binds nor says it does
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            verify(log, never()).info(eq("Metrics at http://{}:{}/metrics, health at /health"), any(), any());
            verify(log, never()).info(contains("bound in the background is closed again"), eq(Monitor.PID));
        });
        assertThat(served(port)).isFalse();
    }

    private static int freePort() throws Exception {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return free.getLocalPort();
        }
    }

    /**
     * An Error while a change was applied (a class of the embedded Prometheus client that cannot be loaded) lost
     * the endpoint that served: nothing closed it any more, and it held its port after the bundle stopped. It is
     * kept, serving, and the stop closes it.
     */
    @Test
    void anErrorWhileAChangeIsAppliedLeavesTheEndpointServingAndTheStopClosesIt() throws Exception {
        MetricsEndpoint endpoint = endpointOn(config(Map.of("port", 0)));
        int port = servedPort();
        MonitorConfiguration moved = config(Map.of("port", 0, "host", "localhost"));
        MonitorConfiguration failingOnStart = (MonitorConfiguration) Proxy.newProxyInstance(
                MonitorConfiguration.class.getClassLoader(), new Class<?>[] {MonitorConfiguration.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("host") && Thread.currentThread().getName().endsWith("-http-start")) {
                        throw new NoClassDefFoundError("io/prometheus/metrics/core/metrics/Gauge");
                    }
                    return method.invoke(moved, args);
                });
        try {
            endpoint.modified(failingOnStart);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> verify(log).error(
                    contains("the HTTP endpoint serves where it was, on port " + port),
                    isA(NoClassDefFoundError.class)));
            assertThat(metricsStatus(port)).isEqualTo(200);
            assertThat(problems()).isEmpty();
        } finally {
            endpoint.deactivate();
        }
        assertThat(served(port)).isFalse();
    }

    /** The status line of the answer to a GET /metrics sent on {@code connected}. */
    private static String answer(Socket connected) throws Exception {
        connected.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        return new BufferedReader(new InputStreamReader(connected.getInputStream(), StandardCharsets.US_ASCII))
                .readLine();
    }

    /** A value that is no number, set past the gate, is refused naming the key; the endpoint is not stopped. */
    @Test
    void aKeyThatCannotBeReadIsRefusedNamingItAndTheEndpointStays() throws Exception {
        MetricsEndpoint endpoint = endpointOn(config(Map.of("port", 0)));
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
        MetricsEndpoint endpoint = endpointOn(
                ScrValues.unconvertible(MonitorConfiguration.class, good, "allowRemote", "perhaps"));
        try {
            verify(log).error(eq("{}; /metrics and /health are not served"), startsWith(
                    "msf.monitor: allowRemote: the value cannot be read as"));
            assertThat(problems()).singleElement().asString()
                    .startsWith("msf.monitor: allowRemote: the value cannot be read as")
                    .endsWith("; /metrics and /health are not served");
            endpoint.modified(good);
            assertThat(metricsStatus(servedPort())).isEqualTo(200);
            assertThat(problems()).isEmpty();
        } finally {
            endpoint.deactivate();
        }
    }

    /**
     * The port held at the start (the previous container still stopping, another exporter): the endpoint was
     * never tried again, and /health stayed dark until the bundle restarted. It is bound in the background
     * once the port is free, without a configuration change.
     */
    @Test
    void anEndpointThatCouldNotBindAtTheStartIsOpenedOnceThePortIsFree() throws Exception {
        StartedOnAHeldPort held = startedOnAHeldPort();
        int port = held.port();
        MetricsEndpoint endpoint = held.endpoint();
        try {
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                    .untilAsserted(() -> assertThat(metricsStatus(port)).isEqualTo(200));
            verify(log).info(contains("bound after"), eq(Monitor.PID), any());
            assertThat(problems()).isEmpty();
        } finally {
            endpoint.deactivate();
        }
    }

    private record StartedOnAHeldPort(int port, MetricsEndpoint endpoint) {
    }

    /** An endpoint started on a port another socket holds, that socket closed once the endpoint said so. */
    private StartedOnAHeldPort startedOnAHeldPort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            MetricsEndpoint endpoint = endpointOn(config(Map.of("port", port)));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> verify(log).error(startsWith(
                    "msf.monitor: cannot listen on 127.0.0.1:" + port)));
            // what the launcher's report and msf:health show: the port, and that it is tried again
            assertThat(problems()).singleElement().asString()
                    .startsWith("msf.monitor: cannot listen on 127.0.0.1:" + port + " (keys 'host', 'port'): ")
                    .endsWith("; /metrics and /health are not served; tried again in the background until it can be"
                            + " bound");
            return new StartedOnAHeldPort(port, endpoint);
        }
    }

    /**
     * The keys of an endpoint that could not start are not the ones in force: saving them again (or changing
     * another key) started nothing, as if it ran.
     */
    @Test
    void theSameKeysSavedAgainOpenAnEndpointThatIsNotRunning() throws Exception {
        StartedOnAHeldPort held = startedOnAHeldPort();
        int port = held.port();
        MetricsEndpoint endpoint = held.endpoint();
        try {
            endpoint.modified(config(Map.of("port", port, "heapPercent", 80.0)));
            assertThat(metricsStatus(servedPort())).isEqualTo(200);
        } finally {
            endpoint.deactivate();
        }
    }

    /** Deactivated, the endpoint is not bound by an attempt still due. */
    @Test
    void aDeactivatedEndpointIsNotBoundInTheBackground() throws Exception {
        int port;
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = taken.getLocalPort();
            MetricsEndpoint endpoint = endpointOn(config(Map.of("port", port)));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> verify(log).error(startsWith(
                    "msf.monitor: cannot listen on 127.0.0.1:" + port)));
            assertThat(problems()).hasSize(1);
            endpoint.deactivate();
            assertThat(problems()).isEmpty();
        }
        // the first attempt was due 1 s after the failure
        await().during(Duration.ofMillis(Retry.FIRST_MILLIS * 2)).atMost(Duration.ofSeconds(5))
                .until(() -> !served(port));
        verify(log, never()).info(contains("bound after"), any(), any());
    }

    /**
     * A change that turns the endpoint off ends its problem: nothing is to be served. One that is refused while
     * nothing serves leaves the problem as it was.
     */
    @Test
    void anEndpointTurnedOffIsNoProblem() throws Exception {
        MetricsEndpoint endpoint = startedOnAHeldPort().endpoint();
        try {
            endpoint.modified(ScrValues.unconvertible(MonitorConfiguration.class, config(Map.of("port", 0)), "port",
                    "ninety"));
            assertThat(problems()).hasSize(1);
            endpoint.modified(config(Map.of("httpEnabled", false)));
            assertThat(problems()).isEmpty();
        } finally {
            endpoint.deactivate();
        }
    }

    /** An endpoint started on {@code config}, publishing its problems in the test's framework. */
    private MetricsEndpoint endpointOn(MonitorConfiguration config) {
        return new MetricsEndpoint(config, framework.context(), mock(Monitor.class), mock(HealthService.class), log);
    }

    /** A disabled endpoint whose other keys cannot be read is logged, and is no problem: nothing is to be served. */
    @Test
    void aDisabledEndpointWithAKeyThatCannotBeReadIsNoProblem() throws Exception {
        MetricsEndpoint endpoint = endpointOn(ScrValues.unconvertible(MonitorConfiguration.class,
                config(Map.of("httpEnabled", false)), "port", "ninety"));
        try {
            verify(log).error(eq("{}; /metrics and /health are not served"), startsWith("msf.monitor: port: "));
            assertThat(problems()).isEmpty();
        } finally {
            endpoint.deactivate();
        }
    }

    /** The problems published now, by any service, as the launcher and msf:health read them. */
    private List<String> problems() throws Exception {
        ServiceReference<?>[] references = framework.context().getAllServiceReferences(null,
                "(" + Problems.PROPERTY + "=*)");
        List<String> all = new ArrayList<>();
        if (references != null) {
            for (ServiceReference<?> reference : references) {
                all.addAll(Problems.texts(reference.getProperty(Problems.PROPERTY)));
            }
        }
        return all;
    }

    private static boolean served(int port) {
        try {
            metricsStatus(port);
            return true;
        } catch (Exception e) {
            return false;
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
