package io.msf.rpc.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.msf.client.api.Address;
import io.msf.client.api.AgentClient;
import io.msf.client.testing.InMemoryAgent;
import io.msf.client.api.AgentException;
import io.msf.protocol.api.ErrorCode;
import io.msf.rpc.api.Library.Format;
import io.msf.rpc.api.Library.Track;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.DefaultEventExecutor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Calls through a proxy, the loopback agent and a handler: every payload really goes through Jackson. */
class RpcCallTest {

    private static final Address AT = Address.name("test.library");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final InMemoryAgent agent = TestAgents.serving(AT, Rpc.handler(Library.class, new InMemoryLibrary()));
    private final Library library = Rpc.proxy(TestAgents.caller(agent), AT, Library.class, TIMEOUT);

    @AfterEach
    void everyBufferReleased() {
        await().until(agent::allReleased);
        agent.close();
    }

    @Test
    void syncCallsCarryRecordsAndLists() {
        assertThat(library.tracks()).isEqualTo(InMemoryLibrary.TRACKS);
        assertThat(library.track(2)).isEqualTo(new Track(2, "Blue in Green", "Miles Davis", 337));
    }

    @Test
    void nullsTravelAsArgumentsAndResults() {
        assertThat(library.byTitle("Giant Steps")).isNull();
        assertThat(library.byTitle(null)).isNull();
        assertThat(library.describe(null, null, null)).isEqualTo("null/null/null");
    }

    @Test
    void genericParametersKeepTheirElementTypes() {
        Track track = new Track(9, "Naima", "John Coltrane", 261);
        Map<String, List<Integer>> tags = Map.of("years", List.of(1959, 1960));

        assertThat(library.describe(track, Format.FLAC, tags)).isEqualTo(track + "/FLAC/" + tags);
    }

    @Test
    void primitivesAndByteArrays() {
        assertThat(library.add(2, 5_000_000_000L)).isEqualTo(5_000_000_002L);
        assertThat(library.reversed(new byte[] {1, 2, 3})).containsExactly(3, 2, 1);
    }

    @Test
    void voidMethodsAreCalled() {
        library.clear();

        assertThat(library.tracks()).isEmpty();
    }

    @Test
    void asyncMethodsReturnAtOnceAndCompleteWithTheResult() throws Exception {
        CompletionStage<List<Track>> found = library.search("blue");
        CompletableFuture<Integer> count = library.count();

        assertThat(found.toCompletableFuture().get()).extracting(Track::number).containsExactly(2, 3);
        assertThat(count.get()).isEqualTo(3);
    }

    @Test
    void anAsyncImplementationMayCompleteLater() throws Exception {
        CompletableFuture<String> later = new CompletableFuture<>();
        Later impl = () -> later;
        try (InMemoryAgent laterAgent = TestAgents.serving(AT, Rpc.handler(Later.class, impl))) {
            CompletionStage<String> result = Rpc.proxy(TestAgents.caller(laterAgent), AT, Later.class, TIMEOUT).value();

            assertThat(result.toCompletableFuture()).isNotDone();
            later.complete("done");
            assertThat(result.toCompletableFuture().get()).isEqualTo("done");
            await().until(laterAgent::allReleased);
        }
    }

    /** A method whose stage the test completes. */
    public interface Later {
        CompletionStage<String> value();
    }

