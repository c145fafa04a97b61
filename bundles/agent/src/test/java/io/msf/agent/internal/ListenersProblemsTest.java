package io.msf.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.Logger;

/**
 * A listener that is not open as configured stays a problem until it is, so that the ready report,
 * msf:health and /health show it for as long as it lasts, not only the log line written once.
 */
class ListenersProblemsTest {

    private final RecordingNetwork network = new RecordingNetwork();
    private final Listeners listeners = new Listeners(network, (channel, spec) -> { }, mock(Logger.class));

    private static ListenerSettings settings(Map<String, Object> values) {
        return ListenerSettings.of(TestConfigs.agent(values));
    }

    @Test
    void aPortTakenAtStartIsAProblemUntilTheListenerOpens() {
        network.busy.add(7420);

        listeners.apply(settings(Map.of()));

        assertThat(listeners.problems()).containsExactly("cannot listen on 127.0.0.1:7420 (tcpHost/tcpPort/tls*):"
                + " cannot bind 127.0.0.1:7420: in use");
        listeners.apply(settings(Map.of("maxConnections", 10)));
        assertThat(listeners.problems()).as("the same settings: still not listening").hasSize(1);

        listeners.apply(settings(Map.of("tcpPort", 7421)));
        assertThat(listeners.problems()).isEmpty();
    }

    @Test
    void aChangeThatCannotBeOpenedIsAProblemWhileTheOldListenerServesAgain() {
        listeners.apply(settings(Map.of()));
        network.busy.add(7421);

        listeners.apply(settings(Map.of("tcpPort", 7421)));

        assertThat(listeners.problems()).containsExactly("cannot listen on 127.0.0.1:7421 (tcpHost/tcpPort/tls*):"
                + " cannot bind 127.0.0.1:7421: in use; listening on 127.0.0.1:7420 again, as before the change");
        listeners.apply(settings(Map.of()));
        assertThat(listeners.problems()).as("back to the settings of the listener that serves").isEmpty();
    }

    @Test
    void aRefusedChangeIsAProblemUntilItIsUndone() {
        listeners.apply(settings(Map.of()));

        listeners.apply(settings(Map.of("tcpHost", "0.0.0.0")));

        assertThat(listeners.problems()).singleElement().asString()
                .startsWith("TCP not listening as configured: tcpHost 0.0.0.0 is not a loopback address")
                .endsWith("; the listener on 127.0.0.1:7420 keeps its previous settings");
        listeners.apply(settings(Map.of()));
        assertThat(listeners.problems()).isEmpty();
    }

    @Test
    void aUnixSocketThatCannotBeOpenedIsAProblemBesideTheTcpListener() {
        network.failUnix = "the socket path is too long";

        listeners.apply(settings(Map.of()));

        assertThat(listeners.problems()).containsExactly("cannot listen on agent.sock (unixSocket): the socket path"
                + " is too long");
        listeners.apply(settings(Map.of("unixSocket", false)));
        assertThat(listeners.problems()).as("not asked for any more").isEmpty();
    }

    @Test
    void noProblemOnceClosed() {
        network.busy.add(7420);
        listeners.apply(settings(Map.of()));

        listeners.close();

        assertThat(listeners.problems()).isEmpty();
    }
}
