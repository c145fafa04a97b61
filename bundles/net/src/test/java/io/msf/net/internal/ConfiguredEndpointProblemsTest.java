package io.msf.net.internal;

import static io.msf.net.internal.ConfiguredEndpoints.configuration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import io.msf.net.api.EndpointInfo;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/**
 * A configured endpoint that cannot listen is a problem of the container, published as msf.problems
 * (what the launcher's report, msf:health and /health read), and is bound again in the background:
 * here its port is really held by a socket of the test, as by another process.
 */
class ConfiguredEndpointProblemsTest extends ConfiguredEndpointTestSupport {

    private static final String PID = "msf.net.endpoint~echo";
    /** The INFO line of an endpoint bound in the background, as configured. */
    private static final String AS_CONFIGURED = "{}: {} listening on {} now, as configured, after {} failed attempt(s)"
            + " in {} s";
    /** The INFO line of an endpoint bound again in the background where it served before a change. */
    private static final String AGAIN = "{}: {} listening on {} again after {} failed attempt(s) in {} s; the change to"
            + " {} is not applied, see the ERROR above";

    ConfiguredEndpointProblemsTest() {
        super("echo");
    }

    @Test
    void aPortHeldByAnotherProcessIsAProblemUntilItIsFreeThenItServesWithoutAChange() throws Exception {
        int port;
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = taken.getLocalPort();
            endpoints.activate(PID, Map.of("port", port));

            assertThat(info().state()).isEqualTo("FAILED");
            // the endpoint named once, then the reason alone
            String named = "endpoint 'echo' (" + PID + ") does not serve: cannot bind 127.0.0.1:" + port + ": ";
            assertThat(published()).singleElement().asString().startsWith(named).doesNotContain("' of ");
            // tried again in the background (after 1 s), without another error
            verify(endpoints.log, org.mockito.Mockito.timeout(5_000)).debug(eq("{}: still cannot bind {}: {}"),
                    eq(PID), eq("127.0.0.1:" + port), anyString());
            verify(endpoints.log, times(1)).error(anyString());
            assertThat(published()).singleElement().asString().startsWith(named).doesNotContain("' of ")
                    .isEqualTo("endpoint 'echo' (" + PID + ") does not serve: " + info().lastError());
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> info().state().equals("OPEN"));

