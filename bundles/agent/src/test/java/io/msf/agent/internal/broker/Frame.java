package io.msf.agent.internal.broker;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.MessageType;
import io.netty.buffer.ByteBufUtil;

/** A received message as plain values, so that tests need not release anything. */
record Frame(MessageType type, int flags, ErrorCode error, int source, int destination, String subject, int command,
        long sequence, int timeoutMillis, byte[] payload) {

    static Frame of(Message message) {
        return new Frame(message.type(), message.flags(), message.error(), message.source(), message.destination(),
                message.subject(), message.command(), message.sequence(), message.timeoutMillis(),
                ByteBufUtil.getBytes(message.payload()));
    }

    String text() {
        return new String(payload, UTF_8);
    }

    boolean closing() {
        return (flags & Message.FLAG_CLOSING) != 0;
    }

    @Override
    public String toString() {
        return type + "[" + Integer.toUnsignedString(source) + "->" + Integer.toUnsignedString(destination) + " '"
                + subject + "' " + error + " command=" + command + " sequence=" + sequence + " '" + text() + "']";
    }
}
