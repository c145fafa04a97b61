package io.msf.agent.internal.broker;

import io.msf.agent.api.PeerKind;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.MessageType;
import io.msf.protocol.api.Topic;
import io.msf.protocol.codec.FrameDecoder;
import io.msf.protocol.codec.MalformedFrameException;
import io.msf.protocol.codec.MalformedFrameHandler;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.EncoderException;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.util.Queue;
import java.util.concurrent.TimeUnit;

/**
 * One connection's session: the HELLO ({@link HelloHandshake}), then its frames routed through
 * the broker, its heartbeats, and its end. Everything here runs on the connection's event loop,
 * so its state needs no locks.
 *
 * <p>The end of the peer's input ends the session, as a close does: the agent cannot tell a peer
 * that shut down its output (a half-close) from one that closed, or died, and one that is gone must
 * leave at once, its requests outstanding dropped and its id and name free for its restart. What
 * was written to it before goes out first, and the connection closes then; or once the peer took none
 * of it for a minute, by the network service's check of a connection whose input has ended.
 *
 * <pre>
 * agent-meter - agent-frame-encoder - agent-flush - agent-frame-decoder - agent-malformed-frames
 *     - agent-session
 * </pre>
 */
final class SocketSession extends ChannelInboundHandlerAdapter {

    private final Broker broker;
    private final PeerKind kind;
    private final ChannelMeter meter;
    /** The frame limit the connection's decoder was made with, which its HELLO tells the peer. */
    private final int maxFrameBytes;
    private String origin = "?";
    private SocketPeer peer;
    /** Set once the session refused the peer or failed: what it still sends is dropped. */
    private boolean finished;
    private ScheduledFuture<?> helloDeadline;
    /** Null without heartbeats (heartbeatMillis 0), and until the HELLO. */
    private Heartbeat heartbeat;
    /**
     * Holds what the peer sends while the connections its REPLACE took over on other loops have still to
     * drop their requests there; null otherwise, the usual case.
     */
    private OrphanWait orphanWait;
    /** Set once the session has ended: at the end of the peer's input, or at the close. */
    private boolean ended;

