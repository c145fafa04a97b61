package io.msf.net.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The connect, TLS handshake and idle timeouts of a spec: today's by default, kept by the other withers, bounded. */
class EndpointSpecTest {

    @Test
    void theOlderConstructorsAndFactoriesHaveTheDefaultTimeouts() {
        EndpointSpec tenArguments = new EndpointSpec("echo", NetTransport.TCP_SERVER, null, 7000, null,
                Framing.LENGTH_FIELD, 4, 1024, 10, null);

        for (EndpointSpec spec : new EndpointSpec[] {tenArguments, EndpointSpec.tcpClient("up", "127.0.0.1", 7000)}) {
            assertThat(spec.connectTimeoutMillis()).isEqualTo(5000);
            assertThat(spec.tlsHandshakeTimeoutMillis()).isEqualTo(10_000);
            assertThat(spec.idleTimeoutMillis()).isEqualTo(EndpointSpec.NO_IDLE_TIMEOUT);
        }
        EndpointSpec thirteenArguments = new EndpointSpec("echo", NetTransport.TCP_SERVER, null, 7000, null,
                Framing.LENGTH_FIELD, 4, 1024, 10, null, null, 250, 750);
        assertThat(thirteenArguments.idleTimeoutMillis()).isEqualTo(EndpointSpec.NO_IDLE_TIMEOUT);
    }

    @Test
    void theTimeoutsAreKeptByTheOtherWithers() {
        EndpointSpec spec = EndpointSpec.tcpClient("up", "127.0.0.1", 7000).withConnectTimeoutMillis(250)
                .withTlsHandshakeTimeoutMillis(750).withIdleTimeoutMillis(60_000);

        EndpointSpec changed = spec.withMaxFrameBytes(64).withFraming(Framing.NONE, 4).withMaxConnections(2)
                .withTls(TlsSpec.client(null, "")).withReconnect(Reconnect.DEFAULT);

        assertThat(changed.connectTimeoutMillis()).isEqualTo(250);
        assertThat(changed.tlsHandshakeTimeoutMillis()).isEqualTo(750);
        assertThat(changed.withConnectTimeoutMillis(1).withTlsHandshakeTimeoutMillis(1).idleTimeoutMillis())
                .isEqualTo(60_000);
    }

    @Test
    void aNegativeIdleTimeoutIsRefusedNamingTheEndpointAndTheKey() {
        EndpointSpec spec = EndpointSpec.tcpServer("echo", 7000);

        assertThatThrownBy(() -> spec.withIdleTimeoutMillis(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("endpoint echo: idleTimeoutMillis -1 is negative (0: connections are never closed for"
                        + " being idle)");
        assertThat(spec.withIdleTimeoutMillis(Integer.MAX_VALUE).idleTimeoutMillis()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void aTimeoutOutside1To10MinutesIsRefusedNamingTheEndpointAndTheKey() {
        EndpointSpec spec = EndpointSpec.tcpClient("up", "127.0.0.1", 7000);

        assertThatThrownBy(() -> spec.withConnectTimeoutMillis(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("endpoint up: connectTimeoutMillis 0 is not in 1..600000 (10 minutes)");
        assertThatThrownBy(() -> spec.withTlsHandshakeTimeoutMillis(-5))
                .hasMessage("endpoint up: tlsHandshakeTimeoutMillis -5 is not in 1..600000 (10 minutes)");
        assertThatThrownBy(() -> spec.withTlsHandshakeTimeoutMillis(600_001))
                .hasMessage("endpoint up: tlsHandshakeTimeoutMillis 600001 is not in 1..600000 (10 minutes)");
        assertThat(spec.withConnectTimeoutMillis(600_000).connectTimeoutMillis()).isEqualTo(600_000);
    }

    /** Port 0 is no port a connection can go to: such a client tried it for ever, each attempt refused. */
    @Test
    void aTcpClientOfPort0IsRefusedNamingTheEndpoint() {
        assertThatThrownBy(() -> EndpointSpec.tcpClient("up", "127.0.0.1", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("endpoint up: port 0 is no port to connect to; a TCP client needs its server's (1..65535)");
        assertThat(EndpointSpec.tcpServer("echo", 0).port()).isZero();
        assertThat(EndpointSpec.udp("echo", 0).port()).isZero();
    }
}
