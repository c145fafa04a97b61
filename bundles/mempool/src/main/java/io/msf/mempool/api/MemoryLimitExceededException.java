package io.msf.mempool.api;

/** An allocation was refused because it would take its owner over its configured limit. */
public final class MemoryLimitExceededException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String bundle;
    private final long requested;
    private final long inUse;
    private final long limit;

    public MemoryLimitExceededException(String bundle, long requested, long inUse, long limit) {
        super("bundle " + bundle + " asked for " + requested + " bytes with " + inUse + " in use; its limit is "
                + limit + " bytes (msf.mempool bundleLimits if it names the bundle, else defaultLimit)");
        this.bundle = bundle;
        this.requested = requested;
        this.inUse = inUse;
        this.limit = limit;
    }

    public String bundle() {
        return bundle;
    }

    public long requested() {
        return requested;
    }

    public long inUse() {
        return inUse;
    }

    public long limit() {
        return limit;
    }
}