    /** @param maxFrameBytes the limit of the connection's decoder: the settings' when it was set up */
    SocketSession(Broker broker, PeerKind kind, ChannelMeter meter, int maxFrameBytes) {
        this.broker = broker;
        this.kind = kind;
        this.meter = meter;
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        origin = Origins.of(ctx.channel(), kind);
        int helloTimeout = broker.settings().helloTimeoutMillis();
        helloDeadline = ctx.executor().schedule(() -> refuse(ctx, ErrorCode.UNAUTHORIZED,
                "no HELLO within " + helloTimeout + " ms"), helloTimeout, TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Message message = (Message) msg;
        if (finished) {
            message.release();
        } else if (peer == null) {
            try {
                hello(ctx, message);
            } finally {
                message.release();
            }
        } else if (peer.isClosed()) {
            // Taken over by a REPLACE (on another loop): its id is the new connection's now, and what it
            // subscribed is gone. Until its closing ERROR is written and it is closed, it is not heard.
            message.release();
        } else if (orphanWait != null) {
            orphanWait.hold(message);
        } else {
            route(ctx, message);
        }
    }

    private void hello(ChannelHandlerContext ctx, Message hello) {
        if (hello.type() != MessageType.HELLO) {
            refuse(ctx, ErrorCode.UNAUTHORIZED, "the first frame must be a HELLO, not " + hello.type());
            return;
        }
        HelloHandshake handshake = new HelloHandshake(broker, ctx.channel(), kind, origin, meter, maxFrameBytes);
        SocketPeer registered = handshake.accept(hello);
        if (registered == null) {
            refuse(ctx, handshake.refusal(), handshake.detail());
            return;
        }
        peer = registered;
        helloDeadline.cancel(false);
        // The agent overwrites every forwarded frame's source with the sender's id (docs/protocol.md,
        // section 4): stamped as they are decoded, the frames need no copy to be forwarded.
        FrameDecoder decoder = ctx.pipeline().get(FrameDecoder.class);
        if (decoder != null) {
            decoder.stampSource(registered.id);
        }
        int interval = handshake.heartbeatMillis();
        if (interval > 0) {
            heartbeat = new Heartbeat(broker, registered, origin, interval, () -> {
                finish();
                ctx.close();
            });
            heartbeat.start(ctx.executor());
        }
        orphanWait = OrphanWait.start(ctx, registered, handshake.takenOver(), frames -> resume(ctx, frames));
        if (orphanWait != null && heartbeat != null) {
            heartbeat.readsPaused(true); // its PONGs are held too
        }
    }

    /** The held frames of a REPLACE that waited for other loops, read in order; the reads go on after. */
    private void resume(ChannelHandlerContext ctx, Queue<Message> frames) {
        orphanWait = null;
        for (Message message = frames.poll(); message != null; message = frames.poll()) {
            channelRead(ctx, message);
        }
        if (heartbeat != null) {
            heartbeat.readsPaused(false);
        }
    }

    private void route(ChannelHandlerContext ctx, Message message) {
        peer.stats.messagesIn.increment();
        switch (message.type()) {
            case REQUEST:
                broker.request(peer, message, null);
                break;
            case REPLY:
            case ERROR:
                broker.answerFrom(peer, message);
                break;
            case NOTIFY:
                broker.notify(peer, message);
                break;
            case PUBLISH:
                publish(message);
                break;
            case SUBSCRIBE:
                broker.publications.subscribe(peer, message);
                break;
            case UNSUBSCRIBE:
                broker.publications.unsubscribe(peer, message);
                break;
            case PING:
                message.release();
                peer.deliver(new Message(MessageType.PONG, 0, ErrorCode.OK, 0, peer.id, "", 0, message.sequence(), 0,
                        Unpooled.EMPTY_BUFFER));
                break;
            case PONG:
                message.release();
                if (heartbeat != null) {
                    heartbeat.pong();
                }
                break;
            case HELLO:
            default:
                // protocol.md 7.1: a second HELLO is a BAD_FRAME. The decoder refuses it, naming its offset,
                // once the HELLOs agreed, which they have for a registered peer: this is only a guard.
                message.release();
                broker.totals.malformed.increment();
                fail(ctx, ErrorCode.BAD_FRAME, "a second HELLO");
        }
    }

    private void publish(Message message) {
        String topic = message.subject();
        if (!broker.publications.index.remembers(topic)) {
            try {
                Topic.checkTopic(topic);
            } catch (IllegalArgumentException e) {
                peer.error(ErrorCode.INVALID_SUBJECT, message.command(), message.sequence(), e.getMessage());
                message.release();
                return;
            }
        }
        broker.publications.publish(peer, message);
    }

    /** Refuses the HELLO (or its absence): a closing ERROR, then the connection is closed. */
    private void refuse(ChannelHandlerContext ctx, ErrorCode code, String detail) {
        if (finished) {
            return; // ended for another reason already, told and counted: one connection, one reason
        }
        // Told once a minute per peer address, as malformed frames are: a client retrying with a wrong token, or
        // anyone who connects and sends nothing, would write a line per connection. Counted after it is told.
        broker.refusedConnections.warn(Origins.addressOf(ctx.channel(), kind),
                "refused the connection from " + origin + ": " + code + " " + detail);
        broker.totals.refused.increment();
        fail(ctx, code, detail);
    }

    private void fail(ChannelHandlerContext ctx, ErrorCode code, String detail) {
        if (finished) {
            return;
        }
        finish();
        if (peer != null) {
            peer.stats.errors.increment();
            broker.log.info("agent closes the connection of {} from {}: {} {}", peer.label(), origin, code, detail);
        }
        // Within the codec's grace even if the peer has stopped reading and the ERROR never leaves.
        MalformedFrameHandler.closeWith(ctx, Message.closingError(code, Failures.text(detail)));
    }

    /**
     * The session ends its part: what the peer still sends is dropped, and the HELLO's deadline and the
     * heartbeat are cancelled. The connection closes only once its closing ERROR is written, or the codec's
     * grace has passed, which may be after that deadline or a heartbeat: left armed, the one would refuse
     * the connection once more, the other evict it, a peer that ended already.
     */
    private void finish() {
        finished = true;
        if (helloDeadline != null) {
            helloDeadline.cancel(false);
        }
        if (heartbeat != null) {
            heartbeat.stop();
        }
    }

    /**
     * Passed on only after the closing write: the endpoint's own handling, below the encoder, would close
     * without the frames the encoder still holds; after it, it closes once they have gone out too, or once
     * the peer took none of them for a while (it never reads: nothing else ends it, as it is PINGed no more).
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            // The peer leaves now, not once what waits for it has gone out: its id and name are free for its
            // restart at once, and no more PINGs go to a peer that can no longer answer them.
            end(": it shut down its output");
            // An empty write goes out after the frames written before it (the encoder hands its batch on
            // first, and Netty completes writes in order): the connection closes once they have gone out.
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (peer != null && !ctx.channel().isWritable()) {
            peer.cutOff();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        end("");
        ctx.fireChannelInactive();
    }

    private void end(String why) {
        if (ended) {
            return;
        }
        ended = true;
        finish();
        if (orphanWait != null) {
            orphanWait.end();
            orphanWait = null;
        }
        if (peer != null) {
            broker.departed(peer);
            broker.log.info("agent peer {} from {} disconnected{}", peer.label(), origin, why);
        }
    }

    /** Handles every failure of this connection itself, so that nothing reaches the endpoint's last handler. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof MalformedFrameException && finished) {
            // A frame cut short by a close the agent made for a reason of its own (an eviction, a refusal),
            // which the codec tells at the close: told and counted already, and no fault of the peer's.
            return;
        }
        String who = peer == null ? "the connection from " + origin : "agent peer " + peer.label() + " from " + origin;
        if (peer != null) {
            peer.stats.errors.increment();
        }
        if (cause instanceof MalformedFrameException) {
            // The codec has sent the closing ERROR already.
            finish();
            // Each counted, but told once a minute per peer address: anyone who can connect can send one. Counted
            // after it is told, so that whoever reads the count (a test waiting on it) finds its line too.
            broker.malformedFrames.warn(Origins.addressOf(ctx.channel(), kind),
                    "closed " + who + ": " + ((MalformedFrameException) cause).code() + " " + cause.getMessage());
            broker.totals.malformed.increment();
        } else if (cause instanceof EncoderException) {
            broker.log.warn("agent could not send a frame to {}: {}", who, cause.getMessage());
        } else if (cause instanceof IOException) {
            broker.log.debug("agent: {} failed: {}", who, cause.toString());
            ctx.close();
        } else {
            broker.log.warn("agent closes {} after an unexpected failure", who, cause);
            ctx.close();
        }
    }
}
