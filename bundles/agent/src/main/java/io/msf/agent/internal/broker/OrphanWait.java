package io.msf.agent.internal.broker;

import io.msf.protocol.api.Message;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * What a connection whose REPLACE took over connections on other loops sends, held until those loops
 * have dropped the old connections' requests.
 *
 * <p>A connection taken over drops its outstanding requests on its own loop, those to connections
 * remembered there as orphans ({@link Broker#departed}), which on another loop than the new
 * connection's happens after the new peer is registered under its id. Until then an answer to one of
 * them, which carries only the id and sequence, would be taken for the answer to a request of the new
 * peer with the same sequence. So what the new peer sends is held, and its reads paused, until each
 * such loop has passed that point (or is closing that connection now: the task queued there runs after
 * it). An answer routed to the new peer meanwhile finds no request of its own and is dropped as late;
 * it is checked against those orphans once they are recorded, so that one it answers is forgotten and
 * its sequence free again before the frames held are read. On the new connection's event loop.
 */
final class OrphanWait {

    private final ChannelHandlerContext ctx;
    private final SocketPeer peer;
    /** Reads the frames held, once the wait is over. */
    private final Consumer<Queue<Message>> resume;
    private final ArrayDeque<Message> held = new ArrayDeque<>();
    /** The loops of the connections taken over that have not yet passed that point. */
    private int loopsToPass;
    private boolean over;

    private OrphanWait(ChannelHandlerContext ctx, SocketPeer peer, Consumer<Queue<Message>> resume) {
        this.ctx = ctx;
        this.peer = peer;
        this.resume = resume;
    }

    /**
     * Waits for the loops of {@code takenOver} and pauses the reads of {@code peer}'s connection; then
     * {@code resume} reads the frames held, and the reads go on.
     *
     * @return the wait, or null if no loop is to be waited for (the usual case)
     */
    static OrphanWait start(ChannelHandlerContext ctx, SocketPeer peer, List<Peer> takenOver,
            Consumer<Queue<Message>> resume) {
        OrphanWait wait = new OrphanWait(ctx, peer, resume);
        for (Peer old : takenOver) {
            EventLoop loop = ((SocketPeer) old).eventLoop();
            if (loop.inEventLoop()) {
                continue; // dropped already, by the handshake
            }
            try {
                loop.execute(wait::passed);
                wait.loopsToPass++;
            } catch (RejectedExecutionException e) {
                // Its loop has shut down: it drops nothing any more.
            }
        }
        if (wait.loopsToPass == 0) {
            return null;
        }
        peer.waitForOrphans();
        ctx.channel().config().setAutoRead(false);
        return wait;
    }

    /** Keeps a frame the peer sent until the wait is over. */
    void hold(Message message) {
        held.add(message);
    }

    /** The connection has ended: the frames held are released, and the answers that waited are late all the same. */
    void end() {
        over = true;
        held.forEach(Message::release);
        held.clear();
        peer.stopWaitingForOrphans();
    }

    /** On a taken-over connection's loop: it has dropped its requests; the last one resumes the peer. */
    private void passed() {
        try {
            ctx.executor().execute(() -> {
                if (--loopsToPass == 0 && !over) {
                    over = true;
                    // First the answers that came meanwhile: one to an orphan frees its sequence for a request held.
                    peer.stopWaitingForOrphans();
                    resume.accept(held);
                    ctx.channel().config().setAutoRead(true);
                }
            });
        } catch (RejectedExecutionException e) {
            // This connection's loop has shut down, and the connection with it.
        }
    }
}
