package io.msf.mempool.api;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;
import org.osgi.framework.Bundle;

/** The container-wide view of the memory pool: every owner's figures, leaks, and pools for others. */
@ProviderType
public interface MemoryPoolAdmin {

    /**
     * Figures for every bundle with an account that has not stopped since, largest use first: one that got the
     * {@link MemoryPool} service, or one another bundle allocates for ({@link #poolFor}), listed with zeros until
     * it allocates. A stopped bundle's account is closed, and what it kept is in {@link #leaks()}.
     */
    List<PoolUsage> usage();

    /** Figures for the whole pooled allocator (arenas, chunks), independent of owners. */
    ArenaStats arenas();

    /**
     * Buffers left unreleased by bundles that have stopped, newest first, as many as msf.mempool
     * leakReportsKept. Reports filed before this service restarted (the mempool bundle refreshed or updated)
     * are kept, with {@link LeakReport#buffersNow()} as it was at the restart; a new run of the framework
     * starts with none.
     */
    List<LeakReport> leaks();

    /**
     * A pool that charges {@code owner}, for infrastructure that allocates on a bundle's behalf
     * (the network service charges an endpoint's buffers to the bundle that owns the endpoint).
     * The account is closed when {@code owner} stops, as that of its own {@link MemoryPool}: what it
     * still holds then is reported as its leak; asked again after that, a new account. Every pool this
     * service handed out is closed when the service stops (its bundle refreshed, updated or stopped): get
     * the service again.
     *
     * @throws MemoryPoolClosedException if this service has stopped
     */
    MemoryPool poolFor(Bundle owner);
}
