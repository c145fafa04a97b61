package io.msf.mempool.api;

import java.util.Map;

/**
 * One bundle's account in the pool.
 *
 * @param bundle the owner's symbolic name
 * @param bundleId the owner's bundle id
 * @param bytesInUse capacity of the owner's live buffers
 * @param peakBytes the highest bytesInUse seen
 * @param liveBuffers buffers allocated and not yet released
 * @param allocations buffers allocated so far
 * @param refusals allocations refused because of the limit
 * @param limitBytes the configured limit, 0 for none
 * @param allocationsBySizeClass allocations so far by size class (label like {@code "<=4KiB"})
 */
public record PoolUsage(String bundle, long bundleId, long bytesInUse, long peakBytes, long liveBuffers,
        long allocations, long refusals, long limitBytes, Map<String, Long> allocationsBySizeClass) {
}
