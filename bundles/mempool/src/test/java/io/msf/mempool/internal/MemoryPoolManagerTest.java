package io.msf.mempool.internal;

import static io.msf.mempool.internal.PoolSettingsTest.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.msf.mempool.api.LeakReport;
import io.msf.mempool.api.MemoryPool;
import io.netty.buffer.ByteBuf;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.service.log.Logger;

class MemoryPoolManagerTest {

    private static final Map<String, Object> FROM_FILE = Map.of("felix.fileinstall.filename",
            "file:/opt/msf/etc/msf.mempool.cfg");

    private final Logger log = mock(Logger.class);
    private final Bundle echo = bundle(42, "io.msf.demo.echo");

    @Test
    void appliesItsConfigurationToThePools() {
        MemoryPoolManager manager = new MemoryPoolManager(config("1MiB", "io.msf.demo.echo=64KiB", 10), FROM_FILE, log);

        MemoryPool pool = manager.poolFor(echo);

        assertThat(pool.usage().limitBytes()).isEqualTo(64 << 10);
        assertThat(manager.poolFor(bundle(43, "other")).usage().limitBytes()).isEqualTo(1 << 20);
        assertThat(manager.poolFor(echo).allocator()).isSameAs(pool.allocator());
        assertThat(manager.arenas().chunkSize()).isPositive();
    }

    @Test
    void aBadValueAtStartIsReportedAndNoLimitsApply() {
        MemoryPoolManager manager = new MemoryPoolManager(config("lots", "", 10), FROM_FILE, log);

        verify(log).error(anyString(), eq("msf.mempool"), eq("file file:/opt/msf/etc/msf.mempool.cfg"),
                contains("defaultLimit: 'lots' is not a size"));
        assertThat(manager.poolFor(echo).usage().limitBytes()).isZero();
    }

    @Test
    void aBadChangeIsReportedAndTheLastGoodSettingsStay() {
        MemoryPoolManager manager = new MemoryPoolManager(config("1MiB", "", 10), FROM_FILE, log);

        manager.modified(config("2MiB", "io.msf.demo.echo=1KiB,io.msf.demo.echo=2KiB", 10), Map.of());

        verify(log).error(anyString(), eq("msf.mempool"), eq("configuration admin"),
                eq("bundleLimits: entry 2 'io.msf.demo.echo=2KiB': io.msf.demo.echo is named twice"));
        assertThat(manager.poolFor(echo).usage().limitBytes()).isEqualTo(1 << 20);

        manager.modified(config("2MiB", "", 10), FROM_FILE);
        assertThat(manager.poolFor(echo).usage().limitBytes()).isEqualTo(2 << 20);
    }

    @Test
    void aStoppedBundleHoldingBuffersIsLoggedByNameCountAndBytes() {
        MemoryPoolManager manager = new MemoryPoolManager(config("0", "", 10), Map.of(), log);
        ByteBuf leaked = manager.poolFor(echo).buffer(4096);
        manager.poolFor(echo).buffer(1024);

        manager.bundleStopped(echo);

        verify(log).warn(contains("stopped without releasing"), eq("io.msf.demo.echo"), eq(42L), eq(2L), eq(5120L));
        assertThat(manager.leaks()).extracting(LeakReport::bundle, LeakReport::buffersNow)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("io.msf.demo.echo", 2L));
        leaked.release();
        assertThat(manager.leaks()).extracting(LeakReport::buffersNow).containsExactly(1L);
    }

    @Test
    void aStoppedBundleHoldingNothingIsNotLogged() {
        MemoryPoolManager manager = new MemoryPoolManager(config("0", "", 10), Map.of(), log);
        manager.poolFor(echo).buffer(10).release();

        manager.bundleStopped(echo);

        verify(log, never()).warn(anyString(), any(Object[].class));
        assertThat(manager.leaks()).isEmpty();
        assertThat(manager.usage()).isEmpty();
    }

    static Bundle bundle(long id, String symbolicName) {
        Bundle bundle = mock(Bundle.class);
        when(bundle.getBundleId()).thenReturn(id);
        when(bundle.getSymbolicName()).thenReturn(symbolicName);
        return bundle;
    }
}
