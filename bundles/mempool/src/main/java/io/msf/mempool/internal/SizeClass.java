package io.msf.mempool.internal;

/**
 * Power-of-two size classes for the allocation statistics: class {@code k} holds the capacities in
 * (2<sup>k-1</sup>, 2<sup>k</sup>], so 4096 counts as {@code <=4KiB} and 4097 as {@code <=8KiB}.
 */
final class SizeClass {

    /** Classes 0 ({@code <=1B}) to 31 ({@code <=2GiB}) cover every int capacity. */
    static final int COUNT = 32;

    private SizeClass() {
    }

    /** One instruction's worth of work: it runs on every allocation. */
    static int of(int capacity) {
        return 32 - Integer.numberOfLeadingZeros(Math.max(capacity, 1) - 1);
    }

    static String label(int sizeClass) {
        return "<=" + ByteSize.format(1L << sizeClass);
    }
}
