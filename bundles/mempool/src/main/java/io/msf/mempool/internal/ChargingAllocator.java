package io.msf.mempool.internal;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * Takes buffers from the shared pooled allocator and charges them to one account. Usable wherever
 * Netty takes an allocator ({@code ChannelOption.ALLOCATOR}); the buffers it returns hand this
 * allocator out again from {@code alloc()}, so what a pipeline derives from them is charged too.
 */
final class ChargingAllocator extends AbstractByteBufAllocator {

    private final PooledByteBufAllocator pool;
    private final Account account;

    ChargingAllocator(PooledByteBufAllocator pool, Account account) {
        super(true);
        this.pool = pool;
        this.account = account;
    }

    Account account() {
        return account;
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return charged(initialCapacity, maxCapacity, true);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return charged(initialCapacity, maxCapacity, false);
    }

    /** A buffer of the pool charged to the account, the charge given back if the pool has none to give. */
    private ByteBuf charged(int initialCapacity, int maxCapacity, boolean direct) {
        long inUse = account.charge(initialCapacity);
        ByteBuf pooled;
        try {
            pooled = direct ? pool.directBuffer(initialCapacity, maxCapacity)
                    : pool.heapBuffer(initialCapacity, maxCapacity);
        } catch (Throwable outOfMemory) {
            account.uncharge(initialCapacity);
            throw outOfMemory;
        }
        account.raisePeak(inUse);
        return new AccountedByteBuf(pooled, this, initialCapacity);
    }

    @Override
    public boolean isDirectBufferPooled() {
        return true;
    }

    @Override
    public String toString() {
        return "ChargingAllocator(" + account.bundle() + ')';
    }
}
