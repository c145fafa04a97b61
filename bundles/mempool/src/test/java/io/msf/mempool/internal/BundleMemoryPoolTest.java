package io.msf.mempool.internal;

import static io.msf.mempool.internal.MemoryPoolManagerTest.bundle;
import static io.msf.mempool.internal.PoolSettingsTest.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.msf.mempool.api.LeakReport;
import io.netty.buffer.ByteBuf;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.log.Logger;

class BundleMemoryPoolTest {

    private final MemoryPoolManager manager = new MemoryPoolManager(config("0", "", 10), Map.of(),
            mock(BundleContext.class), mock(Logger.class));
    private final Bundle user = bundle(42, "io.msf.demo.echo");

    @Test
    void chargesTheBundleThatUsesIt() {
        BundleMemoryPool pool = new BundleMemoryPool(contextOf(user), manager);
        ByteBuf buf = pool.buffer(100, 200);
        ByteBuf heap = pool.heapBuffer(50);
        ByteBuf other = pool.allocator().buffer(25);

        assertThat(buf.maxCapacity()).isEqualTo(200);
        assertThat(manager.poolFor(user).usage().bytesInUse()).isEqualTo(175);
        assertThat(pool.usage().bundle()).isEqualTo("io.msf.demo.echo");
        buf.release();
        heap.release();
        other.release();
    }

    @Test
    void itsBundlesStopFilesOneLeakReport() {
        BundleMemoryPool pool = new BundleMemoryPool(contextOf(user), manager);
        pool.buffer(100);
        when(user.getState()).thenReturn(Bundle.RESOLVED);

        // SCR drops the instance while the bundle stops (nothing to do: see BundleMemoryPool), then
        // the framework tells the manager that the bundle stopped, and that it was uninstalled.
        manager.bundleChanged(new BundleEvent(BundleEvent.STOPPED, user));
        when(user.getState()).thenReturn(Bundle.UNINSTALLED);
        manager.bundleChanged(new BundleEvent(BundleEvent.UNINSTALLED, user));

        assertThat(manager.leaks()).extracting(LeakReport::bundle, LeakReport::buffersAtStop, LeakReport::bytesAtStop)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("io.msf.demo.echo", 1L, 100L));
    }

    @Test
    void aRunningBundleThatGetsTheServiceAgainKeepsItsAccount() {
        // SCR drops a running bundle's instance when the bundle merely lets go of the service (one of
        // its components went away): no end of the bundle, and its buffers may still be in flight.
        ByteBuf inFlight = new BundleMemoryPool(contextOf(user), manager).buffer(100);
        when(user.getState()).thenReturn(Bundle.ACTIVE);

        BundleMemoryPool again = new BundleMemoryPool(contextOf(user), manager);

        assertThat(manager.leaks()).isEmpty();
        assertThat(again.usage().liveBuffers()).isEqualTo(1);
        inFlight.release();
        assertThat(again.usage().liveBuffers()).isZero();
    }

    private static ComponentContext contextOf(Bundle user) {
        ComponentContext context = mock(ComponentContext.class);
        when(context.getUsingBundle()).thenReturn(user);
        return context;
    }
}
