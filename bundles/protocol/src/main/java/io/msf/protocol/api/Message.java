package io.msf.protocol.api;

import io.msf.text.Cut;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.buffer.Unpooled;
import java.util.Objects;

/**
 * One frame of the agent protocol: an immutable header and a payload held as a Netty buffer.
 *
 * <p>Header fields a type does not use are 0 (or empty for the subject); the tables in
 * {@code docs/protocol.md} say which fields each type uses. Ids are unsigned 32-bit numbers.
 *
 * <h2>Who releases the payload</h2>
 * A message holds one reference to its payload and is reference counted itself (it is a
 * {@link io.netty.buffer.ByteBufHolder}), so Netty releases it like any buffer:
 * <ul>
 * <li>Whoever holds a message releases it exactly once ({@link #release()} or
 *     {@code ReferenceCountUtil.release}), unless it hands it on: writes it to a channel, fires it
 *     down a pipeline, or passes it to a method that says it takes the message. The receiver then
 *     owns that reference.
 * <li>The constructor and the factories take over the caller's reference to {@code payload}.
 * <li>A decoded message's payload is a slice of the bytes read from the socket, not a copy. Holding
 *     it pins that read buffer, so {@link #copy()} a message kept beyond its handling.
 * <li>To send one message to several places, give each a {@link #retainedDuplicate()}: its own
 *     reference and its own indices.
 * <li>{@link #withSource(int)} returns a message that takes over this one's reference; use only
 *     the returned one afterwards.
 * </ul>
 * The payload is the buffer's readable bytes; encoding never moves its indices.
 */
public final class Message extends DefaultByteBufHolder {

    /** HELLO: take over the claimed id and name from a connection that still holds them (a reconnect). */
    public static final int FLAG_REPLACE = 0x0001;

    /** ERROR: the sender closes the connection after this frame. */
    public static final int FLAG_CLOSING = 0x0002;

    private final MessageType type;
    private final int flags;
    private final ErrorCode error;
    private final int source;
    private final int destination;
    private final String subject;
    private final int command;
    private final long sequence;
    private final int timeoutMillis;

    /**
     * @param type what the frame is
     * @param flags bits allowed by {@link MessageType#allowedFlags()}
     * @param error {@link ErrorCode#OK} unless {@code type} is ERROR, which needs another code
     * @param source the sender's id ({@link Protocol#AGENT_ID} for the agent)
     * @param destination the receiver's id, 0 when addressed by name or topic
     * @param subject a peer name or a topic, at most {@link Protocol#MAX_SUBJECT_BYTES} UTF-8 bytes, with no half
     *     of a surrogate pair alone (it has no UTF-8 form); may be empty
     * @param command the application's command number
     * @param sequence chosen by the sender of a REQUEST, SUBSCRIBE, UNSUBSCRIBE or PING; echoed by its answer
     * @param timeoutMillis how long a REQUEST waits for its REPLY (0: the agent's default); never negative
     * @param payload taken over by the message (see the class comment), released if the message is refused
     * @throws IllegalArgumentException if a field breaks the rules above
     */
    public Message(MessageType type, int flags, ErrorCode error, int source, int destination, String subject,
            int command, long sequence, int timeoutMillis, ByteBuf payload) {
        super(Objects.requireNonNull(payload, "payload"));
        try {
            check(type, flags, error, subject, timeoutMillis);
        } catch (RuntimeException e) {
            payload.release(); // taken over: nobody else would release it
            throw e;
        }
        this.type = type;
        this.error = error;
        this.subject = subject;
        this.flags = flags;
        this.source = source;
        this.destination = destination;
        this.command = command;
        this.sequence = sequence;
        this.timeoutMillis = timeoutMillis;
    }

