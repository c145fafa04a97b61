package io.msf.net.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import org.osgi.service.log.Logger;

/**
 * Drops a datagram larger than the endpoint's maxFrameBytes, counting it as an error, so that the
 * owner's handlers never see a datagram cut short.
 *
 * <p>The socket reads into a buffer one byte larger than the maximum (see {@link EndpointOpener}):
 * a datagram that fills it was too large, and the kernel has already thrown its tail away.
 *
 * <pre>
 * msf-bytes - msf-datagram-size - msf-frames - the owner's handlers - msf-errors
 * </pre>
 */
final class DatagramSizeLimit extends ChannelInboundHandlerAdapter {

    private final String endpoint;
    private final int maxFrameBytes;
    private final EndpointCounters counters;
    private final Logger log;
    /** A flood of large datagrams logs one WARN, then DEBUG lines; the error count keeps the total. */
    private boolean warned;

    DatagramSizeLimit(String endpoint, int maxFrameBytes, EndpointCounters counters, Logger log) {
        this.endpoint = endpoint;
        this.maxFrameBytes = maxFrameBytes;
        this.counters = counters;
        this.log = log;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket) || ((DatagramPacket) msg).content().readableBytes() <= maxFrameBytes) {
            ctx.fireChannelRead(msg);
            return;
        }
        DatagramPacket packet = (DatagramPacket) msg;
        String problem = "datagram larger than maxFrameBytes=" + maxFrameBytes + " from "
                + Peers.format(packet.sender()) + " dropped";
        packet.release();
        counters.error(problem);
        if (!warned) {
            warned = true;
            log.warn("{}: {} (further ones are logged at DEBUG)", endpoint, problem);
        } else {
            log.debug("{}: {}", endpoint, problem);
        }
    }
}
