package io.msf.agent.internal.broker;

import static io.msf.agent.internal.broker.TextMessages.echo;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.msf.client.api.Address;
import io.msf.client.api.AgentException;
import io.msf.client.api.MessageHandler;
import io.msf.protocol.api.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Holding and releasing a bundle's handlers, as the deployer's hot swap does. */
class RouteControlTest {

    private static final Duration FIVE_SECONDS = Duration.ofSeconds(5);
    private static final long OLD_BUNDLE = 40;
    private static final long NEW_BUNDLE = 41;

    @RegisterExtension
    final QuietAgent agent = QuietAgent.start();
    private Broker broker;
    private LocalClient client;

    @BeforeEach
    void start() throws Exception {
        broker = agent.broker;
        client = agent.caller();
    }

    private String ask(String text) {
        Message reply = client.request(Address.name("dlna"), 1, Unpooled.copiedBuffer(text, UTF_8), FIVE_SECONDS);
        try {
            return reply.payload().toString(UTF_8);
        } finally {
            reply.release();
        }
    }

    private HandlerPeer add(MessageHandler handler, long serviceId, long bundleId) {
        return broker.addHandler(handler, new HandlerProperties(1001, "dlna", 0, serviceId, bundleId),
                "bundle dlna " + bundleId);
    }

    @Test
    void aHeldVersionGetsNothingUntilReleasedThenItGetsEveryNewRequest() {
        add(echo("old:"), 10, OLD_BUNDLE);
        broker.holdRoutes(NEW_BUNDLE); // before its handler registers, as the deployer does before start
        add(echo("new:"), 11, NEW_BUNDLE);
        assertThat(ask("a")).isEqualTo("old:a");

        broker.releaseRoutes(NEW_BUNDLE);
        // released: preferred over the old version despite its higher service id
        assertThat(ask("b")).isEqualTo("new:b");
        assertThat(client.request(Address.id(1001), 1, Unpooled.EMPTY_BUFFER, FIVE_SECONDS).release()).isTrue();
    }

    @Test
    void theOldVersionFinishesWhatItHasAndItsInFlightCountDrainsToZero() {
        CompletableFuture<ByteBuf> slow = new CompletableFuture<>();
        add(message -> slow, 10, OLD_BUNDLE);
        CompletionStage<Message> pending = client.requestAsync(Address.name("dlna"), 1, Unpooled.EMPTY_BUFFER,
                FIVE_SECONDS);
        assertThat(broker.inFlight(OLD_BUNDLE)).isEqualTo(1);

        broker.holdRoutes(NEW_BUNDLE);
        add(echo("new:"), 11, NEW_BUNDLE);
        broker.releaseRoutes(NEW_BUNDLE);
        assertThat(ask("c")).isEqualTo("new:c");
        assertThat(broker.inFlight(NEW_BUNDLE)).isZero();
        assertThat(broker.inFlight(OLD_BUNDLE)).isEqualTo(1);

        slow.complete(Unpooled.copiedBuffer("old answer", UTF_8));
        Message reply = pending.toCompletableFuture().join();
        assertThat(reply.payload().toString(UTF_8)).isEqualTo("old answer");
        reply.release();
        assertThat(broker.inFlight(OLD_BUNDLE)).isZero();
    }

    @Test
    void aHeldHandlerAloneIsNotReachable() {
        broker.holdRoutes(NEW_BUNDLE);
        add(echo("new:"), 11, NEW_BUNDLE);
        assertThatThrownBy(() -> ask("d")).isInstanceOf(AgentException.class).hasMessageContaining("PEER_OFFLINE");
        broker.releaseRoutes(NEW_BUNDLE);
        assertThat(ask("e")).isEqualTo("new:e");
    }

    @Test
    void aForgottenBundleLosesItsPreference() {
        HandlerPeer first = add(echo("first:"), 10, OLD_BUNDLE);
        add(echo("second:"), 11, NEW_BUNDLE);
        broker.releaseRoutes(NEW_BUNDLE);
        assertThat(ask("f")).isEqualTo("second:f");
        broker.forgetRoutes(NEW_BUNDLE);
        assertThat(ask("g")).isEqualTo("first:g");
        broker.removeHandler(first);
        assertThat(ask("h")).isEqualTo("second:h");
    }

