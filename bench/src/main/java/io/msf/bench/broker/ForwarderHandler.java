package io.msf.bench.broker;

import io.msf.bench.broker.ForwarderPeers.Peer;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Hello;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.MessageType;
import io.msf.protocol.api.Protocol;
import io.msf.protocol.codec.FrameDecoder;
import io.msf.protocol.codec.FrameEncoder;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayList;
import java.util.List;

/**
 * One connection of the benchmark's forwarder, after {@code AgentCodec}: the least a broker must do
 * for the msf client to work. HELLO is answered (id granted, no token, no checks), PING gets PONG,
 * every REQUEST and NOTIFY goes to the responder, every REPLY to the connection whose id it names,
 * every PUBLISH to every subscriber (no topic matching). The source is overwritten with the
 * sender's id, as the agent does, so that replies find their way back.
 *
 * <p>Writes to other connections are flushed once per read batch ({@link #channelReadComplete}),
 * not once per message: what a well-written Netty proxy does, so the baseline is not a straw man.
 */
final class ForwarderHandler extends ChannelInboundHandlerAdapter {

    private static final int HEARTBEAT_MILLIS = 5000;

    private final ForwarderPeers peers;
    private final int maxFrameBytes;
    /** Channels written to in this read batch; only touched on this channel's event loop. */
    private final List<Channel> toFlush = new ArrayList<>();
    private Peer self;

    ForwarderHandler(ForwarderPeers peers, int maxFrameBytes) {
        this.peers = peers;
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Message message = (Message) msg;
        if (self == null) {
            hello(ctx, message);
            return;
        }
        switch (message.type()) {
            case REQUEST, NOTIFY -> {
                Peer responder = peers.responder();
                if (responder == null) {
                    answerError(ctx, message, ErrorCode.PEER_OFFLINE, "no responder connected");
                } else {
                    forward(responder.channel(), message.withSource(self.id()));
                }
            }
            case REPLY, ERROR -> {
                Peer requester = peers.byId(message.destination());
                if (requester == null) {
                    message.release();
                } else {
                    forward(requester.channel(), message.withSource(self.id()));
                }
            }
            case PUBLISH -> publish(message);
            case SUBSCRIBE, UNSUBSCRIBE -> {
                if (message.type() == MessageType.SUBSCRIBE) {
                    peers.subscribe(self);
                } else {
                    peers.unsubscribe(self);
                }
                Message request = message.withSource(self.id());
                Message acknowledgement = Message.reply(request, Unpooled.EMPTY_BUFFER);
                request.release();
                forward(ctx.channel(), acknowledgement);
            }
            case PING -> {
                Message ping = message.withSource(self.id());
                forward(ctx.channel(), Message.pong(ping));
                ping.release();
            }
            default -> message.release(); // PONG; a second HELLO is not checked here
        }
    }

    private void publish(Message message) {
        try {
            for (Peer subscriber : peers.subscribers()) {
                forward(subscriber.channel(), new Message(MessageType.PUBLISH, 0, ErrorCode.OK, self.id(),
                        subscriber.id(), message.subject(), message.command(), message.sequence(), 0,
                        message.payload().retainedDuplicate()));
            }
        } finally {
            message.release();
        }
    }

    private void hello(ChannelHandlerContext ctx, Message message) {
        try {
            Hello offer = Hello.read(message.payload());
            ctx.pipeline().get(FrameEncoder.class).peerMaxFrameBytes(offer.maxFrameBytes());
            ctx.pipeline().get(FrameDecoder.class).agreedVersion(Protocol.MAX_VERSION); // frames past 1 KiB from here
            self = peers.register(message.source(), !message.subject().isEmpty(), ctx.channel());
            Hello answer = new Hello(Protocol.MAX_VERSION, Protocol.MAX_VERSION, maxFrameBytes, HEARTBEAT_MILLIS, null);
            forward(ctx.channel(), new Message(MessageType.HELLO, 0, ErrorCode.OK, Protocol.AGENT_ID, self.id(),
                    message.subject(), 0, 0, 0, answer.write(ctx.alloc())));
        } finally {
            message.release();
        }
    }

    private void answerError(ChannelHandlerContext ctx, Message cause, ErrorCode code, String detail) {
        Message from = cause.withSource(self.id());
        Message error = Message.error(code, from, ByteBufUtil.writeUtf8(ctx.alloc(), detail));
        from.release();
        forward(ctx.channel(), error);
    }

    private void forward(Channel target, Message message) {
        target.write(message, target.voidPromise());
        if (!toFlush.contains(target)) {
            toFlush.add(target);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        for (Channel channel : toFlush) {
            channel.flush();
        }
        toFlush.clear();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (self != null) {
            peers.unregister(self);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        System.err.println("forwarder: " + ctx.channel().remoteAddress() + ": " + cause);
        ctx.close();
    }
}
