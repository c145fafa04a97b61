package io.msf.mempool.api;

/**
 * Figures of the pooled allocator itself: Netty's {@code PooledByteBufAllocator.DEFAULT}, the one the
 * memory pool takes every bundle's buffers from (and that outlives a restart of the pool, so that the
 * event loops' thread caches stay in it). Anything else using that allocator directly counts here too.
 *
 * @param usedDirectMemory bytes of direct memory the allocator holds (in use or cached)
 * @param usedHeapMemory bytes of heap the allocator holds
 * @param directArenas number of direct arenas
 * @param heapArenas number of heap arenas
 * @param chunkSize size of one chunk in bytes
 */
public record ArenaStats(long usedDirectMemory, long usedHeapMemory, int directArenas, int heapArenas,
        int chunkSize) {
}
