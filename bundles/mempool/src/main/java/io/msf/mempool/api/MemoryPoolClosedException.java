package io.msf.mempool.api;

/**
 * An allocation was refused because the bundle it is charged to has stopped: its account is closed. Thrown
 * to what the stopped bundle left running (a thread, a late read on a channel it owned), and to any code
 * that copies or grows a buffer that bundle allocated (copy what you keep into your own pool first). Thrown
 * too, with a message saying so, through a pool whose memory pool service has stopped (the mempool bundle
 * was refreshed, updated or stopped): the bundle runs on, and gets the service again.
 */
public final class MemoryPoolClosedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String bundle;
    private final long bundleId;

    public MemoryPoolClosedException(String bundle, long bundleId) {
        this(bundle, bundleId, "bundle " + bundle + " [" + bundleId + "] has stopped: its memory pool is closed");
    }

    /**
     * The pool was closed for another reason than its bundle's stop, told by {@code message}: the memory pool
     * service that handed it out stopped (the mempool bundle was refreshed, updated or stopped) while the
     * bundle runs on; the bundle gets the service again for a pool that works.
     */
    public MemoryPoolClosedException(String bundle, long bundleId, String message) {
        super(message);
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
