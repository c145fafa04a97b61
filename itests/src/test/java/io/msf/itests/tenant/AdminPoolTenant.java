package io.msf.itests.tenant;

import io.msf.mempool.api.MemoryPool;
import io.msf.mempool.api.MemoryPoolAdmin;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import org.osgi.framework.BundleContext;

/**
 * Allocates as the network service and the agent's client do for a bundle: through
 * {@link MemoryPoolAdmin#poolFor}, never through a {@code MemoryPool} service of its own; and never
 * releases. The pool must still report the leak by this bundle's name when it stops.
 */
public final class AdminPoolTenant extends Tenant {

    public static final String KIND = "admin-pool";
    public static final int BUFFERS = 2;
    public static final int BUFFER_BYTES = 8192;

    // Held so that the buffers stay reachable (and unreleased) after stop.
    private final List<ByteBuf> held = new ArrayList<>();

    @Override
    public void start(BundleContext context) {
        MemoryPool pool = service(context, MemoryPoolAdmin.class).poolFor(context.getBundle());
        held.add(pool.buffer(BUFFER_BYTES));
        held.add(pool.allocator().directBuffer(BUFFER_BYTES));
        publish(context, KIND, held);
    }
}
