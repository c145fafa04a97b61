package io.msf.mempool.api;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Pooled buffers charged to one bundle.
 *
 * <p>Obtained as a service, the pool is bundle scoped: what the calling bundle allocates is
 * charged to it, counted against its limit (if one is configured) and released back to its
 * account when the buffer's reference count reaches zero. Buffers it has not released when it
 * stops are reported as a leak with its name (see {@link MemoryPoolAdmin#leaks()}).
 *
 * <p>Buffers are Netty's pooled buffers; release them as any Netty buffer
 * ({@code ReferenceCountUtil.release}). Derived buffers (slices, duplicates) share the charge
 * of the buffer they came from.
 *
 * <p>A buffer stays charged to the bundle that allocated it, whoever holds it: one handed to another
 * bundle (a message's payload) is credited to the allocating bundle's account when the other releases
 * it, or to its leak report if it stopped meanwhile; the account is credited once, never below zero.
 * A buffer carries its owner's allocator, so its copies ({@code copy()}, {@code readBytes(int)}) and
 * what is allocated through its {@code alloc()} are charged to that owner too, and count against its
 * limit, whichever bundle makes them. A bundle that keeps data it was handed beyond its handling copies
 * it into a buffer of its own pool ({@code pool.buffer(n).writeBytes(received)}) so that the data is
 * charged to it, and is not reported as the sender's leak when the sender stops.
 *
 * <p>When the bundle stops its account is closed: whatever is allocated through it after that (by a thread
 * the bundle left running, a late read on a channel it owned, a copy or the growth of a buffer it allocated)
 * is refused with a {@link MemoryPoolClosedException} naming the bundle. Its buffers are still released as
 * before. So is whatever is allocated through a pool whose service has stopped (the mempool bundle was
 * refreshed, updated or stopped) while the bundle runs on: get the service again.
 */
@ProviderType
public interface MemoryPool {

    /**
     * A pooled direct buffer.
     *
     * @throws IllegalArgumentException if {@code initialCapacity} is negative (the message names it); nothing
     *     is charged
     * @throws MemoryLimitExceededException if the allocation would take the owner over its limit. The limit
     *     is checked against the owner's use at that moment: threads allocating for the same owner at the
     *     same moment may each pass the check, so the owner can go over its limit by one buffer per such thread
     * @throws MemoryPoolClosedException if the owner, or the service that handed this pool out, has stopped
     */
    ByteBuf buffer(int initialCapacity);

    /**
     * A pooled direct buffer that may grow up to {@code maxCapacity}.
     *
     * @throws IllegalArgumentException if either capacity is negative or {@code initialCapacity} is above
     *     {@code maxCapacity} (the message names them); nothing is charged
     * @throws MemoryLimitExceededException as {@link #buffer(int)}
     * @throws MemoryPoolClosedException as {@link #buffer(int)}
     */
    ByteBuf buffer(int initialCapacity, int maxCapacity);

    /**
     * A pooled heap buffer, charged like a direct one.
     *
     * @throws IllegalArgumentException as {@link #buffer(int)}
     * @throws MemoryLimitExceededException as {@link #buffer(int)}
     * @throws MemoryPoolClosedException as {@link #buffer(int)}
     */
    ByteBuf heapBuffer(int initialCapacity);

    /**
     * An allocator that charges this pool's owner, for Netty pipelines
     * ({@code ChannelOption.ALLOCATOR}) and any code that takes a {@link ByteBufAllocator}.
     */
    ByteBufAllocator allocator();

    /** The owner's current figures. */
    PoolUsage usage();
}
