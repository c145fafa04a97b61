package io.msf.rpc.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The decoded arguments of one handler's calls waiting for its executor, and the memory they are
 * estimated to hold, bounded by {@link #MAX_BYTES}. An executor bounds its queue by calls, not by
 * their size (a bundle's pool from ServiceExecutors takes 1,024 per thread), and every waiting call
 * holds its arguments decoded: a few peers sending large calls to a busy service would otherwise
 * fill the heap.
 *
 * <p>A call's arguments are let go as soon as it is taken to run or dropped (its caller answered
 * with TIMEOUT or PEER_OFFLINE): its task may stay in the executor's queue until a thread comes to
 * it, but holds no arguments by then.
 */
final class WaitingArguments {

    /** The most the arguments of one handler's waiting calls may be estimated to hold. */
    static final long MAX_BYTES = 32L << 20;
    /**
     * What a CBOR token is counted to hold decoded, past its bytes: an empty map is one byte of CBOR
     * and two tokens, and some 60 bytes decoded.
     */
    static final int BYTES_PER_TOKEN = 64;

    private final AtomicLong waitingBytes = new AtomicLong();

    /** What arguments of {@code payloadBytes} bytes and {@code tokens} tokens are estimated to hold decoded. */
    static long estimate(int payloadBytes, long tokens) {
        return payloadBytes + tokens * BYTES_PER_TOKEN;
    }

    /**
     * {@code args} as a waiting call's, counted until taken or dropped. A call waits when no other
     * does, however large: a frame's size bounds it as it does a call run in place, and a bound it
     * could never pass would answer it OVERLOADED for ever.
     *
     * @return null if they would take the waiting calls' arguments past {@link #MAX_BYTES}
     */
    Call admit(Object[] args, long bytes) {
        long before;
        do {
            before = waitingBytes.get();
            if (before > 0 && before + bytes > MAX_BYTES) {
                return null;
            }
        } while (!waitingBytes.compareAndSet(before, before + bytes));
        return new Call(args, bytes);
    }

    /** The estimate of what the waiting calls' arguments hold now. */
    long bytes() {
        return waitingBytes.get();
    }

    /** One waiting call's arguments. */
    final class Call {

        private final AtomicReference<Object[]> args;
        private final long bytes;

        private Call(Object[] args, long bytes) {
            this.args = new AtomicReference<>(args);
            this.bytes = bytes;
        }

        /** The arguments, for the call about to run; null if it was dropped (not to be made). */
        Object[] take() {
            Object[] taken = args.getAndSet(null);
            if (taken != null) {
                waitingBytes.addAndGet(-bytes);
            }
            return taken;
        }

        /** Lets the arguments go, unless the call was taken already. */
        void drop() {
            take();
        }
    }
}