    @Test
    void aHigherRankingStillWinsOverARelease() {
        broker.addHandler(echo("ranked:"), new HandlerProperties(1001, "dlna", 5, 10, OLD_BUNDLE), "bundle ranked");
        add(echo("released:"), 11, NEW_BUNDLE);
        broker.releaseRoutes(NEW_BUNDLE);
        assertThat(ask("i")).isEqualTo("ranked:i");
    }

    // A routing thread looks the address up, then counts the request at the handler it found. The
    // drain of a hot swap must never read 0 in flight while such a request is between the two.

    @Test
    void aRequestLookedUpBeforeTheReleaseButNotYetCountedGoesToTheNewVersion() {
        HandlerPeer old = add(echo("old:"), 10, OLD_BUNDLE);
        broker.holdRoutes(NEW_BUNDLE);
        HandlerPeer replacement = add(echo("new:"), 11, NEW_BUNDLE);
        assertThat(broker.resolve("dlna", 0)).isSameAs(old); // a router looks up, and is descheduled

        broker.releaseRoutes(NEW_BUNDLE);
        assertThat(broker.inFlight(OLD_BUNDLE)).isZero(); // the drain finds nothing: the old goes

        assertThat(old.admit("dlna", false)).isFalse(); // the router resumes: the old version refuses it
        assertThat(broker.inFlight(OLD_BUNDLE)).isZero();
        assertThat(broker.resolveAdmitted(client, "dlna", 0)).isSameAs(replacement);
        assertThat(broker.inFlight(NEW_BUNDLE)).isEqualTo(1);
        replacement.withdraw();
    }

    @Test
    void aRequestCountedBeforeTheReleaseKeepsTheOldVersionDraining() {
        HandlerPeer old = add(echo("old:"), 10, OLD_BUNDLE);
        assertThat(broker.resolveAdmitted(client, "dlna", 0)).isSameAs(old);
        broker.holdRoutes(NEW_BUNDLE);
        add(echo("new:"), 11, NEW_BUNDLE);
        broker.releaseRoutes(NEW_BUNDLE);
        assertThat(broker.inFlight(OLD_BUNDLE)).isEqualTo(1);
        old.withdraw();
        assertThat(broker.inFlight(OLD_BUNDLE)).isZero();
    }

    @Test
    void aRequestByIdIsAdmittedByTheHandlerItsIdLeadsTo() {
        HandlerPeer old = add(echo("old:"), 10, OLD_BUNDLE);
        broker.holdRoutes(NEW_BUNDLE);
        HandlerPeer replacement = add(echo("new:"), 11, NEW_BUNDLE);
        assertThat(old.admit("", false)).isTrue(); // id 1001 leads to the old version while the new is held
        old.withdraw();
        broker.releaseRoutes(NEW_BUNDLE);
        assertThat(old.admit("", false)).isFalse();
        assertThat(replacement.admit("", false)).isTrue();
        replacement.withdraw();
    }

    @Test
    void aNotificationIsCountedWhileItIsHandledAndFollowsTheSwapToo() {
        CompletableFuture<ByteBuf> slow = new CompletableFuture<>();
        HandlerPeer old = add(message -> slow, 10, OLD_BUNDLE);
        client.notify(Address.name("dlna"), 1, Unpooled.EMPTY_BUFFER).toCompletableFuture().join();
        assertThat(broker.inFlight(OLD_BUNDLE)).isEqualTo(1);

        AtomicInteger toNew = new AtomicInteger();
        broker.holdRoutes(NEW_BUNDLE);
        add(message -> {
            toNew.incrementAndGet();
            return null;
        }, 11, NEW_BUNDLE);
        broker.releaseRoutes(NEW_BUNDLE);
        assertThat(old.admit("dlna", false)).isFalse();
        client.notify(Address.name("dlna"), 1, Unpooled.EMPTY_BUFFER).toCompletableFuture().join();
        assertThat(toNew).hasValue(1);
        assertThat(broker.inFlight(NEW_BUNDLE)).isZero();

        slow.complete(null);
        assertThat(broker.inFlight(OLD_BUNDLE)).isZero();
    }

    @Test
    void aRemovedHandlerAdmitsNothingAndTheRequestFindsNoPeer() {
        HandlerPeer only = add(echo("only:"), 10, OLD_BUNDLE);
        broker.removeHandler(only);
        assertThat(only.admit("dlna", false)).isFalse();
        assertThat(broker.resolveAdmitted(client, "dlna", 0)).isNull();
        assertThatThrownBy(() -> ask("j")).isInstanceOf(AgentException.class).hasMessageContaining("PEER_OFFLINE");
    }

