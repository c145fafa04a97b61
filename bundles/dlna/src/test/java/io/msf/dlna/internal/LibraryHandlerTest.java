package io.msf.dlna.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.msf.client.api.Address;
import io.msf.client.api.AgentException;
import io.msf.client.testing.InMemoryAgent;
import io.msf.dlna.api.Dlna;
import io.msf.dlna.api.MediaLibrary;
import io.msf.dlna.api.Track;
import io.msf.protocol.api.ErrorCode;
import io.msf.rpc.api.RemoteInvocationException;
import io.msf.rpc.api.Rpc;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.Logger;

/** The library through a real RPC proxy and handler (CBOR both ways). */
class LibraryHandlerTest {

    private final InMemoryAgent agent = new InMemoryAgent();
    private final MediaLibrary library = Rpc.proxy(agent.client(0x8000_0001), Address.name(Dlna.LIBRARY), MediaLibrary.class,
            Duration.ofSeconds(1));

    private void start(boolean enabled) {
        DlnaConfiguration config = mock(DlnaConfiguration.class);
        when(config.enabled()).thenReturn(enabled);
        agent.register(Dlna.LIBRARY, new LibraryHandler(config, mock(Logger.class)));
    }

    @Test
    void servesTheTracksAndOneTrack() {
        start(true);

        assertThat(library.tracks()).isEqualTo(DemoLibrary.TRACKS);
        assertThat(library.track(3).toCompletableFuture().join()).isEqualTo(new Track(3, "Giant Steps", "John Coltrane", 286));
    }

    @Test
    void anUnknownTrackIsARemoteNoSuchElement() {
        start(true);

        CompletableFuture<Track> missing = library.track(42).toCompletableFuture();

        assertThatThrownBy(missing::join).cause().isInstanceOfSatisfying(RemoteInvocationException.class, e -> {
            assertThat(e.remoteType()).isEqualTo("java.util.NoSuchElementException");
            assertThat(e.remoteMessage()).isEqualTo("no track 42 (the library has 1 to 4)");
        });
    }

    @Test
    void disabledItAnswersNoHandler() {
        start(false);

        assertThatThrownBy(library::tracks).isInstanceOfSatisfying(AgentException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.NO_HANDLER));
    }
}
