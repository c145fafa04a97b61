package io.msf.agent.internal.broker;

import io.msf.agent.api.PeerKind;
import io.msf.net.api.ChannelSetup;
import io.msf.net.api.EndpointSpec;
import io.msf.protocol.codec.AgentCodec;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;

/**
 * Turns a connection to one of the agent's endpoints into an agent session. The endpoint must
 * carry the raw byte stream (Framing.NONE): the agent protocol frames itself.
 *
 * <p>Routing writes and flushes each message ({@code writeAndFlush}); the codec's flush
 * consolidator ({@link AgentCodec#addConsolidatingTo}) turns that into one flush per read batch of
 * this connection, or, for messages routed from elsewhere (another connection, an in-container
 * sender), one flush task per burst on this connection's event loop, so nothing stays unflushed.
 * The encoder puts the frames between two such flushes into a few buffers, and the flush is one
 * {@code write(2)}.
 *
 * <pre>
 * [net: msf-bytes] - agent-meter - agent-frame-encoder - agent-flush - agent-frame-decoder
 *     - agent-malformed-frames - agent-session - [net: msf-errors]
 * </pre>
 */
public final class AgentChannelSetup implements ChannelSetup {

    private final Broker broker;

    AgentChannelSetup(Broker broker) {
        this.broker = broker;
    }

    @Override
    public void initChannel(Channel channel, EndpointSpec endpoint) {
        BrokerSettings settings = broker.settings();
        int high = settings.outboundHighWaterBytes();
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(high / 2, high));
        PeerKind kind = endpoint.transport().isDomainSocket() ? PeerKind.UNIX : PeerKind.TCP;
        ChannelMeter meter = new ChannelMeter(broker.queuedBytes);
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addLast("agent-meter", meter);
        AgentCodec.addConsolidatingTo(pipeline, settings.maxFrameBytes());
        pipeline.addLast("agent-session", new SocketSession(broker, kind, meter, settings.maxFrameBytes()));
    }
}
