package io.msf.net.internal;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramChannel;
import io.netty.handler.codec.TooLongFrameException;
import org.osgi.service.log.Logger;

/**
 * Last in every pipeline: an error no handler dealt with (a bad frame, an exception in a handler)
 * is counted, logged with the endpoint and the peer, and closes that one connection. Any peer can
 * make a connection fail so, as often as it likes: {@link PeerFailureLog} bounds the WARN lines. A
 * UDP endpoint has only one channel, which keeps serving.
 */
@Sharable
final class EndpointErrorHandler extends ChannelInboundHandlerAdapter {

    private final String endpoint;
    private final int maxFrameBytes;
    private final EndpointCounters counters;
    private final Logger log;
    private final PeerFailureLog connectionErrors;

    EndpointErrorHandler(String endpoint, int maxFrameBytes, EndpointCounters counters, Logger log,
            PeerFailureLog connectionErrors) {
        this.endpoint = endpoint;
        this.maxFrameBytes = maxFrameBytes;
        this.counters = counters;
        this.log = log;
        this.connectionErrors = connectionErrors;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        String problem = cause instanceof TooLongFrameException
                ? "frame larger than maxFrameBytes=" + maxFrameBytes + " (" + cause.getMessage() + ")"
                : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        counters.error(problem);
        if (ctx.channel() instanceof DatagramChannel) {
            log.warn("{}: error on its UDP socket, which keeps serving: {}", endpoint, problem, cause);
            return;
        }
        // A frame too large is the peer's fault, fully described by the message: no stack trace.
        connectionErrors.failed(Peers.host(ctx.channel()), Peers.peer(ctx.channel()), problem,
                cause instanceof TooLongFrameException ? null : cause, ctx.executor());
        ctx.close();
    }
}
