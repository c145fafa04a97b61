package io.msf.agent.internal.broker;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.msf.client.api.MessageHandler;
import io.msf.protocol.api.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.concurrent.CompletableFuture;

/** Text payloads for the broker's tests: a handler that echoes with a prefix, a payload, and a reply's text. */
final class TextMessages {

    private TextMessages() {
    }

    /** Answers every request with {@code prefix} followed by the request's text. */
    static MessageHandler echo(String prefix) {
        return message -> CompletableFuture.completedFuture(
                Unpooled.copiedBuffer(prefix + message.payload().toString(UTF_8), UTF_8));
    }

    static ByteBuf text(String text) {
        return Unpooled.copiedBuffer(text, UTF_8);
    }

    /** The message's text; the message is released. */
    static String textOf(Message message) {
        try {
            return message.payload().toString(UTF_8);
        } finally {
            message.release();
        }
    }
}
