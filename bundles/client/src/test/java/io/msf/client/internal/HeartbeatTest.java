package io.msf.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.msf.client.api.Address;
import io.msf.client.api.ConnectedClient;
import io.msf.client.api.ConnectionState;
import io.msf.protocol.api.Message;
import io.msf.protocol.codec.FrameEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Heartbeats both ways, and a silent agent taken for dead. */
class HeartbeatTest extends ClientTestBase {

    @Test
    void theAgentsPingsAreAnsweredWithTheirSequence() {
        agent.heartbeatMillis = 20;

        connect(options());

        await().untilAsserted(() -> assertThat(agent.pongs).hasSizeGreaterThanOrEqualTo(3)
                .startsWith(1L, 2L, 3L));
    }

    @Test
    void theClientPingsTheAgentAtItsInterval() {
        connect(options().heartbeat(Duration.ofMillis(20)));

        await().untilAsserted(() -> assertThat(agent.pings).hasValueGreaterThanOrEqualTo(3));
    }

    @Test
    void anAgentThatFallsSilentIsTakenForDeadAndReconnectedTo() {
        ConnectedClient client = connect(options().heartbeat(Duration.ofMillis(30)).connectTimeout(Duration.ofMillis(500)));
        Queue<ConnectionState> states = states(client);

        agent.silent = true;
        await().until(() -> client.state() == ConnectionState.RECONNECTING);
        agent.silent = false;

        await().until(() -> client.state() == ConnectionState.CONNECTED);
        assertThat(states).startsWith(ConnectionState.RECONNECTING).endsWith(ConnectionState.CONNECTED);
    }

    /**
     * A large frame on a slow path takes longer than the heartbeats to arrive, and the agent's PONGs
     * wait behind it: its bytes coming in are the agent's life, not only whole frames. The frame
     * comes a piece at each of the client's PINGs, so it takes 20 of its heartbeat intervals, six
     * times the limit, however late a loaded machine runs the client's timer or the agent's writes.
     * Heartbeats of 100 ms, not 30: with 30, a fake agent's thread held off the CPU for some 100 ms
     * by a loaded machine (CI beside other builds) was taken for dead mid-frame.
     */
    @Test
    void anAgentSendingAFrameSlowerThanTheHeartbeatsIsNotTakenForDead() {
        ConnectedClient client = connect(options().heartbeat(Duration.ofMillis(100)));
        Queue<ConnectionState> states = states(client);
        Queue<Integer> received = new ConcurrentLinkedQueue<>();
        client.subscribe("big", message -> received.add(message.payload().readableBytes()));
        byte[] frame = encode(Message.publish("big", 1, 1, ClientBuffers.ALLOCATOR.buffer().writeZero(64 * 1024)));
        int chunk = frame.length / 20 + 1;
        AtomicInteger sent = new AtomicInteger();
        agent.whileSilentAtPing = () -> { // no PONG: it would cut into the frame
            int from = sent.getAndAdd(chunk);
            if (from < frame.length) {
                agent.sendRaw(Arrays.copyOfRange(frame, from, Math.min(frame.length, from + chunk)));
            }
        };
        agent.silent = true;

        await().untilAsserted(() -> assertThat(received).containsExactly(64 * 1024));
        assertThat(states).isEmpty();
        assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
    }

    /** The frame's bytes as the agent writes them. */
    /**
     * An agent silent in the middle of a frame is lost for its silence: the half frame is cut short by the
     * close the client makes, which is no malformed frame of the agent's to report, nor a reason to put in
     * the silence's place (the codec tells it at the close, before the end of the connection).
     */
    @Test
    void anAgentSilentInTheMiddleOfAFrameIsLostForItsSilenceNotForAMalformedFrame() {
        ConnectedClient client = connect(options().heartbeat(Duration.ofMillis(30)).connectTimeout(Duration.ofMillis(500)));
        CompletableFuture<Message> outstanding = client.requestAsync(Address.name(FakeAgent.BLACKHOLE), 1,
                text("x"), Duration.ofSeconds(30)).toCompletableFuture();
        await().until(() -> agent.swallowed.get() == 1);
        byte[] frame = encode(Message.publish("big", 1, 1, ClientBuffers.ALLOCATOR.buffer().writeZero(1024)));

        agent.silent = true;
        agent.sendRaw(Arrays.copyOf(frame, frame.length / 2));

        assertThat(outstanding).failsWithin(Duration.ofSeconds(5)).withThrowableThat().havingRootCause()
                .withMessageContaining("connection presumed dead");
        assertThat(errors).isEmpty();
    }

    private static byte[] encode(Message frame) {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameEncoder(1 << 20));
        channel.writeOutbound(frame);
        ByteBuf encoded = channel.readOutbound();
        try {
            return ByteBufUtil.getBytes(encoded);
        } finally {
            encoded.release();
            channel.finishAndReleaseAll();
        }
    }
}
