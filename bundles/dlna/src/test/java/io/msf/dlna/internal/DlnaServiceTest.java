package io.msf.dlna.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.msf.client.api.Address;
import io.msf.client.api.AgentException;
import io.msf.client.testing.InMemoryAgent;
import io.msf.client.testing.InMemoryAgent.Sent;
import io.msf.dlna.api.Dlna;
import io.msf.event.api.ServiceExecutors;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.settings.testing.ScrValues;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import io.msf.timer.testing.ManualTimerService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.Logger;

class DlnaServiceTest {

    private final InMemoryAgent agent = new InMemoryAgent();
    private final ManualTimerService timer = new ManualTimerService();
    private final Logger log = mock(Logger.class);
    /** Stands for the container's: dlna's pools of its own. */
    private final List<ExecutorService> pools = new CopyOnWriteArrayList<>();
    private final ServiceExecutors executors = (name, threads) -> {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        pools.add(pool);
        return pool;
    };

    @AfterEach
    void shutDownPools() {
        pools.forEach(ExecutorService::shutdownNow);
    }

    private DlnaService start(int summaryMillis) {
        return start(summaryMillis, true);
    }

    private DlnaService start(int summaryMillis, boolean enabled) {
        DlnaConfiguration config = mock(DlnaConfiguration.class);
        when(config.summaryMillis()).thenReturn(summaryMillis);
        when(config.enabled()).thenReturn(enabled);
        DlnaService dlna = new DlnaService(config, agent.client(0x8000_0001), timer, executors, log);
        agent.register(Dlna.NAME, dlna);
        agent.register("upnp", notification -> null); // takes dlna's state notifications
        return dlna;
    }

    /** Sends {@code text} to dlna as another service would and returns the reply as text. */
    private String send(int command, String text) {
        Message reply = agent.client(0x8000_0002).request(Address.name(Dlna.NAME), command,
                Unpooled.copiedBuffer(text, StandardCharsets.UTF_8), Duration.ofSeconds(1));
        try {
            return reply.payload().toString(StandardCharsets.UTF_8);
        } finally {
            reply.release();
        }
    }

    private void sendBytes(int command, byte[] bytes) {
        agent.client(0x8000_0002).request(Address.name(Dlna.NAME), command, Unpooled.wrappedBuffer(bytes),
                Duration.ofSeconds(1)).release();
    }

    /**
     * The component's own enabled is gone, but files written when there was one have it: the config
     * gate, which refuses unknown keys, must still take them (the Metatype describes it), and a false
     * one, which stops nothing now, is said once rather than taken silently for a stopped dlna.
     */
    @Test
    void aFalseEnabledOfOlderConfigurationsIsIgnoredWithOneWarnNamingTheKey() {
        start(0, false);

        assertThat(send(Dlna.GET, "")).isEqualTo("idle");
        verify(log).warn(contains("enabled = false (param.enabled in msf.service~dlna.cfg) is no longer used"),
                eq(DlnaService.PID));
        verify(log, never()).warn(anyString());
    }

    @Test
    void aTrueEnabledIsTakenWithoutAWord() {
        start(0, true);

        verify(log, never()).warn(anyString(), any(Object.class));
    }

    @Test
    void getAnswersTheState() {
        start(0);

        assertThat(send(Dlna.GET, "")).isEqualTo("idle");
    }

    @Test
    void setAnswersThePreviousStateAndAnnouncesTheChangeOnce() {
        start(0);

        assertThat(send(Dlna.SET, "playing So What")).isEqualTo("idle");
        assertThat(send(Dlna.GET, "")).isEqualTo("playing So What");
        assertThat(agent.notified()).containsExactly(new Sent("upnp", Dlna.STATE_CHANGED, "playing So What"));
        assertThat(agent.published()).containsExactly(new Sent(Dlna.STATE_TOPIC, Dlna.STATE_CHANGED, "playing So What"));
    }

    @Test
    void settingTheSameStateAgainAnnouncesNothing() {
        start(0);
        send(Dlna.SET, "paused");

        assertThat(send(Dlna.SET, "paused")).isEqualTo("paused");
        assertThat(agent.notified()).hasSize(1);
        assertThat(agent.published()).hasSize(1);
    }

