package io.msf.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.Logger;

/**
 * A TCP listener without a token lets in every local user, where the Unix socket is its owner's alone:
 * the log says so as it opens (once per opening, not per connection), naming the address and the key.
 */
class ListenersTokenWarningTest {

    private static final String WARNING = "msf.agent: the TCP listener on {} has no token: every local user can"
            + " connect to it and call the container's services; set the key 'token' (or tcpPort = -1 to turn TCP off)";

    private final Logger log = mock(Logger.class);
    private final RecordingNetwork network = new RecordingNetwork();
    private final Listeners listeners = new Listeners(network, (channel, spec) -> { }, log);

    private static ListenerSettings tcp(Object... values) {
        Map<String, Object> given = new HashMap<>();
        for (int i = 0; i < values.length; i += 2) {
            given.put((String) values[i], values[i + 1]);
        }
        return ListenerSettings.of(TestConfigs.agentWithTcp(given));
    }

    @Test
    void aListenerWithoutATokenIsWarnedOfOnceAsItOpens() {
        listeners.apply(tcp());
        listeners.apply(tcp("maxConnections", 10)); // applied live: nothing reopens

        verify(log).warn(WARNING, "127.0.0.1:7420");
    }

    @Test
    void aListenerWithATokenIsNot() {
        listeners.apply(tcp("token", "s3cret"));

        verify(log, never()).warn(contains("no token"), anyString());
    }

    @Test
    void theUnixSocketAloneByDefaultIsNot() {
        listeners.apply(ListenerSettings.of(TestConfigs.agent(Map.of())));

        assertThat(network.events).containsExactly("open agent-uds agent.sock NONE");
        verify(log, never()).warn(contains("no token"), anyString());
    }

    @Test
    void theTokenRemovedReopensTheListenerAndWarns() {
        listeners.apply(tcp("token", "s3cret"));

        listeners.apply(tcp());

        verify(log).warn(WARNING, "127.0.0.1:7420");
    }

    /** The old settings opened again take the new ones' token, which the broker checks: none. */
    @Test
    void eachOpeningIsWarnedOfTheOldSettingsOpenedAgainToo() {
        listeners.apply(tcp());
        network.busy.add(7421);

        listeners.apply(tcp("tcpPort", 7421));

        verify(log, times(2)).warn(WARNING, "127.0.0.1:7420");
        network.busy.clear();
        listeners.retry();
        verify(log).warn(WARNING, "127.0.0.1:7421");
    }
}
