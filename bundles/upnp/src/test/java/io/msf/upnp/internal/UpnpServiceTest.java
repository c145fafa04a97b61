package io.msf.upnp.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
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
import io.msf.client.api.AgentClient;
import io.msf.client.api.AgentException;
import io.msf.client.testing.InMemoryAgent;
import io.msf.dlna.api.Dlna;
import io.msf.dlna.api.MediaLibrary;
import io.msf.dlna.api.Track;
import io.msf.event.api.ServiceExecutors;
import io.msf.protocol.api.ErrorCode;
import io.msf.rpc.api.Rpc;
import io.msf.settings.testing.ScrValues;
import io.msf.timer.api.TimerClosedException;
import io.msf.timer.api.TimerService;
import io.msf.timer.testing.ManualTimerService;
import io.netty.buffer.Unpooled;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.Logger;

class UpnpServiceTest {

    private static final int TIMEOUT_MILLIS = 300;

    private final InMemoryAgent agent = new InMemoryAgent();
    private final ManualTimerService timer = new ManualTimerService();
    private final FakeDlna dlna = new FakeDlna(agent.client(0x8000_0002));
    private final AgentClient shell = agent.client(0x8000_0003);
    private final Logger log = mock(Logger.class);
    /** Stands for the container's: each pool's thread named as the container names them. */
    private final List<ExecutorService> pools = new CopyOnWriteArrayList<>();
    private final ServiceExecutors executors = (name, threads) -> {
        ExecutorService pool = Executors.newFixedThreadPool(threads, task -> new Thread(task, "io.msf.upnp-" + name + "-1"));
        pools.add(pool);
        return pool;
    };
    private UpnpService upnp;

    private void start() {
        start(timer);
    }

    private void start(TimerService timers) {
        start(timers, true);
    }

    private void start(TimerService timers, boolean enabled) {
        start(timers, enabled, agent.client(0x8000_0001));
    }

    private void start(TimerService timers, boolean enabled, AgentClient client) {
        UpnpConfiguration config = mock(UpnpConfiguration.class);
        when(config.enabled()).thenReturn(enabled);
        when(config.intervalMillis()).thenReturn(2000);
        when(config.timeoutMillis()).thenReturn(TIMEOUT_MILLIS);
        when(config.summaryMillis()).thenReturn(10_000);
        upnp = new UpnpService(config, client, timers, executors, log);
        agent.register("upnp", upnp);
    }

    /**
     * Set through Config Admin past the config gate, a value SCR cannot convert failed the component
     * with SCR's exception, which names no key, and one outside the Metatype's bounds was taken: a
     * timeoutMillis of 0 as the agent's default timeout, below the 100 ms the Metatype allows.
     */
    @Test
    void aValueThatCannotBeReadOrIsOutOfBoundsIsRefusedNamingItsKey() {
        UpnpConfiguration readable = mock(UpnpConfiguration.class);
        when(readable.enabled()).thenReturn(true);
        when(readable.intervalMillis()).thenReturn(2000);
        when(readable.timeoutMillis()).thenReturn(TIMEOUT_MILLIS);
        when(readable.summaryMillis()).thenReturn(10_000);
        UpnpConfiguration unreadable = ScrValues.unconvertible(UpnpConfiguration.class, readable, "timeoutMillis", "5s");

        assertThatThrownBy(() -> new UpnpService(unreadable, agent.client(0x8000_0001), timer, executors, log))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("msf.demo.upnp: timeoutMillis: the value cannot be read as a number");
        when(readable.intervalMillis()).thenReturn(0);
        assertThatThrownBy(() -> new UpnpService(readable, agent.client(0x8000_0001), timer, executors, log))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("msf.demo.upnp: intervalMillis must be in 100..3600000, not 0");
        when(readable.intervalMillis()).thenReturn(2000);
        when(readable.timeoutMillis()).thenReturn(0);
        assertThatThrownBy(() -> new UpnpService(readable, agent.client(0x8000_0001), timer, executors, log))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("msf.demo.upnp: timeoutMillis must be in 100..600000, not 0");
        assertThat(timer.live()).isEmpty();
    }

