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
 */
@ProviderType
public interface MemoryPool {

    /**
     * A pooled direct buffer.
     *
     * @throws MemoryLimitExceededException if the allocation would take the owner over its limit
     */
    ByteBuf buffer(int initialCapacity);

    /** A pooled direct buffer that may grow up to {@code maxCapacity}. */
    ByteBuf buffer(int initialCapacity, int maxCapacity);

    /** A pooled heap buffer, charged like a direct one. */
    ByteBuf heapBuffer(int initialCapacity);

    /**
     * An allocator that charges this pool's owner, for Netty pipelines
     * ({@code ChannelOption.ALLOCATOR}) and any code that takes a {@link ByteBufAllocator}.
     */
    ByteBufAllocator allocator();

    /** The owner's current figures. */
    PoolUsage usage();
}
