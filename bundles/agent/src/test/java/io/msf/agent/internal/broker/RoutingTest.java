package io.msf.agent.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.MessageType;
import io.msf.protocol.api.Protocol;
import io.msf.protocol.codec.AgentCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Requests, replies and notifications between connections (docs/protocol.md section 8). */
class RoutingTest {

    @RegisterExtension
    final QuietAgent agent = QuietAgent.start();

    @Test
    void routesARequestByIdAndItsReplyBackWithTheSourcesOverwritten() throws Exception {
        TestPeer upnp = agent.peer(42, "upnp");
        TestPeer caller = agent.peer(5, "");

        long sequence = caller.request(42, 16, "get volume", 5000);
        Frame request = upnp.next();
        assertThat(request.type()).isEqualTo(MessageType.REQUEST);
        assertThat(request.source()).isEqualTo(5);
        assertThat(request.command()).isEqualTo(16);
        assertThat(request.sequence()).isEqualTo(sequence);
        assertThat(request.text()).isEqualTo("get volume");

        upnp.reply(request, "volume 7");
        Frame reply = caller.next();
        assertThat(reply.type()).isEqualTo(MessageType.REPLY);
        assertThat(reply.source()).isEqualTo(42);
        assertThat(reply.destination()).isEqualTo(5);
        assertThat(reply.sequence()).isEqualTo(sequence);
        assertThat(reply.command()).isEqualTo(16);
        assertThat(reply.text()).isEqualTo("volume 7");
        await().until(() -> agent.outstandingOf(5) == 0);
    }

    @Test
    void routesByNameAndOverwritesAClaimedSource() throws Exception {
        TestPeer upnp = agent.peer(42, "upnp");
        TestPeer caller = agent.peer(0, "");

        // A peer cannot speak for another: the source it writes is replaced by its own id.
        caller.send(new Message(MessageType.REQUEST, 0, ErrorCode.OK, 42, 0, "upnp", 1, 9, 0,
                TestPeer.text("hi")));
        Frame request = upnp.next();
        assertThat(request.source()).isEqualTo(caller.id);
        assertThat(request.subject()).isEqualTo("upnp");
        assertThat(Integer.compareUnsigned(caller.id, Protocol.FIRST_ASSIGNED_ID)).isGreaterThanOrEqualTo(0);
    }

    @Test
    void notifiesByIdAndName() throws Exception {
        TestPeer dlna = agent.peer(1001, "dlna");
        TestPeer sender = agent.peer(7, "");

        sender.send(Message.notification(1001, 3, 1, TestPeer.text("by id")));
        sender.send(Message.notification("dlna", 4, 2, TestPeer.text("by name")));

        Frame first = dlna.next();
        Frame second = dlna.next();
        assertThat(first.type()).isEqualTo(MessageType.NOTIFY);
        assertThat(first.text()).isEqualTo("by id");
        assertThat(second.text()).isEqualTo("by name");
        assertThat(second.source()).isEqualTo(7);
        sender.assertNothingElse();
    }

    /**
     * The agent flushes once per read batch (and every 256 messages within one): a burst that
     * arrives in one read, its length no multiple of that, must reach the destination whole,
     * its last message included, with nothing more from the sender to push it out.
     */
    @Test
    void aBurstReadAtOnceIsDeliveredWholeWithItsLastMessageFlushed() throws Exception {
        TestPeer dlna = agent.peer(1001, "dlna");
        TestPeer sender = agent.peer(7, "");
        int burst = 2 * AgentCodec.EXPLICIT_FLUSH_AFTER_FLUSHES + 3;

        for (int i = 0; i < burst; i++) {
            sender.channel.write(Message.notification(1001, 3, i + 1, TestPeer.text("n" + i)));
        }
        sender.channel.flush();

        for (int i = 0; i < burst; i++) {
            assertThat(dlna.next().text()).isEqualTo("n" + i);
        }
        sender.request(1001, 1, "last", 5000);
        assertThat(dlna.next().text()).isEqualTo("last");
    }

