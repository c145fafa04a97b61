package io.msf.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.startsWith;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.Logger;

/**
 * A change of tcpHost the agent refuses (beyond loopback without a token, a host that does not
 * resolve): the TCP listener that serves stays, as a net endpoint stays on its old address, unless
 * it would be left open to those the new settings no longer ask for a token.
 */
class ListenersRefusalTest {

    private final Logger log = mock(Logger.class);
    private final RecordingNetwork network = new RecordingNetwork();
    private final Listeners listeners = new Listeners(network, (channel, spec) -> { }, log);

    private static ListenerSettings settings(Map<String, Object> values) {
        return ListenerSettings.of(TestConfigs.agentWithTcp(values));
    }

    /** Seen on the assembly: tcpHost = 0.0.0.0 without a token closed 127.0.0.1:7420, and its clients. */
    @Test
    void aHostBeyondLoopbackWithoutATokenKeepsTheLoopbackListener() {
        listeners.apply(settings(Map.of()));
        network.events.clear();

        listeners.apply(settings(Map.of("tcpHost", "0.0.0.0")));

        assertThat(network.events).as("nothing closed").isEmpty();
        verify(log).error(anyString(), startsWith("tcpHost 0.0.0.0 is not a loopback address, so the agent requires a"
                + " token"), eq("127.0.0.1:7420"));
        listeners.apply(settings(Map.of()));
        assertThat(network.events).as("the settings in effect are those it kept").isEmpty();
    }

    @Test
    void aHostThatDoesNotResolveKeepsTheListener() {
        listeners.apply(settings(Map.of()));
        network.events.clear();

        listeners.apply(settings(Map.of("tcpHost", "no-such-host.invalid")));

        assertThat(network.events).isEmpty();
        verify(log).error(anyString(), startsWith("tcpHost 'no-such-host.invalid' does not resolve"),
                eq("127.0.0.1:7420"));
    }

    @Test
    void aListenerBeyondLoopbackWhoseTokenGoesIsClosed() {
        listeners.apply(settings(Map.of("tcpHost", "0.0.0.0", "token", "s3cret")));
        network.events.clear();

        listeners.apply(settings(Map.of("tcpHost", "0.0.0.0")));

        assertThat(network.events).containsExactly("close agent-tcp 0.0.0.0:7420");
        assertThat(network.tcp()).isNull();
    }

    /**
     * The token removed in the same change as tls keys that cannot work: the broker checks the token in
     * force, none, so the listener beyond loopback kept for the keys' sake let clients in without one.
     */
    @Test
    void aListenerBeyondLoopbackWhoseTokenGoesIsClosedThoughTheTlsKeysAreAlsoWrong() {
        listeners.apply(settings(Map.of("tcpHost", "0.0.0.0", "token", "s3cret")));
        network.events.clear();

        listeners.apply(settings(Map.of("tcpHost", "0.0.0.0", "tls", true)));

        assertThat(network.events).containsExactly("close agent-tcp 0.0.0.0:7420");
        assertThat(network.tcp()).isNull();
    }
}
