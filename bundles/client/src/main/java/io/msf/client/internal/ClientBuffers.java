package io.msf.client.internal;

import io.netty.buffer.AdaptiveByteBufAllocator;

/**
 * The buffers of every client in the JVM: Netty's adaptive pooling allocator (the default
 * allocator of Netty 4.2), whatever {@code io.netty.allocator.type} says.
 *
 * <p>Why not {@code PooledByteBufAllocator.DEFAULT}: it keeps thread caches for Netty's own
 * threads only, while the payloads a program publishes or sends are allocated on the program's
 * threads and released on the client's I/O thread once written. Each such allocation and each
 * release then locked the same arena, and the sending thread and the I/O thread contended for
 * that lock on every message: about a quarter of a publishing client's CPU in a profile
 * (bench/RESULTS.md, 2026-11-29 17:55). Turning on its caches for all threads removes the lock
 * but pins memory in the cache of every thread that ever allocated, until a finalizer runs after
 * the thread is gone (many short-lived or virtual threads). The adaptive allocator shares its
 * pools among threads without per-thread caches and allocates from any thread without that lock.
 */
final class ClientBuffers {

    static final AdaptiveByteBufAllocator ALLOCATOR = new AdaptiveByteBufAllocator();

    private ClientBuffers() {
    }
}