    /** The bundle's timer service, closed by its stop once {@code scheduled} timers were scheduled. */
    private TimerService closedAfter(int scheduled) {
        AtomicInteger left = new AtomicInteger(scheduled);
        return refusing(method -> method.startsWith("schedule") && left.getAndDecrement() <= 0,
                () -> new TimerClosedException("io.msf.upnp"));
    }

    /** The timer, refusing with {@code refusal} each schedule call (by method name) that {@code refused} picks. */
    private TimerService refusing(Predicate<String> refused, Supplier<RuntimeException> refusal) {
        return (TimerService) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {TimerService.class},
                (proxy, method, args) -> {
                    if (refused.test(method.getName())) {
                        throw refusal.get();
                    }
                    try {
                        return method.invoke(timer, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private void dlnaComesUp() {
        agent.register(Dlna.NAME, dlna);
        agent.register(Dlna.LIBRARY, Rpc.handler(MediaLibrary.class, new FakeDlna.TwoTracks()));
    }

    /** Starts upnp and lets it find dlna: its rounds are scheduled from then on. */
    private void startTalking() {
        dlnaComesUp();
        start();
        await().until(() -> periodicTimers() == 2); // the summary and the rounds
    }

    @AfterEach
    void stop() {
        if (upnp != null) {
            upnp.deactivate();
        }
        pools.forEach(ExecutorService::shutdownNow);
    }

    /**
     * Files written when upnp had an enabled of its own still have it: the gate must take them (the
     * Metatype describes it), and a false one, which stops nothing now, is said once at activation.
     */
    @Test
    void aFalseEnabledOfOlderConfigurationsIsIgnoredWithOneWarnNamingTheKey() {
        dlnaComesUp();
        start(timer, false);

        await().until(() -> periodicTimers() == 2); // it runs: the summary and the rounds
        verify(log).warn(contains("enabled = false (param.enabled in msf.service~upnp.cfg) is no longer used"),
                eq(UpnpService.PID));
    }

    @Test
    void itAsksAgainUntilDlnaAnswersThenStartsItsRounds() {
        start();
        await().until(() -> timer.live().size() == 2); // the summary, and the retry after PEER_OFFLINE
        assertThat(periodicTimers()).isEqualTo(1);

        dlnaComesUp();
        timer.runAll();

        await().until(() -> periodicTimers() == 2);
        assertThat(agent.subscriptions()).isEqualTo(1);
        assertThat(upnp.status()).endsWith("dlna state 'idle'");
    }

    @Test
    void eachRoundPlaysTheNextTrackAndHearsAboutIt() {
        startTalking();

        timer.runAll();
        assertThat(dlna.state()).isEqualTo("playing So What by Miles Davis");
        timer.runAll();
        assertThat(dlna.state()).isEqualTo("playing Giant Steps by John Coltrane");
        timer.runAll();

        assertThat(dlna.state()).isEqualTo("playing So What by Miles Davis");
        assertThat(upnp.status()).isEqualTo("upnp: 3 rounds with dlna, 3 NOTIFY and 3 publications received;"
                + " dlna state 'playing So What by Miles Davis'");
        // the summary task ran first in each runAll: this one covers the third round only
        assertThat(upnp.summaryLine()).isEqualTo("upnp, last 10000 ms: 1 round with dlna, 0 failed; received 1 NOTIFY"
                + " and 1 dlna.state.changed publication; dlna state 'playing So What by Miles Davis'");
        assertThat(upnp.summaryLine()).isNull();
    }

    /**
     * Another peer setting dlna's state between upnp's SET and GET is no fault of either (the console, or the
     * other upnp while upnp is hot-swapped): said at INFO, the round counted as done, no WARN to alarm anyone.
     */
    @Test
    void aStateAnotherPeerSetBetweenSetAndGetIsSaidWithoutAWarn() {
        startTalking();
        dlna.setByAnotherPeerAfterEachSet("paused by the console");

        timer.runAll();

        verify(log).info(anyString(), eq("paused by the console"), eq("playing So What by Miles Davis"));
        verify(log, never()).warn(anyString(), any(Object[].class));
        verify(log, never()).warn(anyString(), any(), any());
        assertThat(upnp.summaryLine()).contains("1 round with dlna, 0 failed");
    }

    @Test
    void aFailedRoundDoesNotStopTheRounds() {
        startTalking();
        agent.unregister(Dlna.NAME);
        timer.runAll();

        agent.register(Dlna.NAME, dlna);
        timer.runAll();

        assertThat(dlna.state()).isEqualTo("playing Giant Steps by John Coltrane");
        assertThat(upnp.status()).startsWith("upnp: 2 rounds");
    }

    @Test
    void aRoundStartsOnlyOnceThePreviousOneEnded() {
        startTalking();
        dlna.answerSets(false);
        timer.runAll();
        timer.runAll(); // skipped: the first round still waits for its SET

        assertThat(upnp.status()).startsWith("upnp: 1 round with");
        await().until(() -> upnp.summaryLine() != null); // the SET timed out: the round ended
        dlna.answerSets(true);
        timer.runAll();
        assertThat(upnp.status()).startsWith("upnp: 2 rounds");
        assertThat(dlna.state()).isEqualTo("playing Giant Steps by John Coltrane");
    }

    /**
     * Any peer may NOTIFY upnp or publish on dlna's topic: what could not be dlna's state (too long, empty, not
     * UTF-8) is dropped, once at WARN naming the peer, and the state upnp shows stays the last good one.
     */
    @Test
    void whatCouldNotBeDlnasStateIsDroppedNamingThePeerAndTheLastGoodStateKept() {
        startTalking();
        shell.notify(Address.name("upnp"), Dlna.STATE_CHANGED, Unpooled.copiedBuffer("playing", UTF_8));

        shell.notify(Address.name("upnp"), Dlna.STATE_CHANGED,
                Unpooled.wrappedBuffer(new byte[] {(byte) 0xFF, (byte) 0xFE, (byte) 0xFF, (byte) 0xFE}));
        shell.notify(Address.name("upnp"), Dlna.STATE_CHANGED,
                Unpooled.copiedBuffer("x".repeat(Dlna.MAX_STATE_BYTES + 1), UTF_8));
        shell.notify(Address.name("upnp"), Dlna.STATE_CHANGED, Unpooled.EMPTY_BUFFER);
        shell.publish(Dlna.STATE_TOPIC, Dlna.STATE_CHANGED, Unpooled.copiedBuffer("y".repeat(100_000), UTF_8));

        assertThat(upnp.status()).isEqualTo("upnp: 0 rounds with dlna, 1 NOTIFY and 0 publications received;"
                + " dlna state 'playing'");
        verify(log).warn(eq("upnp <- peer {}: {} dropped: {} bytes{}, and dlna's state is 1 to {} bytes of UTF-8"
                + " (first one; the following ones are logged at DEBUG)"), eq("2147483651"),
                eq("NOTIFY state changed"), eq(4), eq(" that are not UTF-8"), eq(Dlna.MAX_STATE_BYTES));
        verify(log).debug(anyString(), eq("2147483651"), eq("NOTIFY state changed"), eq(Dlna.MAX_STATE_BYTES + 1),
                eq(""), eq(Dlna.MAX_STATE_BYTES));
        verify(log).debug(anyString(), eq("2147483651"), eq("NOTIFY state changed"), eq(0), eq(""),
                eq(Dlna.MAX_STATE_BYTES));
        verify(log).debug(anyString(), eq("2147483651"), eq(Dlna.STATE_TOPIC + " publication"), eq(100_000), eq(""),
                eq(Dlna.MAX_STATE_BYTES));
        assertThat(upnp.summaryLine()).isEqualTo("upnp, last 10000 ms: received 1 NOTIFY and 0 dlna.state.changed"
                + " publications, 4 dropped (not a dlna state); dlna state 'playing'");
    }

    /**
     * The reply to SET (the state dlna had) comes from whoever holds the name dlna too: it was logged as it came,
     * up to a frame long, at INFO. Its length is logged instead, and the round, whose GET checks the state, holds.
     */
    @Test
    void aReplyToSetThatCouldNotBeDlnasStateIsLoggedByItsLengthAndTheRoundHolds() {
        agent.register(Dlna.NAME, request -> CompletableFuture.completedFuture(request.command() == Dlna.GET
                ? Unpooled.copiedBuffer("round 1", UTF_8) : Unpooled.copiedBuffer("y".repeat(100_000), UTF_8)));
        start();
        await().until(() -> periodicTimers() == 2);

        timer.runAll();

        verify(log).info("upnp -> dlna SET '{}' (async): was {} (first round; the following ones are logged at DEBUG)",
                new Object[] {"round 1", "a reply of 100000 bytes, no dlna state"});
        assertThat(upnp.status()).startsWith("upnp: 1 round with dlna");
        assertThat(upnp.summaryLine()).contains("1 round with dlna, 0 failed");
    }

    @Test
    void theStateDlnaHadIsLoggedWithTheFirstSet() {
        startTalking();

        timer.runAll();

        verify(log).info("upnp -> dlna SET '{}' (async): was {} (first round; the following ones are logged at DEBUG)",
                new Object[] {"playing So What by Miles Davis", "'idle'"});
    }

    /**
     * Whoever holds the name dlna answers GET (a peer over the socket may claim it while dlna is undeployed):
     * its reply, of any size, was upnp's idea of dlna's state, shown by STATUS, as a NOTIFY's was.
     */
    @Test
    void aReplyToGetThatCouldNotBeDlnasStateIsDroppedAndNotTakenForAnAnswer() {
        agent.register(Dlna.NAME, request -> CompletableFuture.completedFuture(
                Unpooled.copiedBuffer("y".repeat(100_000), UTF_8)));
        start();

        await().until(() -> timer.live().size() == 2); // the summary, and the retry: no answer yet
        assertThat(periodicTimers()).isEqualTo(1);
        assertThat(upnp.status()).endsWith("dlna state '(not known yet)'");
        verify(log).warn(contains("dropped"), eq(Dlna.NAME), eq("reply to GET"), eq(100_000), eq(""),
                eq(Dlna.MAX_STATE_BYTES));
    }

    @Test
    void itAnswersStatusAndRefusesOtherCommands() {
        startTalking();

        assertThat(DlnaConversation.text(shell.request(Address.name("upnp"), UpnpService.STATUS, Unpooled.EMPTY_BUFFER,
                Duration.ofSeconds(1)))).startsWith("upnp: 0 rounds with dlna");
        assertThatThrownBy(() -> shell.request(Address.name("upnp"), 7, Unpooled.EMPTY_BUFFER, Duration.ofSeconds(1)))
                .isInstanceOfSatisfying(AgentException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.NO_HANDLER);
                    assertThat(e).hasMessageContaining("upnp has no command 7 (STATUS=1)");
                });
    }

    @Test
    void itsBlockingCallsRunOnAPoolOfTheBundlesOwnEndedByDeactivate() {
        startTalking();

        assertThat(dlna.getThread()).isEqualTo("io.msf.upnp-dlna-1");
        upnp.deactivate();
        upnp = null;

        assertThat(pools).singleElement().satisfies(pool -> assertThat(pool.isTerminated()).isTrue());
    }

    /**
     * dlna.library is a component of its own: up after dlna answered, upnp loaded no tracks then and
     * never asked again, its rounds setting "round n" for as long as it ran.
     */
    @Test
    void theTracksAreAskedForAgainWhileThereAreNone() {
        agent.register(Dlna.NAME, dlna); // dlna.library not yet
        start();
        await().until(() -> periodicTimers() == 2);
        timer.runAll();
        assertThat(dlna.state()).isEqualTo("round 1");

        agent.register(Dlna.LIBRARY, Rpc.handler(MediaLibrary.class, new FakeDlna.TwoTracks()));
        // a round without tracks sets a plain state and asks for them on the worker; a round after has them
        await().until(() -> {
            timer.runAll();
            return dlna.state().startsWith("playing ");
        });
    }

    /**
     * A round waiting for its track at deactivate went on once the track came: the stopped instance
     * SET dlna's state and asked for it again (during a config change or a hot swap of upnp, after the
     * new instance had started its own rounds).
     */
    @Test
    void aRoundInFlightAtDeactivateSendsNothingMoreToDlna() {
        CompletableFuture<Track> pendingTrack = new CompletableFuture<>();
        agent.register(Dlna.NAME, dlna);
        agent.register(Dlna.LIBRARY, Rpc.handler(MediaLibrary.class, new FakeDlna.TwoTracks() {
            @Override
            public CompletionStage<Track> track(int number) {
                return pendingTrack;
            }
        }));
        start();
        await().until(() -> periodicTimers() == 2);
        timer.runAll(); // the round asks for its track, and waits

        upnp.deactivate();
        upnp = null;
        pendingTrack.complete(FakeDlna.TwoTracks.TRACKS.get(0));

        assertThat(dlna.state()).isEqualTo(Dlna.INITIAL_STATE);
        verify(log, never()).warn(contains("round with dlna failed"), any(), any());
    }

    /**
     * Any peer may claim dlna.library, and its answer is only CBOR: a null list (or a null in it) was
     * taken, the worker died on it after the subscription, and the rounds were never started.
     */
    @Test
    void aLibraryAnsweringNoListOfTracksIsRefusedAndTheRoundsGoOn() {
        agent.register(Dlna.NAME, dlna);
        agent.register(Dlna.LIBRARY, Rpc.handler(MediaLibrary.class, new FakeDlna.TwoTracks() {
            @Override
            public List<Track> tracks() {
                return null;
            }
        }));
        start();

        await().until(() -> periodicTimers() == 2);
        verify(log).warn(contains("failed"), eq(Dlna.LIBRARY), contains("answered null, not a list of tracks"));
        timer.runAll();
        assertThat(dlna.state()).isEqualTo("round 1");
    }

    /**
     * "playing <title> by <artist>" is longer than a state may be for a long title: dlna refused the SET
     * of every round that played that track, each counted as failed.
     */
    @Test
    void aStateMadeOfALongTitleIsCutToWhatDlnaTakes() {
        String title = "\u00e9".repeat(Dlna.MAX_STATE_BYTES); // two bytes each
        agent.register(Dlna.NAME, dlna);
        agent.register(Dlna.LIBRARY, Rpc.handler(MediaLibrary.class, new FakeDlna.TwoTracks() {
            @Override
            public CompletionStage<Track> track(int number) {
                return CompletableFuture.completedFuture(new Track(number, title, "Someone", 60));
            }
        }));
        start();
        await().until(() -> periodicTimers() == 2);

        timer.runAll();

        assertThat(dlna.state()).startsWith("playing \u00e9\u00e9").endsWith("\u00e9...");
        assertThat(dlna.state().getBytes(UTF_8).length).isBetween(Dlna.MAX_STATE_BYTES - 1, Dlna.MAX_STATE_BYTES);
        assertThat(upnp.summaryLine()).contains("1 round with dlna, 0 failed");
    }

    @Test
    void aStateIsCutBetweenTwoCharactersNeverInsideOne() {
        String note = "\uD83C\uDFB5"; // four bytes, two chars

        assertThat(Rounds.fitted("x".repeat(250) + note.repeat(3))).isEqualTo("x".repeat(250) + "...");
        assertThat(Rounds.fitted("x".repeat(249) + note.repeat(3))).isEqualTo("x".repeat(249) + note + "...");
        assertThat(Rounds.fitted("x".repeat(Dlna.MAX_STATE_BYTES))).isEqualTo("x".repeat(Dlna.MAX_STATE_BYTES));
    }

    @Test
    void deactivateCancelsItsTimersAndSubscription() {
        startTalking();

        upnp.deactivate();

        assertThat(timer.live()).isEmpty();
        assertThat(agent.subscriptions()).isZero();
    }

    /** Stopped while dlna answered its first GET: the rounds cannot be scheduled, and nothing is thrown. */
    @Test
    void stoppedWhileDlnaAnswersItEndsQuietly() {
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> uncaught.add(e));
        try {
            dlnaComesUp();
            start(closedAfter(1)); // the summary's timer; then the bundle stops

            await().untilAsserted(() -> verify(log).debug(contains("not scheduled"), eq("the rounds"), anyString()));
            assertThat(uncaught).isEmpty();
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(before);
        }
    }

    /**
     * The timer's other refusal passes (the container's limit of pending timers): taken for the bundle's
     * stop, upnp never asked dlna again, and said nothing.
     */
    @Test
    void aTimerRefusalThatPassesIsSaidAndTriedAgain() {
        AtomicInteger refusals = new AtomicInteger(1);
        start(refusing(method -> method.equals("schedule") && refusals.getAndDecrement() > 0,
                () -> new IllegalStateException("1000000 timers are pending, as many as the container allows")));

        await().until(() -> timer.live().size() == 2); // the summary, and the retry on the second try
        verify(log).warn(contains("the timer refused"), eq("the next attempt to reach dlna"),
                eq("1000000 timers are pending, as many as the container allows"), eq(2000L));
        dlnaComesUp();
        timer.runAll();
        await().until(() -> periodicTimers() == 2);
    }

    /**
     * Stopped while it waited for the agent to take its subscription: the interrupt failed the subscription
     * and then, the worker still interrupted, the tracks' RPC; each was logged as a WARN, failures that
     * were only the stop (a config change at the wrong moment).
     */
    @Test
    void stoppedWhileSubscribingItLogsNoFailure() throws Exception {
        dlnaComesUp();
        AgentClient client = agent.client(0x8000_0001);
        CountDownLatch subscribing = new CountDownLatch(1);
        AgentClient slowToSubscribe = (AgentClient) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {AgentClient.class}, (proxy, method, args) -> {
                    if (method.getName().equals("subscribe")) {
                        subscribing.countDown();
                        try {
                            new CountDownLatch(1).await(); // the agent's acknowledgement, which does not come
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt(); // as the client does
                            throw new AgentException(ErrorCode.TIMEOUT, "interrupted while waiting for the agent");
                        }
                    }
                    try {
                        return method.invoke(client, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        start(timer, true, slowToSubscribe);
        assertThat(subscribing.await(5, TimeUnit.SECONDS)).isTrue();

        upnp.deactivate();
        upnp = null;

        assertThat(pools).singleElement().satisfies(pool -> assertThat(pool.isTerminated()).isTrue());
        verify(log, never()).warn(anyString(), any(), any());
        assertThat(timer.live()).isEmpty();
    }

    /**
     * Its timer closed as the bundle stops, the activation fails; before, the worker's pool, made just
     * before, stayed (deactivate never runs for a constructor that threw), counted against upnp.
     */
    @Test
    void anActivationFailingOnAClosedTimerLeavesNoPool() {
        assertThatThrownBy(() -> start(closedAfter(0))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");

        assertThat(pools).singleElement().satisfies(pool -> assertThat(pool.isShutdown()).isTrue());
    }

    private long periodicTimers() {
        return timer.live().stream().filter(ManualTimerService.Task::isPeriodic).count();
    }
}
