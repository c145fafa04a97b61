package io.msf.net.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.net.api.Framing;
import io.msf.net.api.NetTransport;
import io.msf.net.api.TlsSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gate's check of an endpoint's words takes what the endpoint takes, in any case, and nothing else. */
class EndpointCheckTest {

    private static final String PID = "msf.net.endpoint~echo";

    private final EndpointCheck check = new EndpointCheck();

    @Test
    void takesTheWordsTheEndpointTakesInAnyCase() {
        assertThat(check.apply(PID, Map.of("transport", "TCP-Server", "framing", "NONE", "tlsClientAuth", "Require")))
                .isEmpty();
        assertThat(ConfiguredSpec.transport("TCP-Server")).isEqualTo(NetTransport.TCP_SERVER);
        assertThat(ConfiguredSpec.framing("NONE")).isEqualTo(Framing.NONE);
        assertThat(TlsSpec.ClientAuth.parse("Require")).isEqualTo(TlsSpec.ClientAuth.REQUIRE);
    }

    @Test
    void refusesWhatTheEndpointRefusesByKeyWithItsReason() {
        assertThat(check.apply(PID, Map.of("transport", "tcp-serv", "framing", "lines", "tlsClientAuth", "always")))
                .containsOnly(Map.entry("transport", "'tcp-serv' is not one of tcp-server, tcp-client, udp, uds-server,"
                                + " uds-client"),
                        Map.entry("framing", "'lines' is not one of length-field, none"),
                        Map.entry("tlsClientAuth", "'always' is not one of none, optional, require"));
    }

    @Test
    void leavesWhatIsNotSetToTheDefaults() {
        assertThat(check.apply(PID, Map.of("port", "7000"))).isEmpty();
    }
}