    @Test
    void aRequestOrNotifyToNobodyGetsPeerOfflineAtOnce() throws Exception {
        TestPeer caller = agent.peer(5, "");

        long sequence = caller.request("nobody", 16, "x", 5000);
        Frame error = caller.next();
        assertThat(error.type()).isEqualTo(MessageType.ERROR);
        assertThat(error.error()).isEqualTo(ErrorCode.PEER_OFFLINE);
        assertThat(error.destination()).isEqualTo(5);
        assertThat(error.command()).isEqualTo(16);
        assertThat(error.sequence()).isEqualTo(sequence);
        assertThat(error.closing()).isFalse();
        assertThat(error.text()).contains("'nobody'");

        caller.send(Message.notification(99, 2, 77, TestPeer.text("x")));
        Frame notifyError = caller.next();
        assertThat(notifyError.error()).isEqualTo(ErrorCode.PEER_OFFLINE);
        assertThat(notifyError.sequence()).isEqualTo(77);
        assertThat(agent.broker.totals().peerOffline()).isEqualTo(2);
    }

    /**
     * A responder taken over by a new connection (HELLO with REPLACE) while a request to it is
     * outstanding: the requester gets PEER_OFFLINE at once, saying that it was taken over.
     */
    @Test
    void aRequestToAConnectionTakenOverFailsSayingSo() throws Exception {
        TestPeer old = agent.peer(42, "upnp");
        TestPeer caller = agent.peer(5, "");
        long sequence = caller.request("upnp", 16, "x", 60_000);
        assertThat(old.next().type()).isEqualTo(MessageType.REQUEST);

        TestPeer successor = agent.connect(agent.udsAddress());
        assertThat(successor.hello(42, "upnp", true, null, Protocol.DEFAULT_MAX_FRAME_BYTES).type())
                .isEqualTo(MessageType.HELLO);

        Frame offline = caller.next();
        assertThat(offline.error()).isEqualTo(ErrorCode.PEER_OFFLINE);
        assertThat(offline.sequence()).isEqualTo(sequence);
        assertThat(offline.text()).startsWith("'upnp' (#42) left with the request outstanding (taken over: id 42"
                + " taken over by a new connection from ");
    }

    /**
     * A name that breaks the rules of section 9.1 is no name anyone can hold: a peer that is not the
     * Java client (whose Address refuses it) and sends to {@code dlna.*}, hoping for a wildcard
     * request, is told INVALID_SUBJECT and why (section 11), not that nobody by that name is connected.
     */
    @Test
    void aRequestOrNotifyToANameThatBreaksTheRulesGetsInvalidSubject() throws Exception {
        TestPeer caller = agent.peer(5, "");

        caller.send(new Message(MessageType.REQUEST, 0, ErrorCode.OK, 0, 0, "dlna.*", 16, 3, 5000,
                TestPeer.text("x")));
        Frame error = caller.next();
        assertThat(error.type()).isEqualTo(MessageType.ERROR);
        assertThat(error.error()).isEqualTo(ErrorCode.INVALID_SUBJECT);
        assertThat(error.command()).isEqualTo(16);
        assertThat(error.sequence()).isEqualTo(3);
        assertThat(error.closing()).isFalse();
        assertThat(error.text()).isEqualTo("peer name 'dlna.*' has the wildcard '*' at index 5; wildcards belong in"
                + " subscription patterns");

        caller.send(new Message(MessageType.NOTIFY, 0, ErrorCode.OK, 0, 0, "my peer", 2, 77, 0, TestPeer.text("x")));
        Frame notifyError = caller.next();
        assertThat(notifyError.error()).isEqualTo(ErrorCode.INVALID_SUBJECT);
        assertThat(notifyError.sequence()).isEqualTo(77);
        assertThat(notifyError.text()).startsWith("peer name 'my peer' has white space");
        assertThat(agent.broker.totals().peerOffline()).isZero();
        await().until(() -> agent.outstandingOf(5) == 0);
    }

    @Test
    void aDestinationThatLeavesFailsEachOutstandingRequestWithPeerOffline() throws Exception {
        TestPeer upnp = agent.peer(42, "upnp");
        TestPeer caller = agent.peer(5, "");

        long first = caller.request(42, 1, "a", 60_000);
        long second = caller.request(42, 2, "b", 60_000);
        upnp.next();
        upnp.next();
        upnp.close();

        Frame one = caller.next();
        Frame two = caller.next();
        assertThat(one.error()).isEqualTo(ErrorCode.PEER_OFFLINE);
        assertThat(two.error()).isEqualTo(ErrorCode.PEER_OFFLINE);
        assertThat(java.util.List.of(one.sequence(), two.sequence())).containsExactlyInAnyOrder(first, second);
        assertThat(one.text()).contains("left with the request outstanding");
        await().until(() -> agent.outstandingOf(5) == 0);
    }

