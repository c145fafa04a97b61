package io.msf.protocol.codec;

import static io.msf.protocol.codec.Wire.*;
import static java.nio.charset.StandardCharsets.UTF_8;

import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Hello;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.MessageType;
import io.msf.protocol.api.Protocol;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a peer's byte stream into {@link Message}s (docs/protocol.md). Install it through
 * {@link AgentCodec#addTo}, on a stream without other framing:
 *
 * <pre>
 * agent-frame-encoder - agent-frame-decoder - agent-malformed-frames - the session's handlers
 * </pre>
 *
 * <p>A frame is checked in three steps, each as soon as its bytes are in: the first 8 bytes
 * (magic, version, type, frame length: nothing more is buffered for a frame over the maximum),
 * the 44-byte header (every other length and field, so a lying length is caught before its bytes
 * are awaited), and the whole frame (the subject's UTF-8, a HELLO's body). A frame must carry the
 * version agreed in the HELLOs ({@link #agreedVersion}), or version 1 until then, and until then be no
 * larger than {@link Protocol#SMALLEST_FRAME_LIMIT} (every HELLO and ERROR fits in it): a peer that has
 * not said who it is (nor, where the agent asks for one, given its token) cannot make this end hold a
 * frame of the full limit, up to 64 MiB, for as long as it waits for the HELLO. The payload is a
 * retained slice of the read buffer, not a copy. The first violation throws a
 * {@link MalformedFrameException} naming the field and its offset in the stream; everything after
 * it is dropped, and a connection closed in the middle of a frame is reported as truncated, to the
 * handlers behind before the connection's end.
 *
 * <p>Why not the net bundle's length-field framing with a decoder behind it: that puts the
 * length first, so a stray HTTP or TLS client reads as a 1 GB "length" rather than a bad magic;
 * it drops a truncated frame silently at close; its errors cannot name stream offsets; and the
 * client library, which runs outside the container, needs this framing without the net bundle.
 */
public final class FrameDecoder extends ByteToMessageDecoder {

    private final int maxFrameBytes;
    /** The largest frame accepted now: {@link Protocol#SMALLEST_FRAME_LIMIT} until the HELLOs agree. */
    private int frameLimit = Protocol.SMALLEST_FRAME_LIMIT;
    /** The protocol versions this end speaks. */
    private final int minVersion;
    private final int maxVersion;
    /**
     * The version every frame must carry: {@link Wire#HELLO_VERSION} until the HELLOs agree on one,
     * then that one. However many versions this end speaks, a frame's version costs one compare.
     */
    private int version = HELLO_VERSION;
    private boolean agreed;
    /** Bytes of the stream consumed so far: the stream offset of the next frame. */
    private long offset;
    private long frames;
    private boolean failed;
    /** The source given to every frame decoded from now on; 0: the one the peer wrote. */
    private int stampedSource;
    /**
     * The last subject decoded, and its bytes: a peer mostly repeats its topics and names, and a
     * repeated one is then compared rather than checked, decoded and hashed again as a new String.
     */
    private String lastSubject = "";
    private byte[] lastSubjectBytes = new byte[0];
    private final byte[] subjectScratch = new byte[Protocol.MAX_SUBJECT_BYTES];

    /**
     * @param maxFrameBytes the largest frame accepted, header included; at least
     *     {@link Protocol#SMALLEST_FRAME_LIMIT}
     */
    public FrameDecoder(int maxFrameBytes) {
        this(maxFrameBytes, Protocol.MIN_VERSION, Protocol.MAX_VERSION);
    }

    /** A decoder of a build that speaks {@code minVersion..maxVersion}: for tests, while this one speaks one. */
    FrameDecoder(int maxFrameBytes, int minVersion, int maxVersion) {
        if (maxFrameBytes < Protocol.SMALLEST_FRAME_LIMIT) {
            throw new IllegalArgumentException("maxFrameBytes " + maxFrameBytes + " is below the smallest limit "
                    + Protocol.SMALLEST_FRAME_LIMIT);
        }
        this.maxFrameBytes = maxFrameBytes;
        this.minVersion = minVersion;
        this.maxVersion = maxVersion;
    }

    /**
     * Accepts from now on only frames of {@code version}, the one the HELLOs agreed on
     * (docs/protocol.md section 7.2); until then, only frames of version 1, which HELLOs carry. A
     * frame of another version is refused with UNSUPPORTED_VERSION, as any malformed frame is: a
     * frame of a version this end also speaks would otherwise be read by the wrong version's rules.
     * Frames up to the full {@code maxFrameBytes} are accepted from now on, only
     * {@link Protocol#SMALLEST_FRAME_LIMIT} before, and a HELLO no more: a second HELLO is a BAD_FRAME,
     * named with its offset as every other fault (protocol.md 7.1).
     * Call it on the channel's event loop, from a handler behind this one, as {@link #stampSource}.
     *
     * @param version the version agreed; one this end speaks
     */
    public void agreedVersion(int version) {
        this.version = Wire.checkSpoken(version, minVersion, maxVersion);
        agreed = true;
        frameLimit = maxFrameBytes;
    }

    /**
     * Gives every frame decoded from now on {@code source} as its source, whatever the peer wrote:
     * the agent stamps a session's frames with the id it granted at HELLO (docs/protocol.md, section
     * 4), so that forwarding one needs no copy with its source replaced. Call it on the channel's
     * event loop, from a handler behind this one: a frame is passed on before the next is decoded,
     * so the frames after the one that led to the call get the stamp.
     *
     * @param source the id to stamp; 0 stamps nothing again
     */
    public void stampSource(int source) {
        stampedSource = source;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        int readable = in.readableBytes();
        if (readable < PREFIX_BYTES) {
            return;
        }
        int start = in.readerIndex();
        // The header is read eight bytes at a time and its fields taken apart here: field by field,
        // each of some twenty reads would pass the buffer's index and reference-count checks (and
        // a wrapper's, for an accounted buffer).
        long prefix = in.getLong(start + MAGIC_OFFSET);
        MessageType type = checkPrefix(in, prefix);
        if (readable < HEADER_BYTES) {
            return;
        }
        int frameLength = (int) prefix;
        long layout = in.getLong(start + FLAGS_OFFSET);
        long commandAndTimeout = in.getLong(start + COMMAND_OFFSET);
        checkHeader(in, type, frameLength, layout, (int) commandAndTimeout, in.getInt(start + PAYLOAD_LENGTH_OFFSET));
        if (readable < frameLength) {
            return;
        }
        out.add(read(in, start, type, frameLength, layout, in.getLong(start + SOURCE_OFFSET), commandAndTimeout));
        in.readerIndex(start + frameLength);
        offset += frameLength;
        frames++;
    }

    /**
     * Called at the end of the input (a close, or a half-close) with what is left once every whole
     * frame was decoded: a truncated frame. It is fired down the pipeline rather than thrown: Netty
     * passes the end on first and the exception after it (channelInactive), or not at all
     * (ChannelInputShutdownEvent), so the handlers behind heard why the connection ended only once it
     * had, and a half-close inside a frame never.
     */
    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed || !in.isReadable()) {
            return;
        }
        int readable = in.readableBytes();
        String what = readable < PREFIX_BYTES
                ? "truncated frame: the connection closed after " + readable + " bytes of a header"
                : "truncated frame: the connection closed after " + readable + " of its "
                        + in.getInt(in.readerIndex() + FRAME_LENGTH_OFFSET) + " bytes";
        ctx.fireExceptionCaught(
                fail(in, ErrorCode.BAD_FRAME, readable, what + " (frame #" + (frames + 1) + " starts at " + offset + ")"));
    }

    /** Magic, version, type and frame length, from the frame's first eight bytes. */
    private MessageType checkPrefix(ByteBuf in, long prefix) {
        int magic = (int) (prefix >>> 48) & 0xFFFF;
        if (magic != MAGIC) {
            String bad = String.format("bad magic 0x%04x, expected 0x%04x ('MS')", magic, MAGIC);
            throw fail(in, ErrorCode.BAD_FRAME, MAGIC_OFFSET,
                    frames == 0 ? bad + ": not an msf agent peer" : "garbage after frame #" + frames + ": " + bad);
        }
        int version = (int) (prefix >>> 40) & 0xFF;
        if (version != this.version) {
            throw fail(in, ErrorCode.UNSUPPORTED_VERSION, VERSION_OFFSET, wrongVersion(version));
        }
        int code = (int) (prefix >>> 32) & 0xFF;
        MessageType type = MessageType.fromCode(code);
        if (type == null) {
            throw fail(in, ErrorCode.BAD_FRAME, TYPE_OFFSET, String.format("unknown message type 0x%02x", code));
        }
        if (type == MessageType.HELLO && agreed) {
            // protocol.md 7.1: refused here, not by the handler behind, which cannot tell where the frame began
            throw fail(in, ErrorCode.BAD_FRAME, TYPE_OFFSET, "a second HELLO");
        }
        int frameLength = (int) prefix;
        if (frameLength < 0) {
            throw fail(in, ErrorCode.BAD_FRAME, FRAME_LENGTH_OFFSET, "negative frame length " + frameLength);
        }
        if (frameLength < HEADER_BYTES) {
            throw fail(in, ErrorCode.BAD_FRAME, FRAME_LENGTH_OFFSET,
                    "frame length " + frameLength + " is shorter than the " + HEADER_BYTES + "-byte header");
        }
        if (frameLength > frameLimit) {
            throw fail(in, ErrorCode.TOO_LARGE, FRAME_LENGTH_OFFSET, "frame length " + frameLength
                    + " is over the maximum of " + frameLimit + " bytes" + (agreed ? "" : " before the HELLOs"));
        }
        return type;
    }

    /** Why a frame's {@code version} is refused. */
    private String wrongVersion(int version) {
        if (agreed) {
            return "protocol version " + version + ", but the HELLOs agreed on version " + this.version;
        }
        if (version < minVersion || version > maxVersion) {
            return "unsupported protocol version " + version + " (this end speaks " + minVersion + ".." + maxVersion
                    + ")";
        }
        return "protocol version " + version + " before the HELLOs agreed on one (until then frames carry version "
                + HELLO_VERSION + ")";
    }

    /**
     * Every other field of the header.
     *
     * @param layout the eight bytes from {@link Wire#FLAGS_OFFSET}: flags, error code, subject
     *     length, reserved
     */
    private void checkHeader(ByteBuf in, MessageType type, int frameLength, long layout, int timeout,
            int payloadLength) {
        int flags = flags(layout);
        if ((flags & ~type.allowedFlags()) != 0) {
            throw fail(in, ErrorCode.BAD_FRAME, FLAGS_OFFSET,
                    String.format("flags 0x%04x are not defined for %s", flags, type));
        }
        int code = errorCode(layout);
        ErrorCode error = ErrorCode.fromCode(code);
        if (error == null) {
            throw fail(in, ErrorCode.BAD_FRAME, ERROR_OFFSET, "unknown error code " + code);
        }
        if ((type == MessageType.ERROR) == (error == ErrorCode.OK)) {
            throw fail(in, ErrorCode.BAD_FRAME, ERROR_OFFSET, type == MessageType.ERROR
                    ? "ERROR frame without an error code"
                    : "error code " + error + " in a " + type + " frame; only ERROR frames carry one");
        }
        int subjectLength = subjectLength(layout);
        if (subjectLength > Protocol.MAX_SUBJECT_BYTES) {
            throw fail(in, ErrorCode.BAD_FRAME, SUBJECT_LENGTH_OFFSET, "subject length " + subjectLength
                    + " is over the bound of " + Protocol.MAX_SUBJECT_BYTES + " bytes");
        }
        int reserved = (int) layout & 0xFFFF;
        if (reserved != 0) {
            throw fail(in, ErrorCode.BAD_FRAME, RESERVED_OFFSET,
                    String.format("reserved field 0x%04x is not zero", reserved));
        }
        if (timeout < 0) {
            throw fail(in, ErrorCode.BAD_FRAME, TIMEOUT_OFFSET, String.format(
                    "timeout 0x%08x has its top bit set (the most is %d ms)", timeout, Integer.MAX_VALUE));
        }
        if (payloadLength < 0) {
            throw fail(in, ErrorCode.BAD_FRAME, PAYLOAD_LENGTH_OFFSET, "negative payload length " + payloadLength);
        }
        long parts = (long) HEADER_BYTES + subjectLength + payloadLength;
        if (parts != frameLength) {
            throw fail(in, ErrorCode.BAD_FRAME, FRAME_LENGTH_OFFSET, "lengths disagree: frame length " + frameLength
                    + ", but header " + HEADER_BYTES + " + subject " + subjectLength + " + payload " + payloadLength
                    + " = " + parts);
        }
    }

    private static int flags(long layout) {
        return (int) (layout >>> 48) & 0xFFFF;
    }

    private static int errorCode(long layout) {
        return (int) (layout >>> 32) & 0xFFFF;
    }

    private static int subjectLength(long layout) {
        return (int) (layout >>> 16) & 0xFFFF;
    }

    private Message read(ByteBuf in, int start, MessageType type, int frameLength, long layout,
            long sourceAndDestination, long commandAndTimeout) {
        int subjectLength = subjectLength(layout);
        int subjectIndex = start + HEADER_BYTES;
        String subject = subjectLength == 0 ? "" : subject(in, subjectIndex, subjectLength);
        int payloadIndex = subjectIndex + subjectLength;
        int payloadLength = frameLength - HEADER_BYTES - subjectLength;
        if (type == MessageType.HELLO) {
            checkHello(in, payloadIndex, payloadLength, payloadIndex - start);
        }
        // An empty payload pins nothing; a non-empty one shares the read buffer.
        ByteBuf payload = payloadLength == 0 ? Unpooled.EMPTY_BUFFER : in.retainedSlice(payloadIndex, payloadLength);
        int source = stampedSource != 0 ? stampedSource : (int) (sourceAndDestination >>> 32);
        return new Message(type, flags(layout), ErrorCode.fromCode(errorCode(layout)), source,
                (int) sourceAndDestination, subject, (int) (commandAndTimeout >>> 32),
                in.getLong(start + SEQUENCE_OFFSET), (int) commandAndTimeout, payload);
    }

    /** The subject at {@code index}: the last one again if its bytes are the same, else checked and decoded. */
    private String subject(ByteBuf in, int index, int length) {
        if (length == lastSubjectBytes.length) {
            in.getBytes(index, subjectScratch, 0, length);
            if (Arrays.equals(subjectScratch, 0, length, lastSubjectBytes, 0, length)) {
                return lastSubject;
            }
        }
        if (!ByteBufUtil.isText(in, index, length, UTF_8)) {
            throw fail(in, ErrorCode.BAD_FRAME, HEADER_BYTES, "subject is not valid UTF-8");
        }
        lastSubject = in.toString(index, length, UTF_8);
        lastSubjectBytes = ByteBufUtil.getBytes(in, index, length);
        return lastSubject;
    }

    private void checkHello(ByteBuf in, int bodyIndex, int bodyLength, int bodyOffset) {
        try {
            Hello.read(in.slice(bodyIndex, bodyLength));
        } catch (IllegalArgumentException e) {
            throw fail(in, ErrorCode.BAD_FRAME, bodyOffset, "bad HELLO body (" + e.getMessage() + ")");
        }
    }

    /** Gives up on the stream: drops what is buffered and everything that follows. */
    private MalformedFrameException fail(ByteBuf in, ErrorCode code, int fieldOffset, String what) {
        failed = true;
        in.skipBytes(in.readableBytes());
        long at = offset + fieldOffset;
        return new MalformedFrameException(code, at, what + " at offset " + at);
    }
}