    private static void check(MessageType type, int flags, ErrorCode error, String subject, int timeoutMillis) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(subject, "subject");
        if ((flags & ~type.allowedFlags()) != 0) {
            throw new IllegalArgumentException(String.format("flags 0x%04x are not allowed on %s", flags, type));
        }
        if ((type == MessageType.ERROR) == (error == ErrorCode.OK)) {
            throw new IllegalArgumentException(type == MessageType.ERROR
                    ? "an ERROR message needs an error code other than OK"
                    : "only ERROR messages carry an error code, not " + type + " (" + error + ")");
        }
        if (timeoutMillis < 0) {
            throw new IllegalArgumentException("timeoutMillis " + timeoutMillis + " is negative");
        }
        // Cheap pre-check: a string of n chars has at least n UTF-8 bytes.
        if (subject.length() > Protocol.MAX_SUBJECT_BYTES
                || ByteBufUtil.utf8Bytes(subject) > Protocol.MAX_SUBJECT_BYTES) {
            throw new IllegalArgumentException("subject '" + abbreviate(subject) + "' is longer than "
                    + Protocol.MAX_SUBJECT_BYTES + " UTF-8 bytes");
        }
        // checked here, not only by the name and topic checks, so that no message can reach an encoder
        // with a subject it would write as another one
        int unpaired = Topic.unpairedSurrogate(subject, 0, subject.length());
        if (unpaired >= 0) {
            throw new IllegalArgumentException("subject '" + abbreviate(subject) + "' has an unpaired surrogate at index "
                    + unpaired + ": it has no UTF-8 form");
        }
    }

    /** A copy of {@code header}'s fields but the source, around {@code payload}; no checks needed. */
    private Message(Message header, int source, ByteBuf payload) {
        super(payload);
        this.type = header.type;
        this.flags = header.flags;
        this.error = header.error;
        this.source = source;
        this.destination = header.destination;
        this.subject = header.subject;
        this.command = header.command;
        this.sequence = header.sequence;
        this.timeoutMillis = header.timeoutMillis;
    }

    /** Opens a session: claims {@code id} (0: let the agent assign one) and {@code name} (empty: none). */
    public static Message hello(int id, String name, boolean replace, ByteBuf body) {
        return new Message(MessageType.HELLO, replace ? FLAG_REPLACE : 0, ErrorCode.OK, id, Protocol.AGENT_ID, name,
                0, 0, 0, body);
    }

    /** A request to the peer with id {@code destination}. */
    public static Message request(int destination, int command, long sequence, int timeoutMillis, ByteBuf payload) {
        return new Message(MessageType.REQUEST, 0, ErrorCode.OK, 0, destination, "", command, sequence, timeoutMillis,
                payload);
    }

    /** A request to the peer that claimed {@code name}. */
    public static Message request(String name, int command, long sequence, int timeoutMillis, ByteBuf payload) {
        return new Message(MessageType.REQUEST, 0, ErrorCode.OK, 0, 0, name, command, sequence, timeoutMillis, payload);
    }

    /** The reply to {@code request}: to its sender, with its command and sequence. {@code request} is not released. */
    public static Message reply(Message request, ByteBuf payload) {
        return new Message(MessageType.REPLY, 0, ErrorCode.OK, 0, request.source, "", request.command,
                request.sequence, 0, payload);
    }

    /** A one-way message to the peer with id {@code destination}. */
    public static Message notification(int destination, int command, long sequence, ByteBuf payload) {
        return new Message(MessageType.NOTIFY, 0, ErrorCode.OK, 0, destination, "", command, sequence, 0, payload);
    }

    /** A one-way message to the peer that claimed {@code name}. */
    public static Message notification(String name, int command, long sequence, ByteBuf payload) {
        return new Message(MessageType.NOTIFY, 0, ErrorCode.OK, 0, 0, name, command, sequence, 0, payload);
    }

    /** A message to every subscriber of {@code topic}; {@code sequence} identifies it in an ERROR. */
    public static Message publish(String topic, int command, long sequence, ByteBuf payload) {
        return new Message(MessageType.PUBLISH, 0, ErrorCode.OK, 0, 0, topic, command, sequence, 0, payload);
    }

    /** Subscribes to the topics matching {@code pattern} (see {@link Topic}). */
    public static Message subscribe(String pattern, long sequence) {
        return new Message(MessageType.SUBSCRIBE, 0, ErrorCode.OK, 0, 0, pattern, 0, sequence, 0,
                Unpooled.EMPTY_BUFFER);
    }

    /** Removes the subscription to exactly {@code pattern}. */
    public static Message unsubscribe(String pattern, long sequence) {
        return new Message(MessageType.UNSUBSCRIBE, 0, ErrorCode.OK, 0, 0, pattern, 0, sequence, 0,
                Unpooled.EMPTY_BUFFER);
    }

    public static Message ping(long sequence) {
        return new Message(MessageType.PING, 0, ErrorCode.OK, 0, 0, "", 0, sequence, 0, Unpooled.EMPTY_BUFFER);
    }

    /** The answer to {@code ping}, which is not released. */
    public static Message pong(Message ping) {
        return new Message(MessageType.PONG, 0, ErrorCode.OK, 0, ping.source, "", 0, ping.sequence, 0,
                Unpooled.EMPTY_BUFFER);
    }

    /**
     * The failure of {@code cause}: to its sender, with its command and sequence. {@code cause} is not
     * released.
     *
     * @param detail UTF-8 text for people, possibly empty
     */
    public static Message error(ErrorCode error, Message cause, ByteBuf detail) {
        return new Message(MessageType.ERROR, 0, error, 0, cause.source, "", cause.command, cause.sequence, 0, detail);
    }

    /** The last frame of a connection: says why the sender is closing it. */
    public static Message closingError(ErrorCode error, ByteBuf detail) {
        return new Message(MessageType.ERROR, FLAG_CLOSING, error, 0, 0, "", 0, 0, 0, detail);
    }

    public MessageType type() {
        return type;
    }

    public int flags() {
        return flags;
    }

    public boolean hasFlag(int flag) {
        return (flags & flag) != 0;
    }

    public ErrorCode error() {
        return error;
    }

    public int source() {
        return source;
    }

    public int destination() {
        return destination;
    }

    /** The peer name or topic, or the empty string. */
    public String subject() {
        return subject;
    }

    public int command() {
        return command;
    }

    public long sequence() {
        return sequence;
    }

    public int timeoutMillis() {
        return timeoutMillis;
    }

    /** The payload: this message's {@link #content()}. */
    public ByteBuf payload() {
        return content();
    }

    /** This message from {@code newSource}; the result takes over this message's payload reference. */
    public Message withSource(int newSource) {
        return new Message(this, newSource, content());
    }

    /** The same header around {@code payload}, which the result takes over. */
    @Override
    public Message replace(ByteBuf payload) {
        return new Message(this, source, payload);
    }

    @Override
    public Message copy() {
        return replace(content().copy());
    }

    @Override
    public Message duplicate() {
        return replace(content().duplicate());
    }

    @Override
    public Message retainedDuplicate() {
        return replace(content().retainedDuplicate());
    }

    @Override
    public Message retain() {
        super.retain();
        return this;
    }

    @Override
    public Message retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public Message touch() {
        super.touch();
        return this;
    }

    @Override
    public Message touch(Object hint) {
        super.touch(hint);
        return this;
    }

    /** Equal headers and equal readable payload bytes. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Message other && type == other.type && flags == other.flags && error == other.error
                && source == other.source && destination == other.destination && subject.equals(other.subject)
                && command == other.command && sequence == other.sequence && timeoutMillis == other.timeoutMillis
                && content().equals(other.content());
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, source, destination, subject, command, sequence) * 31 + content().hashCode();
    }

    /** The header and the payload's size; never the payload's bytes (a HELLO carries a secret). */
    @Override
    public String toString() {
        return type + "[" + Integer.toUnsignedString(source) + "->" + Integer.toUnsignedString(destination)
                + (subject.isEmpty() ? "" : " '" + subject + "'")
                + (flags == 0 ? "" : String.format(" flags=0x%04x", flags))
                + (error == ErrorCode.OK ? "" : " " + error)
                + " command=" + Integer.toUnsignedString(command) + " sequence=" + Long.toUnsignedString(sequence)
                + (timeoutMillis == 0 ? "" : " timeout=" + timeoutMillis + "ms")
                + " payload=" + (refCnt() > 0 ? content().readableBytes() + "B" : "released") + "]";
    }

    /** The start of a name or subject too long to be repeated whole in a message (a log line). */
    static String abbreviate(String text) {
        return text.length() <= 40 ? text : Cut.atMost(text, 40) + "...";
    }
}
