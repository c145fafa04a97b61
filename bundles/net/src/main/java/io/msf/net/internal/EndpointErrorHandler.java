package io.msf.net.internal;

import io.msf.mempool.api.MemoryLimitExceededException;
import io.msf.mempool.api.MemoryPoolClosedException;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramChannel;
import io.netty.handler.codec.TooLongFrameException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Last in every pipeline: an error no handler dealt with (a bad frame, a frame cut short by the end of
 * the input, an exception in a handler) is counted, logged with the endpoint and the peer, and closes that one connection. Any peer can
 * make a connection fail so, as often as it likes: {@link PeerFailureLog} bounds the WARN lines. A
 * UDP endpoint has only one channel, which keeps serving; any sender can make its handlers throw, as
 * often as it likes, so its errors are bounded the same way, under the sender of the datagram that
 * was being read (see {@link DatagramSizeLimit#SENDER}).
 */
@Sharable
final class EndpointErrorHandler extends ChannelInboundHandlerAdapter {

    /**
     * How long a UDP socket whose owner is over its memory limit waits before it reads again: a few
     * attempts a second, where a tight loop made thousands, and short beside what a peer waits for a reply.
     */
    static final long MEMORY_WAIT_MILLIS = 100;

    private final int maxFrameBytes;
    private final EndpointCounters counters;
    private final PeerFailureLog connectionErrors;
    private final PeerFailureLog datagramErrors;

    EndpointErrorHandler(int maxFrameBytes, EndpointCounters counters, PeerFailureLog connectionErrors,
            PeerFailureLog datagramErrors) {
        this.maxFrameBytes = maxFrameBytes;
        this.counters = counters;
        this.connectionErrors = connectionErrors;
        this.datagramErrors = datagramErrors;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        String problem = cause instanceof TooLongFrameException ? tooLong((TooLongFrameException) cause)
                : cause instanceof TruncatedFrameException ? cause.getMessage()
                : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        counters.error(problem);
        if (ctx.channel() instanceof DatagramChannel) {
            if (cause instanceof MemoryLimitExceededException) {
                pauseReading(ctx);
            }
            // An error outside the reading of a datagram (a failed write, say) is counted under no sender.
            InetSocketAddress sender = ctx.channel().attr(DatagramSizeLimit.SENDER).get();
            String peer = sender == null ? "between datagrams" : "reading a datagram from " + Peers.format(sender);
            datagramErrors.failed(sender == null ? "" : sender.getHostString(), peer, problem, cause, ctx.executor());
            if (cause instanceof MemoryPoolClosedException) {
                // A late read for an owner that has stopped: no buffer will ever be there for it, and epoll would
                // try again at once, for ever. (NIO closes the socket on such an error itself.)
                ctx.close();
            }
            return;
        }
        // A frame too large, or cut short, is the peer's fault, fully described by the message: no stack trace.
        boolean peersFault = cause instanceof TooLongFrameException || cause instanceof TruncatedFrameException;
        connectionErrors.failed(Peers.host(ctx.channel()), Peers.peer(ctx.channel()), problem,
                peersFault ? null : cause, ctx.executor());
        if (!(cause instanceof TruncatedFrameException)) {
            // A truncated frame is told at the end of the input: closed already, or, after a half-close,
            // closed once the answers to the whole frames before it went out (InputShutdownCloser).
            ctx.close();
        }
    }

    /**
     * The endpoint's framing names the bound itself ({@link BoundedFrameDecoder}); a decoder the owner added
     * does not.
     */
    private String tooLong(TooLongFrameException cause) {
        String message = String.valueOf(cause.getMessage());
        return message.contains("maxFrameBytes=") ? message
                : "frame larger than maxFrameBytes=" + maxFrameBytes + " (" + message + ")";
    }

    /**
     * The owner is over its memory limit: no buffer for the datagram waiting, which stays in the socket.
     * Epoll tried again at once, thousands of times a second for as long as the owner stayed over its
     * limit, on a loop other channels share. Reading pauses a moment instead; meanwhile the kernel drops
     * what does not fit the socket's buffer, as for any reader too slow. Not on the read path: only once
     * an allocation was refused. (NIO closes the socket on such an error before this is told.)
     */
    private static void pauseReading(ChannelHandlerContext ctx) {
        ChannelConfig config = ctx.channel().config();
        if (!config.isAutoRead()) {
            return; // paused already, or by the owner's handlers, which then resume it
        }
        config.setAutoRead(false);
        resumeReadingLater(ctx);
    }

    /**
     * Reads again in a moment, once the socket is writable too: a handler that pauses reading while its replies
     * cannot go out (as the echo does) turned it off for that, and a resume then would read on, the replies
     * piling up, until the next change of writability. Such a handler resumes it itself once writable; one that
     * does not is resumed here, looked at again every {@link #MEMORY_WAIT_MILLIS} until then.
     */
    private static void resumeReadingLater(ChannelHandlerContext ctx) {
        ctx.executor().schedule(() -> {
            Channel channel = ctx.channel();
            if (!channel.isOpen()) {
                return;
            }
            if (channel.isWritable()) {
                channel.config().setAutoRead(true);
            } else {
                resumeReadingLater(ctx);
            }
        }, MEMORY_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    }
}
