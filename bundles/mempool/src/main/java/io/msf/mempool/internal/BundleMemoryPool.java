package io.msf.mempool.internal;

import io.msf.mempool.api.MemoryPool;
import io.msf.mempool.api.PoolUsage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.osgi.framework.Bundle;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;

/**
 * The {@link MemoryPool} service: each bundle that gets it gets its own instance, charging it.
 * When the bundle stops, SCR deactivates its instance, and buffers the bundle still holds are
 * reported as a leak under its name.
 */
@Component(service = MemoryPool.class, scope = ServiceScope.BUNDLE)
public final class BundleMemoryPool implements MemoryPool {

    private final MemoryPoolManager manager;
    private final Bundle owner;
    private final MemoryPool pool;

    @Activate
    public BundleMemoryPool(ComponentContext context, @Reference MemoryPoolManager manager) {
        this.manager = manager;
        this.owner = context.getUsingBundle();
        this.pool = manager.poolFor(owner);
    }

    @Deactivate
    void deactivate() {
        // SCR also drops the instance when a running bundle merely lets go of the service (one of its
        // components went away): that is no end of life, and its buffers may still be in flight.
        if (owner.getState() != Bundle.ACTIVE) {
            manager.bundleStopped(owner);
        }
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
