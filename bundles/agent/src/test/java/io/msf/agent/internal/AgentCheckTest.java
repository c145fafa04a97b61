package io.msf.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.net.api.TlsSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gate's checks take what the agent takes and refuse what it refuses. */
class AgentCheckTest {

    private final AgentCheck check = new AgentCheck();

    @Test
    void takesTheWordInAnyCaseAsTheListenerDoes() {
        assertThat(check.apply("msf.agent", Map.of("tlsClientAuth", "REQUIRE"))).isEmpty();
        assertThat(TlsSpec.ClientAuth.parse("REQUIRE")).as("as the listener reads it (TlsSpec.fromConfiguration)")
                .isEqualTo(TlsSpec.ClientAuth.REQUIRE);
    }

    @Test
    void refusesWhatTheAgentRefuses() {
        assertThat(check.apply("msf.agent", Map.of("tlsClientAuth", "sometimes")))
                .containsExactly(Map.entry("tlsClientAuth", "'sometimes' is not one of none, optional, require"));
    }

    /**
     * tcpHost = 0.0.0.0 without a token: the agent refused it (keeping 127.0.0.1) with an ERROR line naming
     * no file or line, while the gate had applied the file and config:rejected listed nothing.
     */
    @Test
    void refusesAnAddressBeyondLoopbackThatNothingGuards() {
        assertThat(check.apply("msf.agent", Map.of("tcpHost", "0.0.0.0", "tcpPort", "7420", "token", "")))
                .containsOnlyKeys("tcpHost").extractingByKey("tcpHost").asString()
                .startsWith("0.0.0.0 is not a loopback address, so the agent requires a token: set the key 'token'");
        assertThat(check.apply("msf.agent", Map.of("tcpHost", "::", "tcpPort", 0))).containsOnlyKeys("tcpHost");
    }

    @Test
    void letsThroughWhatTheAgentOpens() {
        assertThat(check.apply("msf.agent", Map.of("tcpHost", "127.0.0.1", "token", ""))).isEmpty();
        assertThat(check.apply("msf.agent", Map.of("tcpHost", "::1"))).isEmpty();
        assertThat(check.apply("msf.agent", Map.of("tcpHost", "0.0.0.0", "tcpPort", "7420", "token", "s3cret-token")))
                .isEmpty();
        assertThat(check.apply("msf.agent", Map.of("tcpHost", "0.0.0.0", "tcpPort", "-1"))).isEmpty();
        assertThat(check.apply("msf.agent", Map.of("tcpHost", "0.0.0.0")))
                .as("no tcpPort: TCP is off, as by default, and the agent opens nothing to refuse").isEmpty();
        assertThat(check.apply("msf.agent", Map.of("tcpHost", "0.0.0.0", "tcpPort", "7420", "tls", "true",
                "tlsClientAuth", "require"))).isEmpty();
        assertThat(check.apply("msf.agent", Map.of("tcpHost", "agent.example.invalid")))
                .as("a name is the agent's to resolve").isEmpty();
        assertThat(check.apply("msf.agent", Map.of())).as("the default, 127.0.0.1").isEmpty();
    }
}
