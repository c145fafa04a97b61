package io.msf.client.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.msf.client.api.AgentClients;
import io.msf.client.api.AgentException;
import io.msf.client.api.ClientOptions;
import io.msf.client.api.ConnectedClient;
import io.msf.client.api.ConnectionState;
import io.msf.protocol.api.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;

/**
 * A {@link FakeAgent} on loopback TCP per test, clients that connect to it with short timeouts and
 * backoff, and their cleanup. Every buffer must be released by the end of the class.
 */
abstract class ClientTestBase {

    static final Duration SECONDS_5 = Duration.ofSeconds(5);

    final FakeAgent agent = FakeAgent.tcp();
    /** What the clients reported to onError. */
    final Queue<AgentException> errors = new ConcurrentLinkedQueue<>();
    private final List<AutoCloseable> toClose = new CopyOnWriteArrayList<>();

    /**
     * Options for the fake agent, with quick reconnects. The connect timeout is generous: only a
     * failing test waits for it, and a loaded build machine took more than 3 s to register.
     */
    ClientOptions.Builder options() {
        return ClientOptions.builder()
                .tcp("127.0.0.1", agent.port())
                .connectTimeout(Duration.ofSeconds(10))
                .reconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(200))
                .onError(errors::add);
    }

    ConnectedClient connect(ClientOptions.Builder options) {
        return closeLater(AgentClients.connect(options.build()));
    }

    /** Closes {@code client} after the test. */
    ConnectedClient closeLater(ConnectedClient client) {
        toClose.add(client);
        return client;
    }

    /** Records every state a client goes through. */
    static Queue<ConnectionState> states(ConnectedClient client) {
        Queue<ConnectionState> states = new ConcurrentLinkedQueue<>();
        client.onStateChange(states::add);
        return states;
    }

    /** A pooled buffer holding {@code text}, as an application would allocate it ({@code client.alloc()}). */
    static ByteBuf text(String text) {
        return ByteBufUtil.writeUtf8(ClientBuffers.ALLOCATOR, text);
    }

    /** The payload of {@code message} as text; releases the message. */
    static String textOf(Message message) {
        try {
            return message.payload().toString(UTF_8);
        } finally {
            message.release();
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        agent.close();
    }

    /** What waits in the channel's outbound queue, read on its event loop: a flood test's measure of what a client lets queue. */
    static long pendingBytes(Channel channel) {
        return channel.eventLoop().submit(() -> {
            ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
            return buffer == null ? 0L : buffer.totalPendingWriteBytes();
        }).syncUninterruptibly().getNow();
    }
}
