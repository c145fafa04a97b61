package io.msf.net.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;

/**
 * Drops a datagram larger than the endpoint's maxFrameBytes, counting it as an error, so that the
 * owner's handlers never see a datagram cut short.
 *
 * <p>The socket reads into a buffer one byte larger than the maximum (see {@link EndpointOpener}):
 * a datagram that fills it was too large, and the kernel has already thrown its tail away.
 *
 * <p>While the owner's handlers read a datagram, its sender is in {@link #SENDER}: an exception they
 * throw reaches {@code msf-errors} within that read, and the error is then logged under the sender
 * (see {@link EndpointErrorHandler}); the channel of a UDP socket has no remote address to go by.
 *
 * <pre>
 * msf-bytes - msf-datagram-size - msf-frames - the owner's handlers - msf-errors
 * </pre>
 */
final class DatagramSizeLimit extends ChannelInboundHandlerAdapter {

    /** The sender of the datagram being read; null between datagrams. */
    static final AttributeKey<InetSocketAddress> SENDER = AttributeKey.valueOf("msf.datagramSender");

    private final int maxFrameBytes;
    private final EndpointCounters counters;
    /**
     * The socket's error log, bounded per sender address and minute: any sender can send large datagrams as
     * often as it likes, and one that starts later must still be seen (a flag for the socket's life was not).
     */
    private final PeerFailureLog errors;

    DatagramSizeLimit(int maxFrameBytes, EndpointCounters counters, PeerFailureLog errors) {
        this.maxFrameBytes = maxFrameBytes;
        this.counters = counters;
        this.errors = errors;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket)) {
            ctx.fireChannelRead(msg);
            return;
        }
        DatagramPacket packet = (DatagramPacket) msg;
        if (packet.content().readableBytes() <= maxFrameBytes) {
            ctx.channel().attr(SENDER).set(packet.sender());
            try {
                ctx.fireChannelRead(packet);
            } finally {
                ctx.channel().attr(SENDER).set(null);
            }
            return;
        }
        String sender = Peers.format(packet.sender());
        packet.release();
        counters.error("datagram larger than maxFrameBytes=" + maxFrameBytes + " from " + sender + " dropped");
        errors.failed(packet.sender().getHostString(), "reading a datagram from " + sender,
                "datagram larger than maxFrameBytes=" + maxFrameBytes + " dropped", ctx.executor());
    }
}
