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
 * <pre>
 * [net: msf-bytes - msf-frames] - agent-meter - agent-frame-decoder - agent-frame-encoder
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
        ChannelMeter meter = new ChannelMeter();
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addLast("agent-meter", meter);
        AgentCodec.addTo(pipeline, settings.maxFrameBytes());
        pipeline.addLast("agent-session", new SocketSession(broker, kind, meter));
    }
}
