package io.msf.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.net.api.TlsSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gate's check of tlsClientAuth takes what the agent takes, in any case. */
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
}
