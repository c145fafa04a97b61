package io.msf.net.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.Ticker;
import org.osgi.service.log.Logger;

/**
 * Last in a server's own pipeline, behind Netty's acceptor: a connection the server could not accept
 * (accept(2) failed: the process out of file descriptors, say) is an error of the endpoint, counted
 * ({@code net:list}) and told in a WARN line naming it and its address, once a minute with the others
 * counted ({@link PeerFailureLog}). Without it the failure reached the end of the pipeline, where
 * Netty logs it once a second, for as long as it lasts, in a line that names no endpoint.
 *
 * <pre>
 * server channel: ServerBootstrapAcceptor (pauses accepting a second) -&gt; AcceptFailureHandler
 * </pre>
 */
final class AcceptFailureHandler extends ChannelInboundHandlerAdapter {

    private final EndpointCounters counters;
    private final String address;
    private final PeerFailureLog failures;

    private AcceptFailureHandler(EndpointLabel endpoint, EndpointCounters counters, String address, Logger log) {
        this.counters = counters;
        this.address = address;
        this.failures = PeerFailureLog.acceptFailures(endpoint, log, Ticker.systemTicker());
    }

    /**
     * Adds the handler to the server's pipeline on its event loop: the acceptor is added there too, in a
     * task the registration queued, so this one comes after it and leaves its pause before accepting again
     * in place (caught before it, epoll would try the failing accept again at once, for ever).
     *
     * @param address where the server listens, as log lines show it
     */
    static void addTo(Channel server, EndpointLabel endpoint, EndpointCounters counters, String address, Logger log) {
        ChannelHandler handler = new AcceptFailureHandler(endpoint, counters, address, log);
        server.eventLoop().execute(() -> server.pipeline().addLast(handler));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        String problem = cause.getClass().getSimpleName() + ": " + cause.getMessage();
        counters.error(problem);
        // The reason says it all (a system call's error): no stack trace.
        failures.failed("", address, problem, ctx.executor());
    }
}
