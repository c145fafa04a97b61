package io.msf.client.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.msf.client.api.AgentException;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Hello;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.Protocol;
import io.msf.protocol.codec.FrameDecoder;
import io.msf.protocol.codec.FrameEncoder;
import io.msf.protocol.codec.MalformedFrameException;
import io.msf.protocol.codec.MalformedFrameHandler;
import io.msf.text.ControlCharacters;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * One connection to the agent, last in its pipeline: sends the HELLO, takes the agent's answer,
 * then routes every frame (docs/protocol.md, sections 4-11): REPLYs and ERRORs to the pending
 * calls, REQUESTs and NOTIFYs to the handler, PUBLISHes to the subscriptions, PINGs answered
 * with PONGs. Frames and their ends are handled on the connection's event loop; the calls of the
 * application come from any thread.
 */
final class Session extends ChannelInboundHandlerAdapter {

    private final Connector connector;
    private final Heartbeat heartbeat;
    private final PendingCalls calls;
    private Channel channel;
    private Outbox outbox;
    private boolean registered;
    /** The agent broke the protocol: nothing it sends is routed any more, the connection is closing. */
    private boolean breached;
    private ScheduledFuture<?> helloTimeout;
    /** Why the agent would not take this client; ends the client unless the connector knows better. */
    private AgentException refusal;
    /** Why the connection ended, if known. */
    private Throwable lost;
    private boolean tlsFailed;
    /** The agent refused the HELLO as late: its hello timeout ran out first. */
    private boolean helloLate;
    /** A PONG is written but has not left yet: it answers the PINGs that come meanwhile. */
    private boolean pongWaiting;
    /** REQUESTs are dropped unanswered, the outbound queue past its high-water mark; onError has heard. */
    private boolean droppingRequests;

    Session(Connector connector, Heartbeat heartbeat) {
        this.connector = connector;
        this.heartbeat = heartbeat;
        this.calls = new PendingCalls(connector.loop());
    }

    /**
     * Writes a frame that is answered (REQUEST, SUBSCRIBE, UNSUBSCRIBE) and returns its answer: the
     * REPLY, or an {@link AgentException}. Completes on the event loop.
     */
    CompletableFuture<Message> call(Message frame, String what, long guardNanos) {
        long sequence = frame.sequence();
        CompletableFuture<Message> answer = calls.open(sequence, what, guardNanos);
        outbox.send(frame).addListener((ChannelFuture written) -> {
            if (!written.isSuccess()) {
                calls.fail(sequence, connector.notWritten(what, written.cause()));
            }
        });
        return answer;
    }

    /** Writes a frame that is not answered; the returned future says whether it left. */
    ChannelFuture send(Message frame) {
        return outbox.send(frame);
    }

    /** Writes a PUBLISH; a failure to write it goes to onError. */
    void publish(Message publication) {
        outbox.publish(publication);
    }

    ByteBufAllocator alloc() {
        return channel.alloc();
    }

    Channel channel() {
        return channel;
    }

    /** False from the moment the connection is closed, before its end is reported (channelInactive). */
    boolean isOpen() {
        return channel.isActive();
    }

    /** False while more than {@link Connector#OUTBOUND_HIGH_WATER_BYTES} wait to be sent, publications included. */
    boolean writable() {
        return outbox.hasRoom();
    }

    /**
     * Writes the answer to a REQUEST; one too large for the agent becomes an ERROR TOO_LARGE, so the
     * requester hears, and goes to onError: the handler's side has a bug to hear of too.
     */
    void reply(Message reply) {
        int requester = reply.destination();
        int command = reply.command();
        long sequence = reply.sequence();
        send(reply).addListener((ChannelFuture written) -> {
            if (!written.isSuccess() && Failures.isTooLarge(written.cause())) {
                AgentException tooLarge = Failures.ofWrite("the reply of " + connector.events().client() + " to command "
                        + Integer.toUnsignedString(command) + " from #" + Integer.toUnsignedString(requester), written.cause(), connector.address());
                send(Failures.error(written.channel().alloc(), ErrorCode.TOO_LARGE, requester, command, sequence,
                        tooLarge.detail()));
                connector.events().error(tooLarge);
            }
        });
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        outbox = new Outbox(channel, (topic, command, cause) -> connector.events().publicationDropped(
                connector.notWritten(SocketAgentClient.publication(topic, command), cause)));
        ctx.writeAndFlush(connector.hello(ctx.alloc())).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        if (tls == null) {
            awaitHello(ctx);
        } else {
            // The handshake has its own timeout (ClientOptions.tlsHandshakeTimeout): the HELLO's starts after it.
            tls.handshakeFuture().addListener(handshake -> {
                if (handshake.isSuccess() && ctx.channel().isActive()) {
                    awaitHello(ctx);
                }
            });
        }
        ctx.fireChannelActive();
    }

