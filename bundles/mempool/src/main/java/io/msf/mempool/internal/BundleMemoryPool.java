package io.msf.mempool.internal;

import io.msf.mempool.api.MemoryPool;
import io.msf.mempool.api.PoolUsage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;

/**
 * The {@link MemoryPool} service: each bundle that gets it gets its own instance, charging it.
 * Nothing to do when SCR deactivates an instance: when the bundle stops, the manager closes its
 * account and reports the buffers it still holds as a leak under its name, however the account was
 * opened (see {@link MemoryPoolManager}); and SCR also deactivates an instance when a running
 * bundle merely lets go of the service, whose buffers may still be in flight.
 */
@Component(service = MemoryPool.class, scope = ServiceScope.BUNDLE)
public final class BundleMemoryPool implements MemoryPool {

    private final MemoryPool pool;

    @Activate
    public BundleMemoryPool(ComponentContext context, @Reference MemoryPoolManager manager) {
        this.pool = manager.poolFor(context.getUsingBundle());
    }

    @Override
    public ByteBuf buffer(int initialCapacity) {
        return pool.buffer(initialCapacity);
    }

    @Override
    public ByteBuf buffer(int initialCapacity, int maxCapacity) {
        return pool.buffer(initialCapacity, maxCapacity);
    }

    @Override
    public ByteBuf heapBuffer(int initialCapacity) {
        return pool.heapBuffer(initialCapacity);
    }

    @Override
    public ByteBufAllocator allocator() {
        return pool.allocator();
    }

    @Override
    public PoolUsage usage() {
        return pool.usage();
    }
}
