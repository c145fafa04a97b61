package io.msf.agent.internal.broker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Hello;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.MessageType;
import io.msf.protocol.api.Protocol;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HELLO, ids and names, the token and heartbeats (docs/protocol.md sections 6, 7 and 10). */
class SessionTest {

    private static final int ONE_MIB = 1 << 20;

    private AgentServer agent;

    @AfterEach
    void stop() throws Exception {
        agent.close();
    }

    private void start(BrokerSettings settings) throws Exception {
        agent = new AgentServer(settings);
    }

    private static BrokerSettings withToken(String token) {
        BrokerSettings d = AgentServer.quiet();
        return new BrokerSettings(d.maxFrameBytes(), 0, 3, d.defaultTimeoutMillis(), d.outboundHighWaterBytes(),
                d.helloTimeoutMillis(), token.getBytes(UTF_8));
    }

    private static void assertClosingError(Frame frame, ErrorCode code, String text) {
        assertThat(frame.type()).as("%s", frame).isEqualTo(MessageType.ERROR);
        assertThat(frame.error()).isEqualTo(code);
        assertThat(frame.closing()).isTrue();
        assertThat(frame.text()).contains(text);
    }

    @Test
    void theAgentsHelloGrantsTheClaimsAndNamesItsLimitsAndHeartbeat() throws Exception {
        start(AgentServer.withHeartbeat(60_000, 3));
        TestPeer peer = agent.connect();

        Frame answer = peer.hello(42, "upnp", false, null, 2048);

        assertThat(answer.type()).isEqualTo(MessageType.HELLO);
        assertThat(answer.source()).isEqualTo(Protocol.AGENT_ID);
        assertThat(answer.destination()).isEqualTo(42);
        assertThat(answer.subject()).isEqualTo("upnp");
        Hello body = Hello.read(Unpooled.wrappedBuffer(answer.payload()));
        assertThat(body.minVersion()).isEqualTo(1);
        assertThat(body.maxVersion()).isEqualTo(1);
        assertThat(body.maxFrameBytes()).isEqualTo(Protocol.DEFAULT_MAX_FRAME_BYTES);
        assertThat(body.heartbeatMillis()).isEqualTo(60_000);
        assertThat(body.token()).isEmpty();
    }

    @Test
    void idsAreAssignedFrom0x80000000AndClaimsInThatRangeAreRefused() throws Exception {
        start(AgentServer.quiet());
        TestPeer first = agent.peer(0, "");
        TestPeer second = agent.peer(0, "");
        assertThat(Integer.compareUnsigned(first.id, Protocol.FIRST_ASSIGNED_ID)).isGreaterThanOrEqualTo(0);
        assertThat(second.id).isNotEqualTo(first.id);

        TestPeer greedy = agent.connect();
        assertClosingError(greedy.hello(0x8000_0005, "", false, null, ONE_MIB), ErrorCode.DUPLICATE_ID,
                "range the agent assigns");
        assertThat(greedy.awaitClosed()).isTrue();
        assertThat(agent.broker.totals().refused()).isEqualTo(1);
    }

    @Test
    void aDuplicateIdOrNameIsRefusedAndTheHolderKeepsIt() throws Exception {
        start(AgentServer.quiet());
        TestPeer holder = agent.peer(42, "upnp");

        TestPeer sameId = agent.connect();
        assertClosingError(sameId.hello(42, "other", false, null, ONE_MIB), ErrorCode.DUPLICATE_ID, "id 42");
        TestPeer sameName = agent.connect();
        assertClosingError(sameName.hello(43, "upnp", false, null, ONE_MIB), ErrorCode.DUPLICATE_NAME,
                "name 'upnp'");
        assertThat(sameId.awaitClosed()).isTrue();
        assertThat(sameName.awaitClosed()).isTrue();

        TestPeer caller = agent.peer(5, "");
        caller.request("upnp", 1, "still yours", 5000);
        assertThat(holder.next().text()).isEqualTo("still yours");
    }

