package io.msf.net.internal;

import io.msf.net.api.ChannelSetup;
import io.msf.net.api.EndpointSpec;
import io.netty.channel.Channel;
import org.osgi.service.component.annotations.Component;

/**
 * The built-in {@code echo} handler, named by the default configuration's demo endpoints
 * ({@code handler=echo}): it sends every frame or datagram back.
 */
@Component(property = ChannelSetup.HANDLER_PROPERTY + "=" + EchoChannelSetup.NAME)
public final class EchoChannelSetup implements ChannelSetup {

    static final String NAME = "echo";

    @Override
    public void initChannel(Channel channel, EndpointSpec endpoint) {
        channel.pipeline().addLast("echo", EchoHandler.INSTANCE);
    }
}
