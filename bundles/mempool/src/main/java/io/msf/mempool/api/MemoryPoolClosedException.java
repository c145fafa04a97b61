package io.msf.mempool.api;

/**
 * An allocation was refused because the bundle it is charged to has stopped: its account is closed. Thrown
 * to what the stopped bundle left running (a thread, a late read on a channel it owned), and to any code
 * that copies or grows a buffer that bundle allocated (copy what you keep into your own pool first).
 */
public final class MemoryPoolClosedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String bundle;
    private final long bundleId;

    public MemoryPoolClosedException(String bundle, long bundleId) {
        super("bundle " + bundle + " [" + bundleId + "] has stopped: its memory pool is closed");
        this.bundle = bundle;
        this.bundleId = bundleId;
    }

    /** The symbolic name of the bundle that stopped. */
    public String bundle() {
        return bundle;
    }

    public long bundleId() {
        return bundleId;
    }
}
