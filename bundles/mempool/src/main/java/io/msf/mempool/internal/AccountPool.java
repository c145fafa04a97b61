package io.msf.mempool.internal;

import io.msf.mempool.api.MemoryPool;
import io.msf.mempool.api.PoolUsage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** The pool as one owner sees it: every buffer charged to that owner's account. */
final class AccountPool implements MemoryPool {

    private final ChargingAllocator allocator;

    AccountPool(ChargingAllocator allocator) {
        this.allocator = allocator;
    }

    Account account() {
        return allocator.account();
    }

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

    @Override
    public PoolUsage usage() {
        return allocator.account().usage();
    }

    @Override
    public String toString() {
        return "MemoryPool(" + allocator.account().bundle() + ')';
    }
}
