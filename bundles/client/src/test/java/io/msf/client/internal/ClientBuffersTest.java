package io.msf.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.PoolArenaMetric;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

class ClientBuffersTest {

    private static final int BUFFERS = 1000;

    @Test
    void aProgramsOwnThreadAllocatesFromItsCacheNotFromTheSharedArena() throws Exception {
        long served = arenaAllocations(ClientBuffers.ALLOCATOR, () -> allocateAndRelease(ClientBuffers.ALLOCATOR));

        // the first allocation fills the thread's cache; the others come from it
        assertThat(served).isLessThan(BUFFERS / 10);
    }

    @Test
    void nettysDefaultAllocatorWouldLockTheArenaForEveryBuffer() throws Exception {
        // what ClientBuffers exists for: DEFAULT caches for Netty's threads only
        long served = arenaAllocations(PooledByteBufAllocator.DEFAULT,
                () -> allocateAndRelease(PooledByteBufAllocator.DEFAULT));

        assertThat(served).isGreaterThanOrEqualTo(BUFFERS);
    }

    private static void allocateAndRelease(PooledByteBufAllocator allocator) {
        for (int i = 0; i < BUFFERS; i++) {
            allocator.directBuffer(64).writeLong(i).release();
        }
    }

    /** Allocations the arenas served themselves (a thread cache's are not counted) while a plain thread ran. */
    private static long arenaAllocations(PooledByteBufAllocator allocator, Runnable work) throws InterruptedException {
        long before = smallAllocations(allocator);
        Thread plain = new Thread(work, "plain-sender");
        plain.start();
        plain.join();
        return smallAllocations(allocator) - before;
    }

    private static long smallAllocations(PooledByteBufAllocator allocator) {
        return allocator.metric().directArenas().stream().mapToLong(PoolArenaMetric::numSmallAllocations).sum();
    }
}
