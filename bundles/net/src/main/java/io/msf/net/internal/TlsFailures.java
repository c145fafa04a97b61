package io.msf.net.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import javax.net.ssl.SSLException;

/**
 * Right behind the {@code SslHandler} of a TLS connection: a failed handshake (or a TLS error
 * later) is counted and logged as one line naming the peer and the reason ({@link PeerFailureLog}
 * bounds the WARN lines), and closes that connection only. Without it the failure would surface
 * twice (the handshake event and the decoder's exception) and with a stack trace, although it is
 * the peer's doing.
 *
 * <pre>
 * msf-tls (SslHandler) - msf-tls-failures - ... the endpoint's other handlers
 * </pre>
 */
final class TlsFailures extends ChannelInboundHandlerAdapter {

    private final EndpointCounters counters;
    private final PeerFailureLog log;
    private boolean reported;

    TlsFailures(EndpointCounters counters, PeerFailureLog log) {
        this.counters = counters;
        this.log = log;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslHandshakeCompletionEvent && !((SslHandshakeCompletionEvent) event).isSuccess()) {
            report(ctx, ((SslHandshakeCompletionEvent) event).cause());
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (tlsCause(cause) == null) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        report(ctx, cause);
    }

    private void report(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
        if (reported) {
            return;
        }
        reported = true;
        String reason = reason(cause);
        String peer = Peers.peer(ctx.channel());
        counters.error("TLS with " + peer + " failed: " + reason);
        log.failed(Peers.host(ctx.channel()), peer, reason, ctx.executor());
    }

    /** Why, for people: a plain-text peer is named as such instead of by a hex dump of its bytes. */
    static String reason(Throwable cause) {
        Throwable tls = tlsCause(cause);
        Throwable shown = tls != null ? tls : cause;
        if (shown instanceof NotSslRecordException) {
            return "the peer does not speak TLS (plain TCP?)";
        }
        Throwable root = shown;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = shown.getMessage() == null ? shown.getClass().getSimpleName() : shown.getMessage();
        return root == shown || root.getMessage() == null || message.contains(root.getMessage()) ? message
                : message + " (" + root.getMessage() + ")";
    }

    /** The SSLException in the chain, or null if this is no TLS failure. */
    private static Throwable tlsCause(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SSLException) {
                return t;
            }
        }
        return null;
    }
}