    /**
     * Two SETs overlapping: "a" set first, whose NOTIFY upnp takes its time with, then "b". Each SET
     * announced on its own thread, "b" reached the topic (and upnp's handler returned from it) before
     * "a": everyone was told the state before last, last.
     */
    @Test
    void overlappingChangesAreAnnouncedInTheOrderTheyWereMade() throws Exception {
        DlnaService dlna = start(0);
        CountDownLatch aArrived = new CountDownLatch(1);
        CountDownLatch releaseA = new CountDownLatch(1);
        List<String> upnpTook = new CopyOnWriteArrayList<>();
        agent.register("upnp", notification -> {
            String state = notification.payload().toString(StandardCharsets.UTF_8);
            if (state.equals("a")) {
                aArrived.countDown();
                assertThat(releaseA.await(5, TimeUnit.SECONDS)).isTrue();
            }
            upnpTook.add(state);
            return null;
        });
        ExecutorService setters = Executors.newFixedThreadPool(2);
        try {
            Future<String> setA = setters.submit(() -> send(Dlna.SET, "a"));
            assertThat(aArrived.await(5, TimeUnit.SECONDS)).isTrue();
            Future<String> setB = setters.submit(() -> send(Dlna.SET, "b"));
            assertThat(setB.get(5, TimeUnit.SECONDS)).isEqualTo("a");
            releaseA.countDown();
            assertThat(setA.get(5, TimeUnit.SECONDS)).isEqualTo("idle");
        } finally {
            releaseA.countDown();
            setters.shutdownNow();
        }

        assertThat(upnpTook).containsExactly("a", "b");
        assertThat(agent.published()).containsExactly(new Sent(Dlna.STATE_TOPIC, Dlna.STATE_CHANGED, "a"),
                new Sent(Dlna.STATE_TOPIC, Dlna.STATE_CHANGED, "b"));
        assertThat(send(Dlna.GET, "")).isEqualTo("b");
        assertThat(dlna.summaryLine()).contains("2 state changes");
    }

    /**
     * A flood of SETs, each made while upnp takes the NOTIFY of the one before: the thread that won the
     * announcing sent every change the others queued, and its own SET was answered only once the flood
     * ended (its caller's agent thread held all the while). It now sends a bounded turn, dlna's own thread the
     * rest: not the timer's, whose thread upnp's handler would hold (every timer of the container waiting).
     */
    @Test
    void aFloodOfSetsIsAnnouncedInTurnsNotAllOnTheThreadThatBeganIt() throws Exception {
        int flood = 3 * DlnaService.ANNOUNCED_PER_TURN;
        AtomicInteger made = new AtomicInteger();
        ExecutorService setters = Executors.newFixedThreadPool(2);
        List<String> upnpTook = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        try {
            start(0);
            agent.register("upnp", notification -> {
                upnpTook.add(notification.payload().toString(StandardCharsets.UTF_8));
                threads.add(Thread.currentThread().getName());
                int next = made.incrementAndGet();
                if (next < flood) { // another peer's SET meanwhile, answered at once: this thread announces
                    assertThat(setters.submit(() -> send(Dlna.SET, "s" + next)).get(5, TimeUnit.SECONDS)).isNotNull();
                }
                return null;
            });
            AtomicReference<String> first = new AtomicReference<>();
            Future<String> firstSet = setters.submit(() -> {
                first.set(Thread.currentThread().getName());
                return send(Dlna.SET, "s0");
            });

            assertThat(firstSet.get(5, TimeUnit.SECONDS)).isEqualTo("idle");
            await().until(() -> upnpTook.size() == flood);
            assertThat(threads.stream().filter(first.get()::equals).count()).isLessThanOrEqualTo(DlnaService.ANNOUNCED_PER_TURN);
            assertThat(timer.live()).isEmpty();
            assertThat(upnpTook).isEqualTo(IntStream.range(0, flood).mapToObj(n -> "s" + n).toList());
        } finally {
            setters.shutdownNow();
        }
    }

    /**
     * While upnp holds the thread announcing, SETs of other peers queue their changes: past
     * {@value DlnaService#MAX_UNANNOUNCED} waiting, a SET is refused with OVERLOADED and changes nothing
     * (they queued without end), and every change taken is still announced, in order, once upnp goes on.
     */
    @Test
    void aSetPastTheChangesWaitingToBeAnnouncedIsRefusedAndChangesNothing() throws Exception {
        CountDownLatch upnpHeld = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> upnpTook = new CopyOnWriteArrayList<>();
        ExecutorService announcer = Executors.newSingleThreadExecutor();
        try {
            start(0);
            agent.register("upnp", notification -> {
                upnpTook.add(notification.payload().toString(StandardCharsets.UTF_8));
                upnpHeld.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            });
            Future<String> first = announcer.submit(() -> send(Dlna.SET, "s0"));
            assertThat(upnpHeld.await(5, TimeUnit.SECONDS)).isTrue();

            for (int n = 1; n <= DlnaService.MAX_UNANNOUNCED; n++) {
                assertThat(send(Dlna.SET, "s" + n)).isEqualTo("s" + (n - 1));
            }
            assertThatThrownBy(() -> send(Dlna.SET, "one too many")).isInstanceOfSatisfying(AgentException.class,
                    e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.OVERLOADED);
                        assertThat(e).hasMessageContaining("SET from peer 2147483650 refused: 1024 changes of dlna's"
                                + " state still wait to be announced to upnp; the state stays 's1024': SET again later");
                    });
            assertThat(send(Dlna.GET, "")).isEqualTo("s" + DlnaService.MAX_UNANNOUNCED);

