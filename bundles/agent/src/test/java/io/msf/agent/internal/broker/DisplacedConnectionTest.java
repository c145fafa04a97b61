package io.msf.agent.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.MessageType;
import io.msf.protocol.api.Protocol;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A connection taken over by a HELLO with REPLACE while it still sends, or no longer reads: its
 * closing ERROR then waits behind what was queued for it, and the connection stays open meanwhile.
 */
class DisplacedConnectionTest {

    @RegisterExtension
    final QuietAgent agent = QuietAgent.start(); // no heartbeat: it would close a silent peer in the end
    private TestPeer old;
    private TestPeer publisher;

    /** "upnp" (#42) on the Unix socket, subscribed to "feed", reading nothing, with frames waiting for it. */
    @BeforeEach
    void start() throws Exception {
        old = agent.connect(agent.udsAddress()).register(42, "upnp");
        old.subscribed("feed");
        publisher = agent.peer(3, "");
        old.channel.config().setAutoRead(false);
        // Several frames, not one: a frame handed over by another loop counts as waiting until that loop
        // writes it. At most 128 x 32 KiB, half the 8 MiB high-water mark.
        int published = 0;
        while (queueDepth(42) < 8 && published < 128) {
            publisher.send(Message.publish("feed", 0, published++, Unpooled.wrappedBuffer(new byte[32 * 1024])));
            publisher.assertNothingElse(); // routed
        }
        assertThat(queueDepth(42)).isGreaterThanOrEqualTo(8);
    }

    @Test
    void whatTheOldConnectionSendsAfterTheTakeoverIsNotRouted() throws Exception {
        TestPeer responder = agent.peer(7, "responder");
        TestPeer reconnected = agent.connect();
        assertThat(reconnected.hello(42, "upnp", true, null, Protocol.DEFAULT_MAX_FRAME_BYTES).type())
                .isEqualTo(MessageType.HELLO);

        // Its frames carry id 42, which is the new connection's now. The agent reads them before it
        // can write the closing ERROR behind what waits for the old connection: that waits for it to read.
        old.subscribe("late.>");
        old.request("responder", 1, "from the old connection", 60_000);
        old.channel.config().setAutoRead(true);
        Frame last;
        do {
            last = old.next();
        } while (last.type() == MessageType.PUBLISH);
        assertThat(last.error()).isEqualTo(ErrorCode.DUPLICATE_ID);
        assertThat(old.awaitClosed()).isTrue();

        assertThat(agent.broker.topics()).as("no subscription left for a connection that is gone").isEmpty();
        responder.assertNothingElse();
        reconnected.assertNothingElse();
    }

    @Test
    void theOldConnectionIsClosedEvenIfItReadsNothing() throws Exception {
        TestPeer reconnected = agent.connect();
        assertThat(reconnected.hello(42, "upnp", true, null, Protocol.DEFAULT_MAX_FRAME_BYTES).type())
                .isEqualTo(MessageType.HELLO);

        // As a peer cut off for reading too slowly is (MalformedFrameHandler.closeWith: the codec's grace).
        await().atMost(Duration.ofSeconds(5)).until(() -> agent.openConnections() == 2);
    }

    private int queueDepth(int id) {
        return agent.broker.peers().stream().filter(p -> p.id() == id).findFirst().orElseThrow().queueDepth();
    }
}
