package io.msf.net.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import java.util.concurrent.TimeUnit;
import org.osgi.service.log.Logger;

/**
 * Closes a connection once nothing was read or written on it for the endpoint's
 * {@code idleTimeoutMillis}. The owner's handlers get the {@link IdleStateEvent} first, then the
 * close: they can tell why the connection ended, not keep it.
 *
 * <p>A write that a slow reader takes longer than that to receive is not idleness: Netty counts a
 * write done only once all of it went out, so the output is observed too, and a connection with
 * bytes waiting to go out is closed only after a whole timeout in which none of them went.
 */
final class IdleConnectionCloser extends IdleStateHandler {

    /**
     * Set on a connection this closed, to the idle timeout: a client that reconnects tells such an
     * end from a lost connection (not an error, nor a failed attempt).
     */
    static final AttributeKey<Long> CLOSED_IDLE = AttributeKey.valueOf("msf.closedIdle");

    private final EndpointLabel endpoint;
    private final long idleMillis;
    private final Logger log;

    IdleConnectionCloser(EndpointLabel endpoint, long idleMillis, Logger log) {
        super(true, 0, 0, idleMillis, TimeUnit.MILLISECONDS);
        this.endpoint = endpoint;
        this.idleMillis = idleMillis;
        this.log = log;
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent event) {
        // Netty tells the first time of a quiet spell whatever the output did; the next times only if
        // none of it went out meanwhile
        if (event.isFirst() && writing(ctx)) {
            return;
        }
        // DEBUG: an idle peer is normal traffic, and many of them must not fill the log.
        log.debug("{}: closing the connection with {}: nothing read or written for {} ms", endpoint.get(),
                Peers.peer(ctx.channel()), idleMillis);
        ctx.channel().attr(CLOSED_IDLE).set(idleMillis);
        ctx.fireUserEventTriggered(event);
        ctx.close();
    }

    private static boolean writing(ChannelHandlerContext ctx) {
        ChannelOutboundBuffer pending = ctx.channel().unsafe().outboundBuffer();
        return pending != null && pending.totalPendingWriteBytes() > 0;
    }
}
