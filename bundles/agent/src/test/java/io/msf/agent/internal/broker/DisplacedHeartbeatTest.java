package io.msf.agent.internal.broker;

import static io.msf.agent.internal.broker.StalledSocket.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import io.msf.net.api.EndpointSpec;
import io.msf.protocol.api.Hello;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.Protocol;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.Logger;

/**
 * A connection a HELLO with REPLACE took over, whose peer reads nothing (the hung process the new
 * connection replaces), stays open for the codec's grace while its closing ERROR waits. Its heartbeat
 * went on meanwhile: the PINGs were dropped (it is cut), its PONGs not heard, and within the grace it
 * was "evicted", logged as such at WARN and counted, although it had left already, taken over. On
 * agent connections whose time the test moves, the old one's socket taking no byte.
 */
class DisplacedHeartbeatTest {

    private static final int HEARTBEAT_MILLIS = 100;
    private static final int HEARTBEAT_MISSES = 2;

    private final TestTimers timers = new TestTimers();
    private final Broker broker = new Broker(settings(), timers, () -> ImmediateEventExecutor.INSTANCE,
            mock(Logger.class));
    private final StalledSocket stalled = new StalledSocket();
    private final MockTicker ticker = Ticker.newMockTicker();
    private final EmbeddedChannel old = connection(stalled);
    private final EmbeddedChannel replacing = connection(new ChannelOutboundHandlerAdapter());

    private static BrokerSettings settings() {
        return AgentServer.withHeartbeat(HEARTBEAT_MILLIS, HEARTBEAT_MISSES);
    }

    private EmbeddedChannel connection(ChannelOutboundHandlerAdapter socket) {
        return EmbeddedChannel.builder().ticker(ticker).handlers(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast("socket", socket);
                broker.channelSetup().initChannel(ch, EndpointSpec.tcpServer("agent-tcp", 0));
            }
        }).build();
    }

    @AfterEach
    void close() {
        stalled.release();
        old.finishAndReleaseAll();
        replacing.finishAndReleaseAll();
        broker.close();
        timers.close();
    }

    @Test
    void aConnectionTakenOverIsNotEvictedWhileItsClosingErrorWaits() {
        old.writeInbound(frame(hello(false)));
        stalled.release(); // the agent's HELLO
        replacing.writeInbound(frame(hello(true)));
        assertThat(stalled.held).as("the closing ERROR, not written").isNotEmpty();

        // within the codec's grace: more heartbeats than the old connection may miss
        for (int passed = 0; passed < 900; passed += HEARTBEAT_MILLIS) {
            passMillis(HEARTBEAT_MILLIS);
        }
        assertThat(broker.totals().evicted()).as("evictions").isZero();
        assertThat(old.isOpen()).as("waiting for its closing ERROR").isTrue();
        passMillis(HEARTBEAT_MILLIS); // the codec's grace has passed
        assertThat(old.isOpen()).isFalse();

        assertThat(broker.totals().evicted()).as("evictions").isZero();
        assertThat(replacing.isOpen()).as("the replacing connection, which answers").isTrue();
    }

    private static Message hello(boolean replace) {
        return Message.hello(42, "upnp", replace,
                Hello.offer(Protocol.DEFAULT_MAX_FRAME_BYTES, 0, null).write(ByteBufAllocator.DEFAULT));
    }

    private void passMillis(long millis) {
        ticker.advance(millis, TimeUnit.MILLISECONDS);
        for (EmbeddedChannel channel : List.of(old, replacing)) {
            channel.runPendingTasks();
            channel.runScheduledPendingTasks();
        }
        // The replacing peer answers its PINGs (any PONG will do); only the old one, taken over, misses them.
        for (Object out = replacing.readOutbound(); out != null; out = replacing.readOutbound()) {
            ReferenceCountUtil.release(out);
        }
        if (replacing.isOpen()) {
            replacing.writeInbound(frame(Message.pong(Message.ping(1))));
        }
    }
}
