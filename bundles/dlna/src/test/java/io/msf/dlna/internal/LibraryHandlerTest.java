package io.msf.dlna.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.verify;

import io.msf.client.api.Address;
import io.msf.client.api.AgentException;
import io.msf.client.testing.InMemoryAgent;
import io.msf.dlna.api.Dlna;
import io.msf.dlna.api.MediaLibrary;
import io.msf.dlna.api.Track;
import io.msf.event.api.ServiceExecutors;
import io.msf.protocol.api.ErrorCode;
import io.msf.rpc.api.RemoteInvocationException;
import io.msf.rpc.api.Rpc;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.Logger;

/** The library through a real RPC proxy and handler (CBOR both ways). */
class LibraryHandlerTest {

    private final InMemoryAgent agent = new InMemoryAgent();
    private final MediaLibrary library = Rpc.proxy(agent.client(0x8000_0001), Address.name(Dlna.LIBRARY), MediaLibrary.class,
            Duration.ofSeconds(1));

    /** Stands for the container's: a pool of the bundle's own. */
    private final List<ExecutorService> pools = new CopyOnWriteArrayList<>();
    private final ServiceExecutors executors = (name, threads) -> {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        pools.add(pool);
        return pool;
    };
    private final Logger log = mock(Logger.class);

    private LibraryHandler start() {
        LibraryHandler handler = new LibraryHandler(executors, log);
        agent.register(Dlna.LIBRARY, handler);
        return handler;
    }

    @AfterEach
    void stop() {
        pools.forEach(ExecutorService::shutdownNow);
        agent.close();
    }

    @Test
    void servesTheTracksAndOneTrack() {
        start();

        assertThat(library.tracks()).isEqualTo(DemoLibrary.TRACKS);
        assertThat(library.track(3).toCompletableFuture().join()).isEqualTo(new Track(3, "Giant Steps", "John Coltrane", 286));
    }

    @Test
    void anUnknownTrackIsARemoteNoSuchElement() {
        start();

        CompletableFuture<Track> missing = library.track(42).toCompletableFuture();

        assertThatThrownBy(missing::join).cause().isInstanceOfSatisfying(RemoteInvocationException.class, e -> {
            assertThat(e.remoteType()).isEqualTo("java.util.NoSuchElementException");
            assertThat(e.remoteMessage()).isEqualTo("no track 42 (the library has 1 to 4)");
        });
    }

    /**
     * Deactivated, it answers at once (the agent keeps a removed handler's requests in flight) and
     * its pool is shut down with it, not left to the bundle's stop.
     */
    @Test
    void deactivatedItAnswersPeerOfflineAndShutsItsPoolDown() {
        LibraryHandler handler = start();
        assertThat(library.tracks()).hasSize(4);

        handler.deactivate();

        assertThatThrownBy(library::tracks).isInstanceOfSatisfying(AgentException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.PEER_OFFLINE));
        assertThat(pools).singleElement().satisfies(pool -> assertThat(pool.isShutdown()).isTrue());
    }

    /** The log names the method called: the handler sees only its command. */
    @Test
    void theFirstCallIsLoggedWithItsMethodsName() {
        start();

        library.tracks();

        verify(log).info(anyString(), eq(Dlna.LIBRARY), anyString(), eq("MediaLibrary.tracks"));
    }
}
