package io.msf.bench.broker;

import java.util.Arrays;

/** The payload bytes every system sends: fixed, so no generator is measured. */
final class Payloads {

    static final int MAX_BYTES = 64 * 1024;
    private static final byte[] BYTES = new byte[MAX_BYTES];

    static {
        for (int i = 0; i < BYTES.length; i++) {
            BYTES[i] = (byte) ('a' + i % 26);
        }
    }

    private Payloads() {
    }

    /** {@code size} bytes in an array of exactly that length (NATS sends whole arrays); cached per size. */
    static byte[] array(int size) {
        return Cache.get(size);
    }

    /** The shared bytes; copy from it, never write to it. */
    static byte[] source() {
        return BYTES;
    }

    static void checkReply(int expected, int actual) {
        if (expected != actual) {
            throw new IllegalStateException("reply of " + actual + " bytes to a request of " + expected);
        }
    }

    private static final class Cache {
        private static volatile byte[][] arrays = new byte[0][];

        static byte[] get(int size) {
            byte[][] known = arrays;
            for (byte[] array : known) {
                if (array.length == size) {
                    return array;
                }
            }
            synchronized (Cache.class) {
                byte[][] grown = Arrays.copyOf(arrays, arrays.length + 1);
                grown[grown.length - 1] = Arrays.copyOf(BYTES, size);
                arrays = grown;
                return grown[grown.length - 1];
            }
        }
    }
}
