package io.msf.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Payloads that keep a much larger buffer alive. A payload the decoder hands on is a slice of the
 * connection's read buffer, up to 128 KiB read at once, so as not to copy it: queued behind a slow
 * reader, a 2 KiB payload kept that whole buffer alive, while the queue's bound (the high-water mark)
 * counted 2 KiB; a few thousand such payloads held hundreds of MiB. What is to wait in a queue is
 * copied into a buffer of its own when it keeps more than {@link #MOST_KEPT_PER_BYTE} times its own
 * bytes alive; a payload that fills most of its buffer goes as it is.
 */
public final class Payloads {

    /** A payload that waits keeps at most this many times its own bytes alive. */
    public static final int MOST_KEPT_PER_BYTE = 4;

    private Payloads() {
    }

    /** Whether {@code payload} keeps alive a buffer more than {@link #MOST_KEPT_PER_BYTE} times its size. */
    public static boolean keepsMoreAlive(ByteBuf payload) {
        int bytes = payload.readableBytes();
        // Down to the buffer that holds the memory: a slice's or duplicate's root, through wrappers (a memory
        // pool's accounted view of a slice unwraps to the slice, the slice to its root).
        ByteBuf backing = payload;
        for (ByteBuf inner = payload.unwrap(); inner != null; inner = inner.unwrap()) {
            backing = inner;
        }
        return bytes > 0 && backing.capacity() / MOST_KEPT_PER_BYTE > bytes;
    }

    /** A new buffer from {@code alloc} holding {@code payload}'s readable bytes; {@code payload} is left as it is. */
    public static ByteBuf copyOf(ByteBuf payload, ByteBufAllocator alloc) {
        int bytes = payload.readableBytes();
        ByteBuf copy = alloc.buffer(bytes, bytes);
        try {
            return copy.writeBytes(payload, payload.readerIndex(), bytes);
        } catch (RuntimeException e) {
            copy.release();
            throw e;
        }
    }
}
