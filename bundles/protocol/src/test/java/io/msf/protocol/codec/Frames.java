package io.msf.protocol.codec;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Hello;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.MessageType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

/** Frames built by the encoder under test, as bytes to feed (and to spoil) in decoder tests. */
final class Frames {

    private Frames() {
    }

    /** {@code message} as the encoder writes it; the message is released. */
    static byte[] encode(Message message) {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameEncoder(Integer.MAX_VALUE));
        try {
            channel.writeOutbound(message);
            ByteBuf all = Unpooled.buffer();
            for (ByteBuf part; (part = channel.readOutbound()) != null; ) {
                all.writeBytes(part);
                part.release();
            }
            return ByteBufUtil.getBytes(all);
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    /** A valid REQUEST frame by name, with a payload, as bytes. */
    static byte[] request() {
        return encode(new Message(MessageType.REQUEST, 0, ErrorCode.OK, 5, 0, "upnp", 16, 1, 5000,
                Unpooled.copiedBuffer("get volume", UTF_8)));
    }

    /** One message of {@code type} with every field its type uses set, its payload from {@code alloc}. */
    static Message sample(MessageType type, ByteBufAllocator alloc) {
        return switch (type) {
            case HELLO -> Message.hello(42, "upnp", true,
                    Hello.offer(1 << 16, 2000, "s3cret".getBytes(UTF_8)).write(alloc));
            case REQUEST -> Message.request("dlna", 7, 99, 5000, text(alloc, "get volume")).withSource(42);
            case REPLY -> new Message(type, 0, ErrorCode.OK, 7, 42, "", 7, 99, 0, text(alloc, "volume=11"));
            case NOTIFY -> Message.notification(7, 3, 100, text(alloc, "muted")).withSource(42);
            case PUBLISH -> Message.publish("dlna.device.added", 1, 104, text(alloc, "uuid:1234")).withSource(42);
            case SUBSCRIBE -> Message.subscribe("dlna.>", 101).withSource(42);
            case UNSUBSCRIBE -> Message.unsubscribe("dlna.*.added", 102).withSource(42);
            case PING -> Message.ping(103);
            case PONG -> new Message(type, 0, ErrorCode.OK, 42, 0, "", 0, 103, 0, Unpooled.EMPTY_BUFFER);
            case ERROR -> new Message(type, Message.FLAG_CLOSING, ErrorCode.OVERLOADED, 0, 42, "", 7, 99, 0,
                    text(alloc, "outbound queue over its high-water mark"));
        };
    }

    static ByteBuf text(ByteBufAllocator alloc, String text) {
        return ByteBufUtil.writeUtf8(alloc, text);
    }
}
