package io.msf.net.api;

import io.netty.channel.Channel;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Adds an endpoint's handlers to a new channel.
 *
 * <p>Called for each accepted or connected channel (and once for a UDP endpoint) after the
 * network service has added its own handlers (framing with the endpoint's maximum frame size,
 * accounting). With length-field framing, inbound messages are whole frames without their
 * length field, and outbound {@code ByteBuf}s get one prepended.
 *
 * <p>Registered as a service with {@link #HANDLER_PROPERTY}, a setup can be named by
 * configured endpoints.
 */
@ConsumerType
@FunctionalInterface
public interface ChannelSetup {

    /** Service property naming a setup for {@code msf.net.endpoint~<name>} configurations. */
    String HANDLER_PROPERTY = "msf.net.handler";

    void initChannel(Channel channel, EndpointSpec endpoint) throws Exception;
}