        assertThat(ConfiguredEndpointTest.echo(port, "back")).isEqualTo("back");
        assertThat(published()).isEmpty();
        // one INFO line that it listens, with the attempts that failed (the first, then at least one more)
        ArgumentCaptor<Object> figures = ArgumentCaptor.forClass(Object.class);
        verify(endpoints.log).info(eq(AS_CONFIGURED),
                figures.capture(), figures.capture(), figures.capture(), figures.capture(), figures.capture());
        assertThat(figures.getAllValues()).startsWith(PID, "endpoint 'echo' (TCP_SERVER)", "127.0.0.1:" + port);
        assertThat((Integer) figures.getAllValues().get(3)).isGreaterThanOrEqualTo(2);
        assertThat((Long) figures.getAllValues().get(4)).isGreaterThanOrEqualTo(1);
        verify(endpoints.log, never()).info(eq("{}: {} listening on {}{}"), any(), any(), any(), any());
    }

    @Test
    void anotherHandlerAndHostWhereNeitherAddressCanBeBoundIsBoundAgainOnTheOldOneWithTheOldHandler()
            throws Exception {
        endpoints.registerEcho("echo2");
        int port = NetworkServiceTest.freePort();
        ConfiguredEndpoint endpoint = endpoints.activate(PID, Map.of("port", port));
        // 0.0.0.0 cannot have the port while a stranger holds it on 127.0.0.2, and once the endpoint lets
        // 127.0.0.1 go to try it, another stranger takes that too.
        try (ServerSocket stranger = new ServerSocket();
                PortGrabber grabber = new PortGrabber(new InetSocketAddress("127.0.0.1", port))) {
            stranger.bind(new InetSocketAddress("127.0.0.2", port));

            endpoint.modified(configuration(Map.of("host", "0.0.0.0", "port", port, "handler", "echo2")));

            assertThat(grabber.holds()).isTrue();
            assertThat(info().state()).isEqualTo("FAILED");
            assertThat(published()).singleElement().asString().contains("127.0.0.1:" + port + " cannot be bound again");
        }

        // bound again in the background, where it served, with the handler it served with
        await().atMost(Duration.ofSeconds(10)).until(() -> info().state().equals("OPEN"));
        assertThat(info().address()).isEqualTo("127.0.0.1:" + port);
        assertThat(ConfiguredEndpointTest.echo(port, "back")).isEqualTo("back");
        assertThat(published()).isEmpty();
        // not "as configured": the configuration asks for 0.0.0.0 and echo2
        verify(endpoints.log).info(eq(AGAIN), eq(PID), eq("endpoint 'echo' (TCP_SERVER)"), eq("127.0.0.1:" + port),
                any(), any(), eq("'echo2' on 0.0.0.0:" + port));
    }

    @Test
    void anotherHostWhereNeitherAddressCanBeBoundSaysTheChangeIsNotAppliedOnceBoundAgain() throws Exception {
        int port = NetworkServiceTest.freePort();
        ConfiguredEndpoint endpoint = endpoints.activate(PID, Map.of("port", port));
        try (ServerSocket stranger = new ServerSocket();
                PortGrabber grabber = new PortGrabber(new InetSocketAddress("127.0.0.1", port))) {
            stranger.bind(new InetSocketAddress("127.0.0.2", port));

            endpoint.modified(configuration(Map.of("host", "0.0.0.0", "port", port)));

            assertThat(grabber.holds()).isTrue();
            assertThat(info().state()).isEqualTo("FAILED");
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> info().state().equals("OPEN"));
        assertThat(info().address()).isEqualTo("127.0.0.1:" + port);
        verify(endpoints.log).info(eq(AGAIN), eq(PID), eq("endpoint 'echo' (TCP_SERVER)"), eq("127.0.0.1:" + port),
                any(), any(), eq("0.0.0.0:" + port));
        verify(endpoints.log, never()).info(eq(AS_CONFIGURED), any(), any(), any(), any(), any());
    }

    @Test
    void theAttemptsRunOnTheEndpointsOwnThreadWhichEndsWithIt() throws Exception {
        List<String> threads = new CopyOnWriteArrayList<>();
        doAnswer(call -> threads.add(Thread.currentThread().getName())).when(endpoints.log)
                .debug(eq("{}: still cannot bind {}: {}"), any(), any(), any());
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ConfiguredEndpoint endpoint = endpoints.activate(PID, Map.of("port", taken.getLocalPort()));
            await().atMost(Duration.ofSeconds(5)).until(() -> !threads.isEmpty());

            assertThat(threads).first().isEqualTo(ConfiguredEndpoint.RETRY_THREAD_PREFIX + PID);

            endpoints.deactivate(endpoint);
            await().atMost(Duration.ofSeconds(5)).until(() -> Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(t -> t.getName().equals(ConfiguredEndpoint.RETRY_THREAD_PREFIX + PID)));
            verify(endpoints.log, never()).warn(anyString(), any(), any());
        }
    }

    @Test
    void theEndpointsListGivesTheReasonTheProblemGivesAlsoAfterARefusedChange() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ConfiguredEndpoint endpoint = endpoints.activate(PID, Map.of("port", taken.getLocalPort()));
            String reason = "cannot bind 127.0.0.1:" + taken.getLocalPort() + ": ";
            assertThat(info().lastError()).startsWith(reason);
            assertThat(published()).singleElement().asString().isEqualTo(
                    "endpoint 'echo' (" + PID + ") does not serve: " + info().lastError());

            endpoint.modified(configuration(Map.of("port", taken.getLocalPort(), "transport", "sctp")));

            assertThat(info().state()).isEqualTo("FAILED");
            assertThat(info().errors()).isEqualTo(2);
            assertThat(info().lastError()).startsWith(reason);
            assertThat(published()).singleElement().asString().isEqualTo(
                    "endpoint 'echo' (" + PID + ") does not serve: " + info().lastError());
        }
    }

    @Test
    void aChangeToAPortThatCanBeBoundEndsTheProblem() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ConfiguredEndpoint endpoint = endpoints.activate(PID, Map.of("port", taken.getLocalPort()));
            assertThat(published()).hasSize(1);

            endpoint.modified(configuration(Map.of("port", 0)));

            assertThat(info().state()).isEqualTo("OPEN");
            assertThat(published()).isEmpty();
        }
    }

    @Test
    void valuesThatCannotBeReadAreAProblemToo() throws Exception {
        endpoints.activate("msf.net.endpoint~bad", Map.of("transport", "sctp"));

        assertThat(published()).singleElement().asString().startsWith(
                "endpoint 'bad' (msf.net.endpoint~bad) does not serve: transport: 'sctp' is not one of");
    }

    /**
     * A Unix socket path that can never be used is refused with the key, the path and why, the endpoint named
     * once: the path check names the endpoint for code, and that came after the PID and the name.
     */
    @Test
    void aSocketPathTooLongIsAProblemNamingThePathOnce() throws Exception {
        String tooLong = DomainSocketFilesTest.pathOfBytes(tmp, 120);
        endpoints.activate("msf.net.endpoint~sock", Map.of("transport", "uds-server", "path", tooLong));

        String reason = "path " + tooLong + " is 120 bytes long; a Unix socket's path can have at most 106 on the NIO"
                + " transport (the JDK's limit)";
        assertThat(endpoints.info("sock").lastError()).isEqualTo(reason);
        assertThat(published()).containsExactly("endpoint 'sock' (msf.net.endpoint~sock) does not serve: " + reason);
    }

    /**
     * A socket whose folder cannot be made (a file is in its way) fails when the server opens: the problem says
     * which folder and why, naming the endpoint once. Before, the reason was the exception's message alone,
     * the folder's path, after the endpoint's label.
     */
    @Test
    void aSocketFolderThatCannotBeMadeIsAProblemSayingWhichAndWhy() throws Exception {
        Path inTheWay = Files.createDirectories(tmp.resolve("data")).resolve("run");
        Files.writeString(inTheWay, "not a folder");
        endpoints.activate("msf.net.endpoint~sock", Map.of("transport", "uds-server", "path", "run/s.sock"));

        assertThat(endpoints.info("sock").state()).isEqualTo("FAILED");
        String reason = endpoints.info("sock").lastError();
        assertThat(reason).startsWith("cannot make the folder " + inTheWay + " for the socket " + inTheWay.resolve("s.sock")
                + ": ").doesNotContain("endpoint");
        assertThat(published()).containsExactly("endpoint 'sock' (msf.net.endpoint~sock) does not serve: " + reason);
        verify(endpoints.log).error("msf.net.endpoint~sock: " + reason);
    }

    /** The data folder a relative socket path is in cannot be used: the problem says so, naming the endpoint once. */
    @Test
    void aDataFolderThatCannotBeUsedForASocketIsAProblemNamingTheEndpointOnce() throws Exception {
        Files.writeString(tmp.resolve("data"), "not a folder");
        endpoints.activate("msf.net.endpoint~sock", Map.of("transport", "uds-server", "path", "s.sock"));

        assertThat(endpoints.info("sock").state()).isEqualTo("FAILED");
        String reason = endpoints.info("sock").lastError();
        assertThat(reason).startsWith("data folder " + tmp.resolve("data")).doesNotContain("endpoint");
        assertThat(published()).containsExactly("endpoint 'sock' (msf.net.endpoint~sock) does not serve: " + reason);
    }

    @Test
    void noProblemOnceTheEndpointIsGone() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ConfiguredEndpoint endpoint = endpoints.activate(PID, Map.of("port", taken.getLocalPort()));
            assertThat(published()).hasSize(1);

            endpoints.deactivate(endpoint);

            assertThat(published()).isEmpty();
        }
    }

    /** Takes an address as soon as it is free, as another process would, and holds it until closed. */
    private static final class PortGrabber implements AutoCloseable {

        private final Thread thread;
        private volatile ServerSocket held;
        private volatile boolean stop;

        PortGrabber(InetSocketAddress address) {
            thread = new Thread(() -> {
                while (!stop && held == null) {
                    try {
                        ServerSocket socket = new ServerSocket();
                        try {
                            socket.bind(address);
                            held = socket;
                        } catch (IOException e) {
                            socket.close();
                            Thread.sleep(1);
                        }
                    } catch (IOException | InterruptedException e) {
                        return;
                    }
                }
            }, "port-grabber");
            thread.start();
        }

        boolean holds() {
            return held != null;
        }

        @Override
        public void close() throws Exception {
            stop = true;
            thread.join(5_000);
            if (held != null) {
                held.close();
            }
        }
    }

    /**
     * A UDP socket NIO closes itself (a read that failed: its owner over its memory limit) stayed CLOSED for good,
     * no problem published, /health UP. It is a problem now, and bound again in the background where it was.
     */
    @Test
    void aUdpSocketClosedByTheNetworkStackIsAProblemAndBoundAgain() throws Exception {
        int port = NetworkServiceTest.freePort();
        endpoints.activate("msf.net.endpoint~udp", Map.of("transport", "udp", "port", port));
        long owner = endpoints.context.getBundle().getBundleId();
        endpoints.pools.refuse(owner, true);
        try (java.net.DatagramSocket peer = new java.net.DatagramSocket()) {
            peer.send(datagram("lost", port));
            await().atMost(Duration.ofSeconds(5)).until(() -> endpoints.info("udp").state().equals("FAILED"));
            assertThat(endpoints.published()).singleElement().asString().contains("endpoint 'udp'")
                    .contains("127.0.0.1:" + port + " was closed by the network stack");
            endpoints.pools.refuse(owner, false);

            await().atMost(Duration.ofSeconds(10)).until(() -> endpoints.info("udp").state().equals("OPEN"));
            assertThat(endpoints.info("udp").address()).isEqualTo("127.0.0.1:" + port);
            assertThat(endpoints.published()).isEmpty();
            peer.setSoTimeout(5_000);
            peer.send(datagram("back", port));
            java.net.DatagramPacket echoed = new java.net.DatagramPacket(new byte[16], 16);
            peer.receive(echoed);
            assertThat(new String(echoed.getData(), 0, echoed.getLength(), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo("back");
        }
    }

    private static java.net.DatagramPacket datagram(String text, int port) {
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new java.net.DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), port);
    }

    private EndpointInfo info() {
        return endpoints.info("echo");
    }

    private List<String> published() throws Exception {
        return endpoints.published();
    }
}
