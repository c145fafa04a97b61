package io.msf.agent.internal.broker;

import static io.msf.agent.internal.broker.StalledSocket.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import io.msf.net.api.EndpointSpec;
import io.msf.protocol.api.Message;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.Logger;

/**
 * A connection the agent ends before its HELLO closes once its closing ERROR is written, or once the
 * codec's grace has passed: with a peer that takes none of it, after the HELLO's deadline. The deadline
 * passing then refuses nothing more: the connection is refused, or counted as malformed, once.
 * On an agent connection whose socket takes no byte (a test handler holds every write), and whose
 * time the test moves.
 */
class RefusalWithStalledCloseTest {

    private static final int HELLO_TIMEOUT_MILLIS = BrokerSettings.SHORTEST_HELLO_TIMEOUT_MILLIS;

    private final TestTimers timers = new TestTimers();
    private final Broker broker = new Broker(settings(), timers, () -> ImmediateEventExecutor.INSTANCE,
            mock(Logger.class));
    private final StalledSocket socket = new StalledSocket();
    private final MockTicker ticker = Ticker.newMockTicker();
    private final EmbeddedChannel channel = EmbeddedChannel.builder().ticker(ticker)
            .handlers(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast("stalled-socket", socket);
                    broker.channelSetup().initChannel(ch, EndpointSpec.tcpServer("agent-tcp", 0));
                }
            }).build();

    private static BrokerSettings settings() {
        BrokerSettings d = AgentServer.quiet();
        return new BrokerSettings(d.maxFrameBytes(), 0, 3, d.defaultTimeoutMillis(), d.outboundHighWaterBytes(),
                HELLO_TIMEOUT_MILLIS, null);
    }

    @AfterEach
    void close() {
        socket.release();
        channel.finishAndReleaseAll();
        broker.close();
        timers.close();
    }

    @Test
    void aHelloRefusedIsCountedOnceWhenTheDeadlinePassesBeforeTheClose() {
        channel.writeInbound(frame(Message.ping(1))); // refused: the first frame must be a HELLO
        assertThat(broker.totals().refused()).isEqualTo(1);
        assertThat(socket.held).as("the closing ERROR, not written").isNotEmpty();

        passMillis(HELLO_TIMEOUT_MILLIS);
        assertThat(channel.isOpen()).as("waiting for its closing ERROR").isTrue();
        assertThat(broker.totals().refused()).isEqualTo(1);

        passMillis(1000); // the codec's grace
        assertThat(channel.isOpen()).isFalse();
        assertThat(broker.totals().refused()).isEqualTo(1);
    }

    @Test
    void aMalformedFrameBeforeTheHelloIsNotAlsoARefusalWhenTheDeadlinePassesBeforeTheClose() {
        channel.writeInbound(Unpooled.buffer(44).writeZero(44)); // no magic
        assertThat(broker.totals().malformed()).isEqualTo(1);
        assertThat(socket.held).as("the closing ERROR, not written").isNotEmpty();

        passMillis(HELLO_TIMEOUT_MILLIS);
        assertThat(channel.isOpen()).as("waiting for its closing ERROR").isTrue();
        assertThat(broker.totals().refused()).isZero();
        assertThat(broker.totals().malformed()).isEqualTo(1);
    }

    private void passMillis(long millis) {
        ticker.advance(millis, TimeUnit.MILLISECONDS);
        channel.runPendingTasks();
        channel.runScheduledPendingTasks();
    }
}
