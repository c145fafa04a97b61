package io.msf.shell.internal.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.msf.net.api.EndpointInfo;
import io.msf.net.api.NetTransport;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetCommandsTest {

    @Test
    void listsEndpointsByOwnerAndNameWithTraffic() {
        TestServices.Network network = new TestServices.Network(List.of(
                new EndpointInfo("api", "io.msf.net", NetTransport.TCP_SERVER, "127.0.0.1:8080", "OPEN", 3,
                        1L << 20, 2048, 77, 1, "frame of 2000000 bytes over maxFrameBytes from 127.0.0.1:5555"),
                new EndpointInfo("admin", "io.msf.net", NetTransport.UDS_SERVER, "/var/msf/admin.sock", "FAILED", 0,
                        0, 0, 0, 0, ""),
                new EndpointInfo("feed", "com.example.app", NetTransport.UDP, "127.0.0.1:9999", "OPEN", 1, 100, 0, 4,
                        0, "")));

        String out = new NetCommands(TestServices.Fixed.none().with(network)).list();

        assertThat(out.lines()).containsExactly(
                "NAME   OWNER            TRANSPORT   ADDRESS              STATE   CONNS       IN      OUT  FRAMES IN"
                        + "  ERRORS  LAST ERROR",
                "-----  ---------------  ----------  -------------------  ------  -----  -------  -------  ---------"
                        + "  ------  ------------------------------------------------------------",
                "feed   com.example.app  UDP         127.0.0.1:9999       OPEN        1    100 B      0 B          4"
                        + "       0",
                "admin  io.msf.net       UDS_SERVER  /var/msf/admin.sock  FAILED      0      0 B      0 B          0"
                        + "       0",
                "api    io.msf.net       TCP_SERVER  127.0.0.1:8080       OPEN        3  1.0 MiB  2.0 KiB         77"
                        + "       1  frame of 2000000 bytes over maxFrameBytes from 127.0.0.1:...");
    }

    /**
     * The network service gives each endpoint's last error as the reason alone (the row's NAME and OWNER say
     * whose): shown as it is, also where it starts like a label, which is then part of the reason.
     */
    @Test
    void theLastErrorIsShownAsTheNetworkServiceGivesIt() {
        TestServices.Network network = new TestServices.Network(List.of(
                new EndpointInfo("echo", "io.msf.net", NetTransport.TCP_SERVER, "127.0.0.1:7000", "FAILED", 0, 0, 0, 0,
                        1, "cannot bind 127.0.0.1:7000: bind(..) failed with error(-98): Address already in use"),
                new EndpointInfo("up", "com.example.app", NetTransport.TCP_CLIENT, "10.0.0.5:7200", "CLOSED", 0, 0, 0,
                        0, 1, "connection to 10.0.0.5:7200 lost; not reconnecting (reconnect = false)"),
                new EndpointInfo("other", "com.example.app", NetTransport.TCP_CLIENT, "10.0.0.5:7201", "CLOSED", 0, 0,
                        0, 0, 1, "endpoint 'other' of com.example.app: handler setup failed"),
                new EndpointInfo("api", "io.msf.net", NetTransport.TCP_SERVER, "127.0.0.1:8080", "FAILED", 0, 0, 0, 0,
                        1, "msf.net.endpoint~api: a reason that starts so")));

        String out = new NetCommands(TestServices.Fixed.none().with(network)).list();

        assertThat(out.lines().skip(2).map(line -> line.substring(line.indexOf("  1  ") + 5))).containsExactly(
                "endpoint 'other' of com.example.app: handler setup failed",
                "connection to 10.0.0.5:7200 lost; not reconnecting (recon...",
                "msf.net.endpoint~api: a reason that starts so",
                "cannot bind 127.0.0.1:7000: bind(..) failed with error(-9...");
    }

    @Test
    void anEndpointOfABundleWithoutSymbolicNameIsListedToo() {
        // An OSGi R3 bundle has no Bundle-SymbolicName: the network service reports its owner as null.
        TestServices.Network network = new TestServices.Network(List.of(
                new EndpointInfo("api", "io.msf.net", NetTransport.TCP_SERVER, "127.0.0.1:8080", "OPEN", 0, 0, 0, 0, 0,
                        ""),
                new EndpointInfo("legacy", null, NetTransport.TCP_SERVER, "127.0.0.1:8081", "OPEN", 0, 0, 0, 0, 0,
                        "")));

        String out = new NetCommands(TestServices.Fixed.none().with(network)).list();

        assertThat(out.lines().skip(2).map(line -> line.split(" +")[0])).containsExactly("api", "legacy");
    }

    @Test
    void saysSoWhenThereAreNoEndpoints() {
        assertThat(new NetCommands(TestServices.Fixed.none().with(new TestServices.Network(List.of()))).list())
                .isEqualTo("No endpoints.\n");
    }

    @Test
    void missingServiceIsAnError() {
        assertThatThrownBy(() -> new NetCommands(TestServices.Fixed.none()).list())
                .hasMessageContaining("network service is missing").hasMessageContaining("io.msf.net");
    }
}