    /**
     * A responder that answers with a closing ERROR (it is ending its own connection) must not end
     * the requester's: CLOSING says that the sender of the frame closes, and the requester's frame
     * comes from the agent, which does not. A Java client told OVERLOADED with CLOSING would take its
     * connection for cut off. (With a code about a connection: ResponderErrorCodesTest.)
     */
    @Test
    void anErrorAnswerIsForwardedWithoutTheRespondersClosingFlag() throws Exception {
        TestPeer upnp = agent.peer(42, "upnp");
        TestPeer caller = agent.peer(5, "");

        long sequence = caller.request(42, 16, "get volume", 5000);
        Frame request = upnp.next();
        upnp.send(new Message(MessageType.ERROR, Message.FLAG_CLOSING, ErrorCode.OVERLOADED, 0, request.source(),
                "", request.command(), request.sequence(), 0, TestPeer.text("going away")));

        Frame error = caller.next();
        assertThat(error.type()).isEqualTo(MessageType.ERROR);
        assertThat(error.sequence()).isEqualTo(sequence);
        assertThat(error.source()).isEqualTo(42);
        assertThat(error.error()).isEqualTo(ErrorCode.OVERLOADED);
        assertThat(error.text()).isEqualTo("going away");
        assertThat(error.closing()).as("CLOSING of %s", error).isFalse();
        caller.assertNothingElse();
    }

    @Test
    void aDestinationCountsARequestInFlightUntilItIsSettled() throws Exception {
        TestPeer upnp = agent.peer(42, "upnp");
        TestPeer caller = agent.peer(5, "");

        caller.request(42, 1, "answered", 60_000);
        caller.request(42, 2, "left open", 60_000);
        Frame answered = upnp.next();
        upnp.next();
        assertThat(inFlight(42)).isEqualTo(2);

        upnp.reply(answered, "done");
        assertThat(caller.next().text()).isEqualTo("done");
        await().until(() -> inFlight(42) == 1);
        caller.close();
        await().until(() -> inFlight(42) == 0);
    }

    private int inFlight(int id) {
        return agent.broker.peers().stream().filter(p -> p.id() == id).findFirst().orElseThrow().inFlight();
    }

    @Test
    void aRequestThatTimesOutGetsTimeoutAndItsLateReplyIsDroppedAndCounted() throws Exception {
        TestPeer slow = agent.peer(42, "slow");
        TestPeer caller = agent.peer(5, "");

        long sequence = caller.request(42, 1, "wait", 50);
        Frame request = slow.next();
        Frame timeout = caller.next();
        assertThat(timeout.error()).isEqualTo(ErrorCode.TIMEOUT);
        assertThat(timeout.sequence()).isEqualTo(sequence);
        assertThat(timeout.text()).contains("within 50 ms");

        slow.reply(request, "too late");
        await().until(() -> agent.broker.totals().lateReplies() == 1);
        assertThat(agent.broker.totals().timeouts()).isEqualTo(1);
        caller.assertNothingElse();
    }

    @Test
    void aShortTimeoutRunsOutWhileALongerOneMadeBeforeItIsStillAnswered() throws Exception {
        TestPeer slow = agent.peer(42, "slow");
        TestPeer caller = agent.peer(5, "");

        long patient = caller.request(42, 1, "patient", 60_000);
        long hasty = caller.request(42, 2, "hasty", 50);
        Frame first = slow.next();
        slow.next();
        Frame timeout = caller.next();
        assertThat(timeout.error()).isEqualTo(ErrorCode.TIMEOUT);
        assertThat(timeout.sequence()).isEqualTo(hasty);

        slow.reply(first, "worth the wait");
        Frame reply = caller.next();
        assertThat(reply.sequence()).isEqualTo(patient);
        assertThat(reply.text()).isEqualTo("worth the wait");
        assertThat(agent.broker.totals().timeouts()).isEqualTo(1);
    }