    @Test
    void replaceTakesOverTheIdAndNameAndClosesTheOldConnection() throws Exception {
        start(AgentServer.quiet());
        TestPeer old = agent.peer(42, "upnp");
        old.subscribed("old.>");

        TestPeer reconnected = agent.connect();
        Frame answer = reconnected.hello(42, "upnp", true, null, ONE_MIB);

        assertThat(answer.type()).isEqualTo(MessageType.HELLO);
        assertClosingError(old.next(), ErrorCode.DUPLICATE_ID, "taken over");
        assertThat(old.awaitClosed()).isTrue();
        TestPeer caller = agent.peer(5, "");
        caller.request("upnp", 1, "to the new one", 5000);
        assertThat(reconnected.next().text()).isEqualTo("to the new one");
        assertThat(agent.broker.topics()).isEmpty();
    }

    @Test
    void theTokenIsRequiredAndChecked() throws Exception {
        start(withToken("s3cret"));

        TestPeer without = agent.connect();
        assertClosingError(without.hello(0, "", false, null, ONE_MIB), ErrorCode.UNAUTHORIZED, "requires a token");
        TestPeer wrong = agent.connect();
        assertClosingError(wrong.hello(0, "", false, "s3cre7".getBytes(UTF_8), ONE_MIB), ErrorCode.UNAUTHORIZED,
                "wrong token");
        TestPeer longer = agent.connect();
        assertClosingError(longer.hello(0, "", false, "s3cret!".getBytes(UTF_8), ONE_MIB), ErrorCode.UNAUTHORIZED,
                "wrong token");
        TestPeer right = agent.connect();
        assertThat(right.hello(0, "", false, "s3cret".getBytes(UTF_8), ONE_MIB).type()).isEqualTo(MessageType.HELLO);
        assertThat(agent.broker.totals().refused()).isEqualTo(3);
    }

    @Test
    void aFrameBeforeTheHelloIsUnauthorizedAndASecondHelloIsABadFrame() throws Exception {
        start(AgentServer.quiet());
        TestPeer eager = agent.connect();
        eager.send(Message.ping(1));
        assertClosingError(eager.next(), ErrorCode.UNAUTHORIZED, "first frame must be a HELLO");
        assertThat(eager.awaitClosed()).isTrue();

        TestPeer twice = agent.peer(0, "");
        twice.send(Message.hello(0, "", false, Hello.offer(ONE_MIB, 0, null).write(twice.channel.alloc())));
        assertClosingError(twice.next(), ErrorCode.BAD_FRAME, "a second HELLO at offset ");
        assertThat(twice.awaitClosed()).isTrue();
        assertThat(agent.broker.totals().malformed()).as("a second HELLO counts as malformed").isEqualTo(1);
    }

    @Test
    void noCommonVersionAndABadNameAreRefused() throws Exception {
        start(AgentServer.quiet());
        TestPeer future = agent.connect();
        future.send(Message.hello(0, "", false, new Hello(2, 3, ONE_MIB, 0, null).write(future.channel.alloc())));
        assertClosingError(future.next(), ErrorCode.UNSUPPORTED_VERSION, "the peer offers 2..3");

        TestPeer badName = agent.connect();
        Frame refusal = badName.hello(0, "dlna.*", false, null, ONE_MIB);
        assertClosingError(refusal, ErrorCode.INVALID_SUBJECT, "peer name 'dlna.*' has the wildcard '*'");
        assertThat(refusal.text()).as("told of the name it gave, not of a topic").doesNotContain("topic");
    }

    @Test
    void aConnectionThatSendsNoHelloIsClosed() throws Exception {
        BrokerSettings d = AgentServer.quiet();
        start(new BrokerSettings(d.maxFrameBytes(), 0, 3, d.defaultTimeoutMillis(), d.outboundHighWaterBytes(),
                BrokerSettings.SHORTEST_HELLO_TIMEOUT_MILLIS, null));
        TestPeer mute = agent.connect();

        assertClosingError(mute.next(), ErrorCode.UNAUTHORIZED, "no HELLO within 100 ms");
        assertThat(mute.awaitClosed()).isTrue();
    }

