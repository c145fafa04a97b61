package io.msf.net.internal;

import static io.msf.net.internal.ConfiguredEndpointTest.echo;
import static io.msf.net.internal.ConfiguredEndpointTest.echoDatagram;
import static io.msf.net.internal.ConfiguredEndpointTest.port;
import static io.msf.net.internal.ConfiguredEndpoints.configuration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.msf.net.api.ChannelSetup;
import io.msf.net.api.EndpointInfo;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceRegistration;

/**
 * An endpoint configured with port 0 stays on the port the kernel picked for it, where its peers learnt
 * to find it, through a change of its settings or handler and a hot swap of the bundle that serves it.
 */
class PickedPortEndpointTest extends ConfiguredEndpointTestSupport {

    private static final String PID = "msf.net.endpoint~echo";
    private static final String UDP_PID = "msf.net.endpoint~echo-udp";

    @Test
    void aUdpSocketIsBoundAgainOnItsPortWithNewSettings() throws Exception {
        endpoints.registerEcho("echo");
        ConfiguredEndpoint endpoint = endpoints.activate(UDP_PID, Map.of("transport", "udp"));
        int port = port(info("echo-udp"));

        endpoint.modified(configuration(Map.of("transport", "udp", "maxFrameBytes", 2048)));

        assertThat(info("echo-udp").address()).isEqualTo("127.0.0.1:" + port);
        assertThat(echoDatagram(port, "same port")).isEqualTo("same port");
        assertThat(LoggedLines.of(endpoints.log, "info")).contains(UDP_PID + ": endpoint 'echo-udp' (UDP) reopened on"
                + " 127.0.0.1:" + port + " with the new settings");
    }

    /** A hot swap of the handler's bundle: its ChannelSetup goes, the endpoint closes, and it comes back. */
    @Test
    void aServerIsBoundAgainOnItsPortWhenItsHandlerComesBack() throws Exception {
        int port = openedThenLeftByItsHandler();

        endpoints.registerEcho("echo");

        assertThat(info("echo").address()).isEqualTo("127.0.0.1:" + port);
        assertThat(echo(port, "back")).isEqualTo("back");
    }

    @Test
    void aServerIsBoundAgainOnItsPortWithAnotherHandler() throws Exception {
        endpoints.registerEcho("echo");
        endpoints.registerEcho("echo2");
        ConfiguredEndpoint endpoint = endpoints.activate(PID, Map.of());
        int port = port(info("echo"));

        endpoint.modified(configuration(Map.of("handler", "echo2")));

        assertThat(info("echo").address()).isEqualTo("127.0.0.1:" + port);
        assertThat(echo(port, "other handler")).isEqualTo("other handler");
    }

    @Test
    void aPortTakenMeanwhileIsLeftForAnotherOneInAnInfoLine() throws Exception {
        int port = openedThenLeftByItsHandler();
        try (ServerSocket stranger = bindWhenFree(port)) {

            endpoints.registerEcho("echo");

            EndpointInfo info = info("echo");
            assertThat(info.state()).as(info.lastError()).isEqualTo("OPEN");
            assertThat(port(info)).isNotEqualTo(port);
            assertThat(echo(port(info), "elsewhere")).isEqualTo("elsewhere");
            assertThat(LoggedLines.of(endpoints.log, "info")).contains(PID + ": endpoint 'echo' (TCP_SERVER) cannot"
                    + " have port " + port + " again, another socket holds it by now; the kernel picks another");
        }
    }

    /** Port 0 after a port of its own is any port again, not the one picked before, which may be taken by then. */
    @Test
    void aPortNamedInBetweenLetsGoOfThePickedOne() throws Exception {
        endpoints.registerEcho("echo");
        ConfiguredEndpoint endpoint = endpoints.activate(PID, Map.of());
        int picked = port(info("echo"));
        int named = NetworkServiceTest.freePort();
        endpoint.modified(configuration(Map.of("port", named)));
        try (ServerSocket stranger = bindWhenFree(picked)) {

            endpoint.modified(configuration(Map.of()));

            EndpointInfo info = info("echo");
            assertThat(info.errors()).as(info.lastError()).isZero();
            assertThat(List.of(picked, named)).doesNotContain(port(info));
            assertThat(echo(port(info), "any port")).isEqualTo("any port");
        }
    }

    /** Opens the endpoint on port 0 with its handler, which then goes away; returns the port it had. */
    private int openedThenLeftByItsHandler() {
        ServiceRegistration<ChannelSetup> echo = endpoints.registerEcho("echo");
        endpoints.activate(PID, Map.of());
        int port = port(info("echo"));
        echo.unregister();
        assertThat(info("echo").state()).isEqualTo("WAITING");
        return port;
    }

    private EndpointInfo info(String name) {
        return endpoints.info(name);
    }

    /** A socket of another owner on {@code port}, once the endpoint's closed socket has let go of it. */
    private static ServerSocket bindWhenFree(int port) {
        return await().atMost(Duration.ofSeconds(5)).ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> new ServerSocket(port, 1, InetAddress.getLoopbackAddress()), socket -> true);
    }
}