            release.countDown();
            assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("idle");
            await().until(() -> upnpTook.size() == DlnaService.MAX_UNANNOUNCED + 1);
            assertThat(upnpTook).isEqualTo(IntStream.rangeClosed(0, DlnaService.MAX_UNANNOUNCED)
                    .mapToObj(n -> "s" + n).toList());
            assertThat(send(Dlna.SET, "after")).isEqualTo("s" + DlnaService.MAX_UNANNOUNCED);
        } finally {
            release.countDown();
            announcer.shutdownNow();
        }
    }

    @Test
    void anEmptyOrOversizedStateIsRefusedAndTheStateKept() {
        start(0);

        assertThatThrownBy(() -> send(Dlna.SET, "")).isInstanceOfSatisfying(AgentException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.REMOTE_ERROR);
            assertThat(e).hasMessageContaining("needs the new state as 1 to 256 bytes of UTF-8 text, got 0 bytes");
        });
        assertThatThrownBy(() -> send(Dlna.SET, "x".repeat(257))).hasMessageContaining("got 257 bytes");
        assertThat(send(Dlna.GET, "")).isEqualTo("idle");
        assertThat(agent.notified()).isEmpty();
    }

    /** Decoded leniently, 256 bytes of 0xFF were a state of 256 U+FFFD, 768 bytes of UTF-8: over the bound. */
    @Test
    void aStateThatIsNotUtf8IsRefusedNamingThePeerAndTheStateKept() {
        start(0);
        byte[] malformed = new byte[Dlna.MAX_STATE_BYTES];
        Arrays.fill(malformed, (byte) 0xFF);
        byte[] cutShort = "caf\u00e9".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> sendBytes(Dlna.SET, malformed)).isInstanceOfSatisfying(AgentException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.REMOTE_ERROR);
            assertThat(e).hasMessageContaining("SET from peer 2147483650 needs the new state as 1 to 256 bytes of "
                    + "UTF-8 text, got 256 bytes that are not UTF-8 (ffffffffffffffffffffffffffffffff...)");
        });
        assertThatThrownBy(() -> sendBytes(Dlna.SET, Arrays.copyOf(cutShort, cutShort.length - 1)))
                .hasMessageContaining("got 4 bytes that are not UTF-8 (636166c3)");
        assertThat(send(Dlna.GET, "")).isEqualTo("idle");
        assertThat(agent.notified()).isEmpty();
        assertThat(send(Dlna.SET, "caf\u00e9")).isEqualTo("idle");
        assertThat(send(Dlna.GET, "")).isEqualTo("caf\u00e9");
    }

    @Test
    void anUnknownCommandIsNoHandler() {
        start(0);

        assertThatThrownBy(() -> send(99, "")).isInstanceOfSatisfying(AgentException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.NO_HANDLER);
            assertThat(e).hasMessageContaining("dlna has no command 99 (GET=1, SET=2)");
        });
    }

    @Test
    void theSummarySaysWhatHappenedSinceTheLastOneAndNothingWhenIdle() {
        DlnaService dlna = start(10_000);
        send(Dlna.GET, "");
        send(Dlna.SET, "playing Giant Steps");

        assertThat(dlna.summaryLine()).isEqualTo("dlna, last 10000 ms: answered 1 GET and 1 SET; 1 state changes"
                + " sent to upnp and dlna.state.changed; state 'playing Giant Steps'");
        assertThat(dlna.summaryLine()).isNull();
    }

    /**
     * Set through Config Admin past the config gate, a value SCR cannot convert failed the component
     * with SCR's exception, which names no key, and one outside the Metatype's bounds was taken: a
     * negative summaryMillis as no summary, without a word.
     */
    @Test
    void aValueThatCannotBeReadOrIsOutOfBoundsIsRefusedNamingItsKey() {
        DlnaConfiguration readable = mock(DlnaConfiguration.class);
        when(readable.enabled()).thenReturn(true);
        DlnaConfiguration unreadable = ScrValues.unconvertible(DlnaConfiguration.class, readable, "summaryMillis", "soon");
        when(readable.summaryMillis()).thenReturn(-1);

        assertThatThrownBy(() -> new DlnaService(unreadable, agent.client(0x8000_0001), timer, executors, mock(Logger.class)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("msf.demo.dlna: summaryMillis: the value cannot be read as a number");
        assertThatThrownBy(() -> new DlnaService(readable, agent.client(0x8000_0001), timer, executors, mock(Logger.class)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("msf.demo.dlna: summaryMillis must be in 0..3600000, not -1");
        assertThat(timer.live()).isEmpty();
        assertThat(pools).isEmpty();
    }

    @Test
    void theSummaryTimerIsCancelledOnDeactivate() {
        DlnaService dlna = start(10_000);
        assertThat(timer.live()).hasSize(1);

        dlna.deactivate();

        assertThat(timer.live()).isEmpty();
    }
}