    /**
     * A frame the agent's own close cuts short (here its eviction of a peer that answers no PING, which sent
     * the start of a frame) is no malformed frame of the peer's: the codec tells it at the close, after the
     * eviction was told and counted, and it was logged and counted a second time as the peer's fault.
     */
    @Test
    void aFrameCutShortByTheAgentsOwnCloseIsNoMalformedFrame() throws Exception {
        start(AgentServer.withHeartbeat(300, 2));
        TestPeer dead = agent.peer(42, "dead");
        dead.answerPings(false);
        Channel agentEnd = agent.agentEndOf(dead);
        dead.sendRaw(Unpooled.buffer(20).writeShort(0x4D53).writeByte(1).writeByte(8).writeInt(44).writeZero(12));

        assertThat(dead.awaitClosed()).isTrue();
        agentEnd.closeFuture().await();
        // queued after the close's channelInactive, where the codec tells the frame cut short
        agentEnd.eventLoop().submit(() -> { }).await();

        assertThat(agent.broker.totals().evicted()).isEqualTo(1);
        assertThat(agent.broker.totals().malformed()).isZero();
    }

    @Test
    void aPeerThatMissesItsPongsIsEvictedAndReleasesItsNameWhileOthersStay() throws Exception {
        // Long enough that the peers which answer are never late, even on a loaded machine.
        start(AgentServer.withHeartbeat(300, 2));
        TestPeer alive = agent.peer(1, "alive");
        TestPeer dead = agent.peer(42, "dead");
        dead.answerPings(false);
        TestPeer caller = agent.peer(5, "");
        caller.request("dead", 1, "pending", 60_000);
        assertThat(dead.next().type()).isEqualTo(MessageType.REQUEST);

        assertThat(dead.awaitClosed()).isTrue();
        Frame offline = caller.next();
        assertThat(offline.error()).isEqualTo(ErrorCode.PEER_OFFLINE);
        assertThat(offline.text()).isEqualTo("'dead' (#42) left with the request outstanding (evicted: no PONG to its"
                + " last 2 PINGs, sent every 300 ms)");
        assertThat(agent.broker.totals().evicted()).isEqualTo(1);
        // The PINGs it ignored arrived first: it was not evicted before the configured misses.
        assertThat(dead.next().type()).isEqualTo(MessageType.PING);
        assertThat(dead.next().type()).isEqualTo(MessageType.PING);

        await().until(() -> agent.broker.peers().stream().noneMatch(p -> p.id() == 42));
        assertThat(agent.connect().hello(42, "dead", false, null, ONE_MIB).type()).isEqualTo(MessageType.HELLO);
        caller.request("alive", 1, "still here", 5000);
        assertThat(alive.next().text()).isEqualTo("still here");
    }
    @Test
    void aConnectionAcceptedBeforeTheFrameLimitRoseIsToldTheLimitItsDecoderHolds() throws Exception {
        start(AgentServer.quiet());
        TestPeer early = agent.connect();
        agent.agentEndOf(early); // its pipeline is set up, with the limit in force now
        BrokerSettings d = agent.broker.settings();
        agent.broker.settings(new BrokerSettings(4 * ONE_MIB, 0, 3, d.defaultTimeoutMillis(),
                d.outboundHighWaterBytes(), d.helloTimeoutMillis(), null));

        Frame answer = early.hello(0, "", false, null, 8 * ONE_MIB);
        int told = Hello.read(Unpooled.wrappedBuffer(answer.payload())).maxFrameBytes();
        // A frame as large as the agent said it takes is read, not refused as too large with the connection.
        String subject = "nobody";
        // Not waited for: an agent that refuses it closes the connection before the write completes.
        early.channel.writeAndFlush(Message.request(subject, 1, 1, 5000,
                Unpooled.wrappedBuffer(new byte[told - Frames.HEADER_BYTES - subject.length()])));

        Frame offline = early.next();
        assertThat(offline.error()).as("%s", offline).isEqualTo(ErrorCode.PEER_OFFLINE);
        assertThat(offline.closing()).isFalse();
        assertThat(told).isEqualTo(ONE_MIB);
    }
}
