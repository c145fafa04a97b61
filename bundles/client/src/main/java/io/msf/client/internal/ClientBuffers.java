package io.msf.client.internal;

import io.netty.buffer.PooledByteBufAllocator;

/**
 * The buffers of every client in the JVM: one pooled allocator with Netty's default sizes, but
 * with a thread cache for every thread that allocates, not only for Netty's own threads.
 *
 * <p>Why not {@link PooledByteBufAllocator#DEFAULT}: it caches for Netty's threads only, while the
 * payloads a program publishes or sends are allocated on its own threads. Without a cache each of
 * those allocations locks a shared arena, and so does each release on the I/O thread once the
 * frame is written: the sending thread and the I/O thread then contend for that lock on every
 * message, which took about a quarter of a publishing client's CPU (bench/RESULTS.md, 2026-11-29
 * 17:55). With a cache the sender takes memory from its own cache, and the I/O thread hands it back
 * through the cache's lock-free queue. A cache is bounded by Netty's cache sizes and returns its
 * memory to the pool when its thread is gone.
 */
final class ClientBuffers {

    static final PooledByteBufAllocator ALLOCATOR = new PooledByteBufAllocator(
            PooledByteBufAllocator.defaultPreferDirect(),
            PooledByteBufAllocator.defaultNumHeapArena(),
            PooledByteBufAllocator.defaultNumDirectArena(),
            PooledByteBufAllocator.defaultPageSize(),
            PooledByteBufAllocator.defaultMaxOrder(),
            PooledByteBufAllocator.defaultSmallCacheSize(),
            PooledByteBufAllocator.defaultNormalCacheSize(),
            true);

    private ClientBuffers() {
    }
}
