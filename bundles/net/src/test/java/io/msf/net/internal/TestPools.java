package io.msf.net.internal;

import io.msf.mempool.api.ArenaStats;
import io.msf.mempool.api.LeakReport;
import io.msf.mempool.api.MemoryLimitExceededException;
import io.msf.mempool.api.MemoryPool;
import io.msf.mempool.api.MemoryPoolClosedException;
import io.msf.mempool.api.MemoryPoolAdmin;
import io.msf.mempool.api.PoolUsage;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.Bundle;

/**
 * A stand-in for the memory pool: every owner gets its own allocator object (so tests can see
 * whose allocator a channel uses), all backed by Netty's default pooled allocator.
 */
final class TestPools implements MemoryPoolAdmin {

    private final Map<Long, MemoryPool> pools = new ConcurrentHashMap<>();
    /** The owners whose allocations are refused, as over their limit. */
    private final Set<Long> refused = ConcurrentHashMap.newKeySet();
    /** The owners whose allocations are refused, as stopped. */
    private final Set<Long> closed = ConcurrentHashMap.newKeySet();

    @Override
    public MemoryPool poolFor(Bundle owner) {
        return pools.computeIfAbsent(owner.getBundleId(), id -> new OwnerPool(id));
    }

    /** From now on the owner's allocations are refused ({@code true}) as over its limit, or granted again. */
    void refuse(long bundleId, boolean refuse) {
        if (refuse) {
            refused.add(bundleId);
        } else {
            refused.remove(bundleId);
        }
    }

    /** From now on the owner's allocations are refused as the memory pool refuses them once the owner stopped. */
    void close(long bundleId) {
        closed.add(bundleId);
    }

    @Override
    public List<PoolUsage> usage() {
        return List.of();
    }

    @Override
    public ArenaStats arenas() {
        return new ArenaStats(0, 0, 0, 0, 0);
    }

    @Override
    public List<LeakReport> leaks() {
        return List.of();
    }

    private final class OwnerPool implements MemoryPool {

        private final long owner;

        OwnerPool(long owner) {
            this.owner = owner;
        }

        private final ByteBufAllocator allocator = new AbstractByteBufAllocator(true) {
            @Override
            protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
                checkLimit(initialCapacity);
                return PooledByteBufAllocator.DEFAULT.heapBuffer(initialCapacity, maxCapacity);
            }

            @Override
            protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
                checkLimit(initialCapacity);
                return PooledByteBufAllocator.DEFAULT.directBuffer(initialCapacity, maxCapacity);
            }

            @Override
            public boolean isDirectBufferPooled() {
                return true;
            }
        };

        @Override
        public ByteBuf buffer(int initialCapacity) {
            return allocator.directBuffer(initialCapacity);
        }

        @Override
        public ByteBuf buffer(int initialCapacity, int maxCapacity) {
            return allocator.directBuffer(initialCapacity, maxCapacity);
        }

        @Override
        public ByteBuf heapBuffer(int initialCapacity) {
            return allocator.heapBuffer(initialCapacity);
        }

        @Override
        public ByteBufAllocator allocator() {
            return allocator;
        }

        private void checkLimit(int bytes) {
            if (closed.contains(owner)) {
                throw new MemoryPoolClosedException("test.owner", owner);
            }
            if (refused.contains(owner)) {
                throw new MemoryLimitExceededException("bundle " + owner, bytes, 0, 0);
            }
        }

        @Override
        public PoolUsage usage() {
            return new PoolUsage("test", 0, 0, 0, 0, 0, 0, 0, Map.of());
        }
    }
}
