package io.msf.mempool.api;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;
import org.osgi.framework.Bundle;

/** The container-wide view of the memory pool: every owner's figures, leaks, and pools for others. */
@ProviderType
public interface MemoryPoolAdmin {

    /** Figures for every bundle that has allocated, largest use first. */
    List<PoolUsage> usage();

    /** Figures for the whole pooled allocator (arenas, chunks), independent of owners. */
    ArenaStats arenas();

    /** Buffers left unreleased by bundles that have stopped, newest first. */
    List<LeakReport> leaks();

    /**
     * A pool that charges {@code owner}, for infrastructure that allocates on a bundle's behalf
     * (the network service charges an endpoint's buffers to the bundle that owns the endpoint).
     */
    MemoryPool poolFor(Bundle owner);
}