    /** Closes the connection if the agent has not answered the HELLO within the connect timeout. */
    private void awaitHello(ChannelHandlerContext ctx) {
        connector.helloSent();
        long timeout = connector.options().connectTimeout().toNanos();
        helloTimeout = ctx.executor().schedule(() -> {
            lost = new AgentException(ErrorCode.PEER_OFFLINE, "no HELLO from the agent at " + connector.address()
                    + " within " + TimeUnit.NANOSECONDS.toMillis(timeout) + " ms " + SocketAgentClient.notAnAgent(
                    connector.address()));
            ctx.close();
        }, timeout, TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Message message = (Message) msg;
        if (breached) {
            message.release();
            return;
        }
        if (!registered) {
            try {
                welcome(ctx, message);
            } finally {
                message.release();
            }
            return;
        }
        switch (message.type()) {
            case REPLY -> calls.complete(message.sequence(), message);
            case ERROR -> {
                error(ctx, message);
                message.release();
            }
            // Publications read before a request go to the executor before it, as they arrived.
            case REQUEST -> {
                if (answerable(message)) {
                    connector.subscriptions().dispatch();
                    connector.inbound().request(this, message);
                }
            }
            case NOTIFY -> {
                connector.subscriptions().dispatch();
                connector.inbound().notification(message);
            }
            case PUBLISH -> connector.subscriptions().deliver(message);
            case PING -> {
                pong(ctx, message);
                message.release();
            }
            case PONG -> message.release(); // the heartbeat saw it arrive: that is all it is for
            default -> {
                message.release();
                breach(ctx, "unexpected " + message.type() + " from the agent");
            }
        }
    }

    /**
     * Whether there is room to answer {@code request}; if not, it is released unanswered, and onError hears
     * of it once until there is room again. Every REQUEST gets an answer written (the handler's reply, or
     * NO_HANDLER, OVERLOADED): an agent that sends them and reads nothing (broken, or hostile) would
     * otherwise fill the outbound queue without bound, the answers going around the high-water mark the
     * application's own sends are held to. The requester gets the agent's TIMEOUT instead.
     */
    private boolean answerable(Message request) {
        if (outbox.hasRoom()) {
            droppingRequests = false;
            return true;
        }
        if (!droppingRequests) {
            droppingRequests = true;
            connector.events().error(new AgentException(ErrorCode.OVERLOADED, connector.events().client()
                    + ": more than " + Connector.OUTBOUND_HIGH_WATER_BYTES + " bytes wait to be sent to the agent at "
                    + connector.address() + ": its requests are dropped unanswered (their requesters get the agent's"
                    + " TIMEOUT) until they are down to " + Connector.OUTBOUND_HIGH_WATER_BYTES / 2 + " bytes; the"
                    + " first: " + message(request)));
        }
        request.release();
        return false;
    }

    private static String message(Message request) {
        return "command " + Integer.toUnsignedString(request.command()) + " from #"
                + Integer.toUnsignedString(request.source());
    }

    /**
     * Answers a PING, unless a PONG is still waiting to leave: any PONG clears the agent's count of
     * misses (docs/protocol.md section 10), so that one answers this PING too. An agent that PINGs
     * and reads nothing (broken, or hostile) would otherwise fill this end's outbound queue with a
     * PONG for every 44 bytes it sends, past every bound: PONGs go around the {@link Outbox}.
     */
    private void pong(ChannelHandlerContext ctx, Message ping) {
        if (pongWaiting) {
            return;
        }
        pongWaiting = true;
        ctx.writeAndFlush(Message.pong(ping)).addListener(written -> pongWaiting = false);
    }

    /** The read batch is over: its publications go to the listeners now, one hand-off per subscription. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        connector.subscriptions().dispatch();
        ctx.fireChannelReadComplete();
    }

    /** The agent's answer to the HELLO: its own HELLO, or a refusal. */
    private void welcome(ChannelHandlerContext ctx, Message answer) {
        switch (answer.type()) {
            case HELLO -> {
                Hello agent = Hello.read(answer.payload());
                int version = agent.maxVersion();
                if (agent.minVersion() != version || version < Protocol.MIN_VERSION || version > Protocol.MAX_VERSION) {
                    refusal = new AgentException(ErrorCode.UNSUPPORTED_VERSION, "the agent at " + connector.address()
                            + " chose protocol versions " + agent.minVersion() + ".." + version
                            + ", this client speaks " + Protocol.MIN_VERSION + ".." + Protocol.MAX_VERSION);
                    ctx.close();
                    return;
                }
                String wrongAnswer = wrongAnswer(answer.source(), answer.destination(), answer.subject());
                if (wrongAnswer != null) {
                    breach(ctx, "its answer to the HELLO " + wrongAnswer);
                    return;
                }
                FrameEncoder encoder = ctx.pipeline().get(FrameEncoder.class);
                encoder.peerMaxFrameBytes(agent.maxFrameBytes());
                // Every frame after the HELLOs, both ways, carries the version the agent chose (protocol.md 7.2).
                encoder.agreedVersion(version);
                ctx.pipeline().get(FrameDecoder.class).agreedVersion(version);
                registered = true;
                if (helloTimeout != null) {
                    helloTimeout.cancel(false);
                }
                heartbeat.start(ctx.pipeline().context(heartbeat));
                connector.registered(this, answer.destination(), answer.subject());
            }
            case ERROR -> {
                String why = text(answer);
                refusal = new AgentException(answer.error(),
                        "the agent at " + connector.address() + " refused the registration: " + why);
                helloLate = Failures.isLateHello(answer.error(), why);
                ctx.close();
            }
            default -> breach(ctx, "a " + answer.type() + " in answer to the HELLO");
        }
    }

    /**
     * What is wrong with the source of the agent's answer and the id and name it granted, or null: it
     * answers from its own id, {@link Protocol#AGENT_ID}, and grants the id claimed, or one from
     * {@link Protocol#FIRST_ASSIGNED_ID} up if none was, and the name claimed (docs/protocol.md
     * sections 6 and 7.1). Taken as they came, id 0 (the agent's own) or another peer's id would be
     * this client's address, and what it sends would name the wrong source; an answer from another
     * source than the agent is a peer's frame, or a mangled one, never the agent's word.
     */
    private String wrongAnswer(int source, int id, String name) {
        if (source != Protocol.AGENT_ID) {
            return "came from #" + Integer.toUnsignedString(source) + ", not from the agent (#"
                    + Protocol.AGENT_ID + ")";
        }
        int claimed = connector.options().id();
        if (claimed != 0 && id != claimed) {
            return "granted id " + Integer.toUnsignedString(id) + ", not the id " + Integer.toUnsignedString(claimed)
                    + " this client claimed";
        }
        if (claimed == 0 && Integer.compareUnsigned(id, Protocol.FIRST_ASSIGNED_ID) < 0) {
            return "granted id " + Integer.toUnsignedString(id) + ", not one from "
                    + Integer.toUnsignedString(Protocol.FIRST_ASSIGNED_ID) + " up (this client claimed none)";
        }
        String claimedName = connector.options().name();
        if (!name.equals(claimedName)) {
            return "granted the name '" + ControlCharacters.escapedOnOneLine(name) + "', not the name '" + claimedName
                    + "' this client claimed";
        }
        return null;
    }

    private void error(ChannelHandlerContext ctx, Message error) {
        if (error.hasFlag(Message.FLAG_CLOSING)) {
            AgentException closing = new AgentException(error.error(),
                    "the agent at " + connector.address() + " closed the connection: " + text(error));
            if (error.error() == ErrorCode.DUPLICATE_ID || error.error() == ErrorCode.DUPLICATE_NAME) {
                refusal = closing; // another connection took over this id or name: fighting back would only loop
            } else {
                lost = closing;
                connector.events().error(closing);
            }
            ctx.close();
        } else if (!calls.fail(error.sequence(), error.error(), text(error))) {
            connector.events().strayError(new AgentException(error.error(), text(error) + " (from the agent at "
                    + connector.address() + ", command "
                    + Integer.toUnsignedString(error.command()) + ", sequence " + Long.toUnsignedString(error.sequence())
                    + ")"));
        }
    }

    /**
     * The agent broke the protocol: tell it why and start over on a new connection, which closes
     * within the codec's grace even if the agent has stopped reading and the ERROR never leaves.
     * The application hears which agent it was (a program may talk to several); the agent, why.
     */
    private void breach(ChannelHandlerContext ctx, String what) {
        breached();
        AgentException breach = new AgentException(ErrorCode.BAD_FRAME,
                "the agent at " + connector.address() + " broke the protocol: " + what);
        lost = breach;
        connector.events().error(breach);
        MalformedFrameHandler.closeWith(ctx, Message.closingError(ErrorCode.BAD_FRAME, ByteBufUtil.writeUtf8(ctx.alloc(), what)));
    }

    /** The agent broke the protocol (a breach this side found, or a malformed frame): the connection is closing. */
    private void breached() {
        breached = true;
        if (helloTimeout != null) {
            // Run out before the breach's ERROR has left, it made the close's reason "no HELLO", and a
            // first connect would fail with that in place of the breach (Connector.ended).
            helloTimeout.cancel(false);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (breached) {
            // What the agent sent after its breach (garbage behind the frame, say), read before the close:
            // not a second fault to report, nor a reason in the breach's place. The breach closes the
            // connection within the codec's grace, its ERROR written first.
            return;
        }
        SSLException tls = Tls.failure(cause);
        if (tls != null) {
            if (!tlsFailed) {
                tlsFailed = true;
                lost = new AgentException(ErrorCode.PEER_OFFLINE, "TLS with the agent at " + connector.address()
                        + " failed: " + Tls.reason(tls), tls);
            }
        } else if (cause instanceof MalformedFrameException && (lost != null || refusal != null)) {
            // A frame cut short by a close this side made for a reason of its own (the agent silent, no HELLO,
            // its closing ERROR): the codec tells it at the close. No fault of the agent's to report, and the
            // reason calls fail with and the log names stays the first one.
            return;
        } else if (cause instanceof MalformedFrameException malformed) {
            // The codec's handler has already told the agent and is closing the connection. A breach like
            // any other: in answer to the HELLO (an HTTP server's page, say), it fails the first connect at
            // once, naming the offset, rather than with PEER_OFFLINE at the connect timeout, which hid it.
            breached();
            AgentException error = new AgentException(malformed.code(),
                    "the agent at " + connector.address() + " sent a malformed frame: " + malformed.getMessage(), cause);
            lost = error;
            connector.events().error(error);
        } else if (lost == null) {
            lost = cause;
        }
        ctx.close();
    }

    /** Whether TLS failed on this connection: an untrusted or misnamed certificate, or an agent without TLS. */
    boolean tlsFailed() {
        return tlsFailed;
    }

    /**
     * Whether the agent broke the protocol in its answer to the HELLO (an id, a name it may not grant, a
     * frame other than HELLO or ERROR, a malformed frame): a broken agent, or not one, that another
     * attempt finds the same.
     */
    boolean breachedAtHello() {
        return breached && !registered;
    }

    /** Whether the agent refused the HELLO only because its hello timeout had run out before it came. */
    boolean helloLate() {
        return helloLate;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        connector.subscriptions().dispatch(); // publications read last are delivered, not lost
        if (helloTimeout != null) {
            helloTimeout.cancel(false);
        }
        if (!registered && refusal == null && lost == null) {
            // closed without a word before the agent answered: an agent refuses with an ERROR, so what
            // listens there is likely no agent (the echo endpoint drops a HELLO as a frame too long)
            // an agent with tls = true closes a plain client the same way: no TLS alert without a handshake
            boolean plainTcp = connector.options().tls() == null && connector.options().agent() instanceof InetSocketAddress;
            // and so does an agent with maxConnections open (net's ConnectionGate): no frame, its log says why
            lost = new AgentException(ErrorCode.PEER_OFFLINE, "the connection was closed before an answer to the HELLO"
                    + " came: is " + connector.address() + " the agent's listener, and not another service's?"
                    + (plainTcp ? " Or an agent with tls = true, which closes a client without TLS"
                            + " (ClientOptions.Builder.tlsTrustStore)?" : "")
                    + " Or an agent at its maxConnections: its log says 'refused the connection from ...:"
                    + " maxConnections=... reached'?");
        }
        calls.failAll(connector.whyEnded(lost));
        connector.ended(this, registered, refusal, lost);
        ctx.fireChannelInactive();
    }

    /**
     * The text of the agent's ERROR, with its control characters escaped, line feeds too: it goes into
     * exception messages and this client's log lines, where a line of the agent's own would pass for
     * one the application wrote, and an escape sequence would take over the terminal showing it.
     */
    private static String text(Message error) {
        return ControlCharacters.escapedOnOneLine(error.payload().toString(UTF_8));
    }
}
