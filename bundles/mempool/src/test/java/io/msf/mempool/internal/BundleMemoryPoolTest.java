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
import org.osgi.service.component.ComponentContext;
import org.osgi.service.log.Logger;

class BundleMemoryPoolTest {

    private final MemoryPoolManager manager = new MemoryPoolManager(config("0", "", 10), Map.of(), mock(Logger.class));
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
    void filesALeakReportWhenItsBundleStops() {
        BundleMemoryPool pool = new BundleMemoryPool(contextOf(user), manager);
        pool.buffer(100);
        when(user.getState()).thenReturn(Bundle.STOPPING);

        pool.deactivate();

        assertThat(manager.leaks()).extracting(LeakReport::bundle, LeakReport::buffersAtStop, LeakReport::bytesAtStop)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("io.msf.demo.echo", 1L, 100L));
    }

    @Test
    void filesNothingWhenARunningBundleMerelyLetsGo() {
        BundleMemoryPool pool = new BundleMemoryPool(contextOf(user), manager);
        ByteBuf inFlight = pool.buffer(100);
        when(user.getState()).thenReturn(Bundle.ACTIVE);

        pool.deactivate();

        assertThat(manager.leaks()).isEmpty();
        assertThat(manager.poolFor(user).usage().liveBuffers()).isEqualTo(1);
        inFlight.release();
    }

    private static ComponentContext contextOf(Bundle user) {
        ComponentContext context = mock(ComponentContext.class);
        when(context.getUsingBundle()).thenReturn(user);
        return context;
    }
}
