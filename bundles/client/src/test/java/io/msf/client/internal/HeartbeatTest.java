package io.msf.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
     * wait behind it: its bytes coming in are the agent's life, not only whole frames.
     */
    @Test
    void anAgentSendingAFrameSlowerThanTheHeartbeatsIsNotTakenForDead() {
        ConnectedClient client = connect(options().heartbeat(Duration.ofMillis(30)));
        Queue<ConnectionState> states = states(client);
        Queue<Integer> received = new ConcurrentLinkedQueue<>();
        client.subscribe("big", message -> received.add(message.payload().readableBytes()));
        byte[] frame = encode(Message.publish("big", 1, 1, ClientBuffers.ALLOCATOR.buffer().writeZero(64 * 1024)));
        agent.silent = true; // no PONG: it would cut into the frame

        // one chunk per heartbeat interval: the whole frame takes 20 intervals, six times the limit
        int chunk = frame.length / 20 + 1;
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        try {
            for (int from = 0, i = 0; from < frame.length; from += chunk, i++) {
                byte[] part = Arrays.copyOfRange(frame, from, Math.min(frame.length, from + chunk));
                trickle.schedule(() -> agent.sendRaw(part), i * 30L, TimeUnit.MILLISECONDS);
            }

            await().untilAsserted(() -> assertThat(received).containsExactly(64 * 1024));
        } finally {
            trickle.shutdownNow();
        }
        assertThat(states).isEmpty();
        assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
    }

    /** The frame's bytes as the agent writes them. */
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
