package io.msf.itests.tenant;

import io.msf.mempool.api.MemoryPool;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import org.osgi.framework.BundleContext;

/** Allocates pooled buffers and never releases them: a leak the pool must report by this bundle's name. */
public final class PoolTenant extends Tenant {

    public static final String KIND = "pool";
    public static final int BUFFERS = 3;
    public static final int BUFFER_BYTES = 4096;

    // Held so that the buffers stay reachable (and unreleased) after stop.
    private final List<ByteBuf> held = new ArrayList<>();

    @Override
    public void start(BundleContext context) {
        MemoryPool pool = service(context, MemoryPool.class);
        for (int i = 0; i < BUFFERS; i++) {
            held.add(pool.buffer(BUFFER_BYTES));
        }
        publish(context, KIND, held);
    }
}