    @Test
    void aRequesterThatLeavesHasItsRequestsDroppedAndTheirRepliesCountAsLate() throws Exception {
        TestPeer upnp = agent.peer(42, "upnp");
        TestPeer caller = agent.peer(5, "");

        caller.request(42, 1, "a", 60_000);
        caller.request(42, 2, "b", 60_000);
        Frame first = upnp.next();
        Frame second = upnp.next();
        caller.close();
        await().until(() -> inFlight(42) == 0);

        upnp.reply(first, "nobody");
        upnp.reply(second, "listens");
        await().until(() -> agent.broker.totals().lateReplies() == 2);
        assertThat(agent.broker.totals().routed()).isZero();
        assertThat(agent.broker.totals().timeouts()).isZero();
    }

    @Test
    void aZeroTimeoutMeansTheAgentsDefault() throws Exception {
        agent.broker.settings(new BrokerSettings(Protocol.DEFAULT_MAX_FRAME_BYTES, 0, 3, 40, 8 << 20, 10_000, null));
        TestPeer silent = agent.peer(42, "");
        TestPeer caller = agent.peer(5, "");

        caller.request(42, 1, "x", 0);
        silent.next();

        Frame timeout = caller.next();
        assertThat(timeout.error()).isEqualTo(ErrorCode.TIMEOUT);
        assertThat(timeout.text()).contains("within 40 ms");
    }

    @Test
    void aMessageLargerThanTheDestinationAcceptsIsRefusedWithTooLargeAndTheConnectionStays() throws Exception {
        TestPeer small = agent.connect();
        assertThat(small.hello(42, "small", false, null, 1024).type()).isEqualTo(MessageType.HELLO);
        TestPeer caller = agent.peer(5, "");

        long sequence = caller.request(42, 1, "x".repeat(2000), 5000);
        Frame error = caller.next();
        assertThat(error.error()).isEqualTo(ErrorCode.TOO_LARGE);
        assertThat(error.sequence()).isEqualTo(sequence);
        assertThat(error.closing()).isFalse();
        small.assertNothingElse();

        caller.request(42, 1, "fits", 5000);
        assertThat(small.next().text()).isEqualTo("fits");
    }

    /**
     * A REPLY larger than its requester accepts cannot be written to it: the requester hears why at
     * once (TOO_LARGE with its sequence) rather than nothing at all, its request being settled.
     */
    @Test
    void aReplyLargerThanTheRequesterAcceptsBecomesTooLargeForTheRequester() throws Exception {
        TestPeer upnp = agent.peer(42, "upnp");
        TestPeer small = agent.connect();
        assertThat(small.hello(5, "small", false, null, 1024).type()).isEqualTo(MessageType.HELLO);

        long sequence = small.request(42, 7, "big please", 60_000);
        Frame request = upnp.next();
        upnp.reply(request, "y".repeat(2000));

        Frame error = small.next();
        assertThat(error.type()).isEqualTo(MessageType.ERROR);
        assertThat(error.error()).isEqualTo(ErrorCode.TOO_LARGE);
        assertThat(error.sequence()).isEqualTo(sequence);
        assertThat(error.command()).isEqualTo(7);
        assertThat(error.closing()).isFalse();
        await().until(() -> agent.outstandingOf(5) == 0);

        long next = small.request(42, 8, "small please", 60_000);
        upnp.reply(upnp.next(), "fits");
        Frame reply = small.next();
        assertThat(reply.sequence()).isEqualTo(next);
        assertThat(reply.text()).isEqualTo("fits");
    }

    @Test
    void answersPingsOfItsPeers() throws Exception {
        TestPeer peer = agent.peer(5, "");
        peer.assertNothingElse();
    }

    @Test
    void reachesPeersOnTheUnixSocketToo() throws Exception {
        TestPeer local = agent.connect(agent.udsAddress()).register(0, "local");
        TestPeer caller = agent.peer(5, "");

        caller.request("local", 1, "over uds", 5000);
        Frame request = local.next();
        assertThat(request.text()).isEqualTo("over uds");
        assertThat(agent.broker.peers()).anySatisfy(peer -> {
            assertThat(peer.name()).isEqualTo("local");
            assertThat(peer.kind()).isEqualTo(io.msf.agent.api.PeerKind.UNIX);
        });
    }
}