    @Test
    void whatASyncImplementationThrowsArrivesWithItsClassAndMessage() {
        assertThatThrownBy(() -> library.track(99))
                .isInstanceOfSatisfying(RemoteInvocationException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.REMOTE_ERROR);
                    assertThat(e.remoteType()).isEqualTo("java.util.NoSuchElementException");
                    assertThat(e.remoteMessage()).isEqualTo("no track 99");
                    assertThat(e).hasMessageContaining("Library.track(int) at test.library");
                });
    }

    @Test
    void aFailedStageArrivesAsAFailedFuture() {
        CompletableFuture<List<Track>> found = library.search(" ").toCompletableFuture();

        assertThatThrownBy(found::join).isInstanceOf(CompletionException.class)
                .cause().isInstanceOfSatisfying(RemoteInvocationException.class, e -> {
                    assertThat(e.remoteType()).isEqualTo(IllegalArgumentException.class.getName());
                    assertThat(e.remoteMessage()).isEqualTo("search text is blank");
                });
    }

    @Test
    void anExceptionWithoutMessageArrivesWithANullMessage() {
        Later impl = () -> {
            throw new IllegalStateException();
        };
        try (InMemoryAgent throwing = TestAgents.serving(AT, Rpc.handler(Later.class, impl))) {
            CompletableFuture<String> result = Rpc.proxy(TestAgents.caller(throwing), AT, Later.class, TIMEOUT).value()
                    .toCompletableFuture();

            assertThatThrownBy(result::join).cause().isInstanceOfSatisfying(RemoteInvocationException.class, e -> {
                assertThat(e.remoteType()).isEqualTo(IllegalStateException.class.getName());
                assertThat(e.remoteMessage()).isNull();
            });
            await().until(throwing::allReleased);
        }
    }

    /**
     * In the container a synchronous implementation runs on its caller's thread: one that gives up a
     * wait because that thread was interrupted (a bundle stopping its worker) leaves it interrupted, so
     * the caller still sees that it was asked to stop, as well as what the implementation threw.
     */
    @Test
    void anImplementationInterruptedOnItsCallersThreadLeavesTheThreadInterrupted() {
        Waits impl = () -> {
            throw new InterruptedException("sleep interrupted");
        };
        try (InMemoryAgent sameThread = new InMemoryAgent()) {
            sameThread.register(AT.name(), Rpc.handler(Waits.class, impl));
            Waits proxy = Rpc.proxy(TestAgents.caller(sameThread), AT, Waits.class, TIMEOUT);

            try {
                assertThatThrownBy(proxy::awaitChange).isInstanceOfSatisfying(RemoteInvocationException.class,
                        e -> assertThat(e.remoteType()).isEqualTo(InterruptedException.class.getName()));
                assertThat(Thread.currentThread().isInterrupted()).isTrue();
            } finally {
                Thread.interrupted();
            }
            await().until(sameThread::allReleased);
        }
    }

    /**
     * A request of a socket caller comes on the agent's event loop, from no proxy of this JVM: its
     * thread's flag stays as it was. (The request is sent raw here, as the agent delivers a socket
     * peer's: a proxy's caller on that thread would be a caller waiting, whose flag it is.)
     */
    @Test
    void anImplementationInterruptedOnAnEventLoopLeavesTheLoopsThreadAsItWas() throws Exception {
        Waits impl = () -> {
            throw new InterruptedException("sleep interrupted");
        };
        int awaitChange = Rpc.command(Waits.class, Waits.class.getMethod("awaitChange"));
        DefaultEventExecutor loop = new DefaultEventExecutor();
        try (InMemoryAgent sameThread = new InMemoryAgent()) {
            sameThread.register(AT.name(), Rpc.handler(Waits.class, impl));
            AgentClient socketPeer = TestAgents.caller(sameThread);

            boolean interrupted = loop.submit(() -> {
                socketPeer.request(AT, awaitChange, Unpooled.wrappedBuffer(new byte[] {(byte) 0x80}), TIMEOUT).release();
                return Thread.interrupted();
            }).get(10, TimeUnit.SECONDS);

            assertThat(interrupted).isFalse();
            await().until(sameThread::allReleased);
        } finally {
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        }
    }

    /** A method that blocks until something changes. */
    public interface Waits {
        String awaitChange() throws InterruptedException;
    }

    /**
     * A message of any length (a dump, a whole input echoed back) travels cut, with its class: whole,
     * the reply could outgrow a frame, and the caller would get TOO_LARGE instead of what was thrown.
     */
    @Test
    void aVeryLongMessageArrivesCutWithItsClass() {
        String dump = "x".repeat(2_000_000);
        Later impl = () -> {
            throw new IllegalStateException(dump);
        };
        try (InMemoryAgent throwing = TestAgents.serving(AT, Rpc.handler(Later.class, impl))) {
            CompletableFuture<String> result = Rpc.proxy(TestAgents.caller(throwing), AT, Later.class, TIMEOUT).value()
                    .toCompletableFuture();

            assertThatThrownBy(result::join).cause().isInstanceOfSatisfying(RemoteInvocationException.class, e -> {
                assertThat(e.remoteType()).isEqualTo(IllegalStateException.class.getName());
                assertThat(e.remoteMessage()).startsWith("x".repeat(371))
                        .endsWith("... (1999629 more characters)").hasSize(371 + "... (1999629 more characters)".length());
            });
            await().until(throwing::allReleased);
        }
    }

    /** A cut that would split a character outside the BMP (two chars in Java) keeps it out whole. */
    @Test
    void aLongMessageIsNotCutInsideACharacter() {
        String emoji = "\uD83D\uDE00";
        String message = "x".repeat(374) + emoji + "t".repeat(100); // the cut falls inside the emoji's 4 bytes
        Later impl = () -> {
            throw new IllegalStateException(message);
        };
        try (InMemoryAgent throwing = TestAgents.serving(AT, Rpc.handler(Later.class, impl))) {
            CompletableFuture<String> result = Rpc.proxy(TestAgents.caller(throwing), AT, Later.class, TIMEOUT).value()
                    .toCompletableFuture();

            assertThatThrownBy(result::join).cause().isInstanceOfSatisfying(RemoteInvocationException.class,
                    e -> assertThat(e.remoteMessage()).isEqualTo("x".repeat(374) + "... (102 more characters)"));
            await().until(throwing::allReleased);
        }
    }

    /**
     * Half a surrogate pair in a message (an input echoed back) has no UTF-8 form: it arrives as
     * U+FFFD, with the rest of what was thrown, rather than the reply failing to encode.
     */
    @Test
    void aMessageWithHalfASurrogatePairArrivesWithItReplaced() {
        Later impl = () -> {
            throw new IllegalArgumentException("bad name 'a\uD800b' at \uD83D\uDE00 \uDC00");
        };
        try (InMemoryAgent throwing = TestAgents.serving(AT, Rpc.handler(Later.class, impl))) {
            CompletableFuture<String> result = Rpc.proxy(TestAgents.caller(throwing), AT, Later.class, TIMEOUT).value()
                    .toCompletableFuture();

            assertThatThrownBy(result::join).cause().isInstanceOfSatisfying(RemoteInvocationException.class, e -> {
                assertThat(e.remoteType()).isEqualTo(IllegalArgumentException.class.getName());
                assertThat(e.remoteMessage()).isEqualTo("bad name 'a\uFFFDb' at \uD83D\uDE00 \uFFFD");
            });
            await().until(throwing::allReleased);
        }
    }

    @Test
    void defaultMethodsRunInTheProxy() {
        assertThat(library.trackCount()).isEqualTo(3);
        assertThat(agent.replyCount()).isEqualTo(1); // tracks(), nothing for trackCount() itself
    }

    @Test
    void objectMethodsAreAnsweredLocally() {
        Library other = Rpc.proxy(TestAgents.caller(agent), AT, Library.class, TIMEOUT);

        assertThat(library.toString()).contains(Library.class.getName()).contains("test.library");
        assertThat(library).isEqualTo(library).isNotEqualTo(other);
        assertThat(library.hashCode()).isEqualTo(System.identityHashCode(library));
        assertThat(agent.replyCount()).isZero();
    }

    @Test
    void anArgumentJacksonCannotEncodeFailsBeforeAnythingIsSent() {
        Store proxy = Rpc.proxy(TestAgents.caller(agent), AT, Store.class, TIMEOUT);

        assertThatThrownBy(() -> proxy.keep(new Object()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot encode the arguments of Store.keep(Object)");
        assertThatThrownBy(() -> proxy.keepLater(new Object()).toCompletableFuture().join())
                .cause().isInstanceOf(IllegalArgumentException.class);
        assertThat(agent.replyCount()).isZero();
    }

    /** Takes values Jackson cannot write. */
    public interface Store {
        void keep(Object value);

        CompletionStage<Void> keepLater(Object value);
    }

    @Test
    void failuresOfTheClientNameTheMethod() {
        InMemoryAgent offline = new InMemoryAgent(); // nobody registered at AT
        Library proxy = Rpc.proxy(TestAgents.caller(offline), AT, Library.class, TIMEOUT);

        assertThatThrownBy(proxy::tracks).isInstanceOfSatisfying(AgentException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.PEER_OFFLINE);
            assertThat(e).hasMessage("PEER_OFFLINE: Library.tracks() at test.library: nobody answers to test.library");
        });
        offline.close();
    }
}
