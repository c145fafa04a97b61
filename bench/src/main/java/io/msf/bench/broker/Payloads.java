package io.msf.bench.broker;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The payload bytes every system sends: fixed, so no generator is measured. */
final class Payloads {

    private static final byte[] BYTES = new byte[64 * 1024];
    private static final Map<Integer, byte[]> ARRAYS = new ConcurrentHashMap<>();

    static {
        for (int i = 0; i < BYTES.length; i++) {
            BYTES[i] = (byte) ('a' + i % 26);
        }
    }

    private Payloads() {
    }

    /** {@code size} bytes in an array of exactly that length (jnats sends whole arrays); one per size. */
    static byte[] array(int size) {
        return ARRAYS.computeIfAbsent(size, n -> Arrays.copyOf(BYTES, n));
    }

    /** The shared bytes (at least 64 KiB) to copy payloads from; never written to. */
    static byte[] source() {
        return BYTES;
    }

    static void checkReply(int expected, int actual) {
        if (expected != actual) {
            throw new IllegalStateException("reply of " + actual + " bytes to a request of " + expected);
        }
    }
}