    /**
     * The first-ranked handler goes while a second one with its name stays: a request made as it is
     * being removed is answered by either, never PEER_OFFLINE. The removal is held where it takes the
     * registry's lock, so the request is made at that very point.
     */
    @Test
    void aRequestMadeWhileTheFirstRankedHandlerIsRemovedIsAnsweredNotOffline() throws Exception {
        HandlerPeer first = broker.addHandler(echo("first:"), new HandlerProperties(1001, "dlna", 5, 10, OLD_BUNDLE),
                "bundle first");
        add(echo("standby:"), 11, NEW_BUNDLE);
        Thread remover = new Thread(() -> broker.removeHandler(first), "remover");
        String answer;
        synchronized (broker.registry) {
            remover.start();
            await().until(() -> remover.getState() == Thread.State.BLOCKED);
            answer = ask("k");
        }
        remover.join();
        assertThat(answer).isIn("first:k", "standby:k");
        assertThat(ask("l")).isEqualTo("standby:l");
    }

    /**
     * A ranking change is one step with the directories it changes: the handler's ranking was set before the
     * registry's lock was taken, so a handler added or removed meanwhile sorted the handlers while a ranking
     * changed under the sort (which may throw once there are 32), and agent:peers showed a ranking routing did
     * not follow yet. The change is held where it takes the lock: the ranking is not changed before it.
     */
    @Test
    void aRankingChangeTakesEffectUnderTheRegistrysLockNotBefore() throws Exception {
        add(echo("first:"), 10, OLD_BUNDLE);
        HandlerPeer second = add(echo("second:"), 11, NEW_BUNDLE);
        Thread reranker = new Thread(() -> broker.rerank(second, 5), "reranker");
        synchronized (broker.registry) {
            reranker.start();
            await().until(() -> reranker.getState() == Thread.State.BLOCKED);
            assertThat(second.ranking()).isZero();
        }
        reranker.join();
        assertThat(second.ranking()).isEqualTo(5);
        assertThat(ask("m")).isEqualTo("second:m");
    }

    /**
     * Versions swapped back to back under requests from two threads, each old one retired the moment
     * its in-flight count reads 0 after the release, with no grace period: none may be called after.
     */
    @Test
    void underLoadNoRequestReachesAVersionAfterItsDrainReadZero() throws Exception {
        AtomicInteger lateCalls = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] callers = new Thread[2];
        AtomicBoolean retired = new AtomicBoolean();
        HandlerPeer current = addRetirable(1, retired, lateCalls);
        for (int t = 0; t < callers.length; t++) {
            callers[t] = new Thread(() -> {
                try {
                    while (running.get()) {
                        client.request(Address.name("dlna"), 1, Unpooled.EMPTY_BUFFER, FIVE_SECONDS).release();
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            callers[t].start();
        }
        try {
            for (long bundle = 2; bundle <= 3000 && failure.get() == null; bundle++) {
                AtomicBoolean nextRetired = new AtomicBoolean();
                broker.holdRoutes(bundle);
                HandlerPeer next = addRetirable(bundle, nextRetired, lateCalls);
                broker.releaseRoutes(bundle);
                while (broker.inFlight(bundle - 1) > 0) {
                    Thread.onSpinWait();
                }
                retired.set(true);
                broker.removeHandler(current);
                broker.forgetRoutes(bundle - 1);
                current = next;
                retired = nextRetired;
            }
        } finally {
            running.set(false);
            for (Thread caller : callers) {
                caller.join();
            }
        }
        assertThat(failure.get()).isNull();
        assertThat(lateCalls.get()).as("requests that reached a version after its drain read 0").isZero();
    }

    /** The handler of bundle {@code bundleId}; counts a call that comes once {@code retired} is set. */
    private HandlerPeer addRetirable(long bundleId, AtomicBoolean retired, AtomicInteger lateCalls) {
        MessageHandler handler = message -> {
            if (retired.get()) {
                lateCalls.incrementAndGet();
            }
            return CompletableFuture.completedFuture(null);
        };
        return broker.addHandler(handler, new HandlerProperties(1001, "dlna", 0, bundleId, bundleId),
                "bundle dlna " + bundleId);
    }
}
