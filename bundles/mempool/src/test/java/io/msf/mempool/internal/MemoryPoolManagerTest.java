package io.msf.mempool.internal;

import static io.msf.mempool.internal.PoolSettingsTest.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.startsWith;
import static org.assertj.core.groups.Tuple.tuple;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.msf.mempool.api.LeakReport;
import io.msf.mempool.api.MemoryPool;
import io.msf.mempool.api.MemoryPoolClosedException;
import io.msf.mempool.api.PoolUsage;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.service.component.ComponentException;
import org.osgi.service.log.Logger;

class MemoryPoolManagerTest {

    private static final Map<String, Object> FROM_FILE = Map.of("felix.fileinstall.filename",
            "file:/opt/msf/etc/msf.mempool.cfg");

    private final Logger log = mock(Logger.class);
    private final BundleContext context = mock(BundleContext.class);
    private final Bundle echo = bundle(42, "io.msf.demo.echo");

    @Test
    void appliesItsConfigurationToThePools() {
        MemoryPoolManager manager = new MemoryPoolManager(config("1MiB", "io.msf.demo.echo=64KiB", 10), FROM_FILE, context, log);

        MemoryPool pool = manager.poolFor(echo);

        assertThat(pool.usage().limitBytes()).isEqualTo(64 << 10);
        assertThat(manager.poolFor(bundle(43, "other")).usage().limitBytes()).isEqualTo(1 << 20);
        assertThat(manager.poolFor(echo).allocator()).isSameAs(pool.allocator());
        assertThat(manager.arenas().chunkSize()).isPositive();
    }

    /**
     * The event loops keep a thread cache per allocator they took buffers from, for as long as they
     * run: a manager replaced (its bundle refreshed, the log service it uses swapped) with an allocator
     * of its own left every loop's cache, and the chunks it holds, pinned to arenas nobody counted.
     */
    @Test
    void aReplacedManagerHandsOutBuffersFromTheSameArenasTheLoopsCache() throws Exception {
        MemoryPoolManager first = new MemoryPoolManager(config("0", "", 10), FROM_FILE, context, log);
        Object[] allocators = new Object[2];
        Thread loop = new FastThreadLocalThread(() -> {
            ByteBuf before = first.poolFor(echo).buffer(64);
            allocators[0] = before.unwrap().alloc();
            before.release();
            first.deactivate();
            MemoryPoolManager second = new MemoryPoolManager(config("0", "", 10), FROM_FILE, context, log);
            ByteBuf after = second.poolFor(echo).buffer(64);
            allocators[1] = after.unwrap().alloc();
            after.release();
        });
        loop.start();
        loop.join(5000);

        assertThat(allocators[1]).isNotNull().isSameAs(allocators[0]);
    }

    /**
     * The mempool bundle refreshed or updated, the pools of the old manager were left open: a thread still
     * holding one (a pipeline's allocator, a component that kept it) went on charging an account that no
     * figure of the new manager shows. Closed at deactivation, they refuse, saying why and what to do.
     */
    @Test
    void thePoolsOfADeactivatedManagerRefuseAllocationsNamingTheBundleAndWhy() {
        MemoryPoolManager first = new MemoryPoolManager(config("0", "", 10), FROM_FILE, context, log);
        MemoryPool kept = first.poolFor(echo);
        ByteBuf held = kept.buffer(100);
        when(echo.getState()).thenReturn(Bundle.ACTIVE);

        first.deactivate();

        assertThatThrownBy(() -> kept.buffer(10)).isInstanceOf(MemoryPoolClosedException.class)
                .hasMessage("the memory pool service that bundle io.msf.demo.echo [42] allocated through has"
                        + " stopped (the io.msf.mempool bundle was refreshed, updated or stopped): get the MemoryPool"
                        + " service again");
        assertThatThrownBy(() -> kept.allocator().heapBuffer(10)).isInstanceOf(MemoryPoolClosedException.class);
        assertThatThrownBy(() -> first.poolFor(echo)).isInstanceOf(MemoryPoolClosedException.class)
                .hasMessageContaining("get the MemoryPool service again");
        assertThat(first.leaks()).as("the bundle did not stop: no leak").isEmpty();
        verify(log).info(contains("still hold buffers"), eq("msf.mempool"),
                eq("io.msf.demo.echo [42] 1 buffers, 100 bytes"));
        held.release(); // releases are still credited
        assertThat(kept.usage().liveBuffers()).isZero();
        MemoryPoolManager second = new MemoryPoolManager(config("0", "", 10), FROM_FILE, context, log);
        second.poolFor(echo).buffer(10).release();
    }

    @Test
    void aPoolForNoBundleIsRefusedNamingTheArgument() {
        MemoryPoolManager manager = new MemoryPoolManager(config("0", "", 10), FROM_FILE, context, log);

        assertThatThrownBy(() -> manager.poolFor(null)).isInstanceOf(NullPointerException.class).hasMessage("owner");
    }

    /**
     * A stored configuration refused at the start (set past the config gate) leaves the pool on its
     * defaults, as the other services do; the line says so, and that they are no limits, not that the
     * pool keeps "previous" settings it never had.
     */
    @Test
    void aBadValueAtStartIsReportedWithTheDefaultsItLeavesInForce() {
        MemoryPoolManager manager = new MemoryPoolManager(config("64MB", "io.msf.demo.echo=1MiB", 10), FROM_FILE,
                context, log);

        verify(log).error(anyString(), eq("msf.mempool"), eq("file file:/opt/msf/etc/msf.mempool.cfg"),
                startsWith("defaultLimit: '64MB' is not a size"), eq("starts with the defaults"),
                eq("default limit none, bundle limits {}, 100 leak reports kept"));
        assertThat(manager.poolFor(echo).usage().limitBytes()).isZero();
        assertThat(manager.poolFor(bundle(43, "other")).usage().limitBytes()).isZero();
    }

    @Test
    void aBadChangeIsReportedAndTheLastGoodSettingsStay() {
        MemoryPoolManager manager = new MemoryPoolManager(config("1MiB", "", 10), FROM_FILE, context, log);

        manager.modified(config("2MiB", "io.msf.demo.echo=1KiB,io.msf.demo.echo=2KiB", 10), Map.of());

        verify(log).error(anyString(), eq("msf.mempool"), eq("configuration admin"),
                eq("bundleLimits: entry 2 'io.msf.demo.echo=2KiB': io.msf.demo.echo is named twice"),
                eq("keeps its settings"), eq("default limit 1MiB, bundle limits {}, 10 leak reports kept"));
        assertThat(manager.poolFor(echo).usage().limitBytes()).isEqualTo(1 << 20);

        manager.modified(config("2MiB", "", 10), FROM_FILE);
        assertThat(manager.poolFor(echo).usage().limitBytes()).isEqualTo(2 << 20);
    }

    /**
     * SCR throws its ComponentException, which names no key, when a member whose value does not
     * convert (a word where a number belongs, set past the config gate) is read.
     */
    @Test
    void aValueThatCannotBeReadAsANumberIsRefusedNamingTheKeyAndTheLastGoodSettingsStay() {
        MemoryPoolManager manager = new MemoryPoolManager(config("1MiB", "", 10), FROM_FILE, context, log);
        MemoryPoolConfiguration unreadable = config("2MiB", "", 10);
        when(unreadable.leakReportsKept()).thenThrow(new ComponentException(
                new NumberFormatException("For input string: \"all\"")));

        manager.modified(unreadable, Map.of());

        verify(log).error(anyString(), eq("msf.mempool"), eq("configuration admin"), eq("leakReportsKept: the value"
                + " cannot be read as a number (java.lang.NumberFormatException: For input string: \"all\")"),
                eq("keeps its settings"), anyString());
        assertThat(manager.poolFor(echo).usage().limitBytes()).isEqualTo(1 << 20);
    }

    /** At the start, such a value leaves the pool without limits, not the container without a pool. */
    @Test
    void aValueThatCannotBeReadAtStartIsReportedAndNoLimitsApply() {
        MemoryPoolConfiguration unreadable = config("2MiB", "", 10);
        when(unreadable.leakReportsKept()).thenThrow(new ComponentException(
                new NumberFormatException("For input string: \"all\"")));

        MemoryPoolManager manager = new MemoryPoolManager(unreadable, FROM_FILE, context, log);

        verify(log).error(anyString(), eq("msf.mempool"), eq("file file:/opt/msf/etc/msf.mempool.cfg"),
                contains("leakReportsKept: the value cannot be read as a number"), eq("starts with the defaults"),
                anyString());
        assertThat(manager.poolFor(echo).usage().limitBytes()).isZero();
    }

    @Test
    void listensToBundlesFromActivationToDeactivation() {
        MemoryPoolManager manager = new MemoryPoolManager(config("0", "", 10), Map.of(), context, log);
        ArgumentCaptor<BundleListener> listener = ArgumentCaptor.forClass(BundleListener.class);
        verify(context).addBundleListener(listener.capture());
        // Synchronous: the account is closed before the stopping bundle's stop() returns (see the field).
        assertThat(listener.getValue()).isInstanceOf(SynchronousBundleListener.class);

        manager.deactivate();

        verify(context).removeBundleListener(listener.getValue());
    }

    @Test
    void aStoppedBundleHoldingBuffersIsLoggedByNameCountAndBytes() {
        MemoryPoolManager manager = new MemoryPoolManager(config("0", "", 10), Map.of(), context, log);
        ByteBuf leaked = manager.poolFor(echo).buffer(4096);
        manager.poolFor(echo).buffer(1024);

        stop(echo);

        verify(log).warn(contains("stopped without releasing"), eq("io.msf.demo.echo"), eq(42L), eq(2L), eq(5120L));
        assertThat(manager.leaks()).extracting(LeakReport::bundle, LeakReport::buffersNow)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("io.msf.demo.echo", 2L));
        leaked.release();
        assertThat(manager.leaks()).extracting(LeakReport::buffersNow).containsExactly(1L);
    }

    @Test
    void aStoppedBundleHoldingNothingIsNotLogged() {
        MemoryPoolManager manager = new MemoryPoolManager(config("0", "", 10), Map.of(), context, log);
        manager.poolFor(echo).buffer(10).release();

        stop(echo);

        verify(log, never()).warn(anyString(), any(Object[].class));
        assertThat(manager.leaks()).isEmpty();
        assertThat(manager.usage()).isEmpty();
    }

    @Test
    void theAccountOfABundleThatOnlyOthersAllocatedForIsClosedWhenItStops() {
        // As the network service or the agent's client allocate for a bundle: no MemoryPool service
        // of its own whose end would tell that the bundle stopped.
        MemoryPoolManager manager = new MemoryPoolManager(config("0", "", 10), Map.of(), context, log);
        ByteBuf leaked = manager.poolFor(echo).allocator().directBuffer(2048);
        assertThat(manager.usage()).extracting(PoolUsage::bundleId).containsExactly(42L);

        stop(echo);

        verify(log).warn(contains("stopped without releasing"), eq("io.msf.demo.echo"), eq(42L), eq(1L), eq(2048L));
        assertThat(manager.leaks()).extracting(LeakReport::bundle, LeakReport::bundleId, LeakReport::buffersNow)
                .containsExactly(tuple("io.msf.demo.echo", 42L, 1L));
        assertThat(manager.usage()).isEmpty();
        leaked.release();
        assertThat(manager.leaks()).extracting(LeakReport::buffersNow).containsExactly(0L);
    }

    @Test
    void reinstalledBundlesLeaveNoAccountsBehind() {
        MemoryPoolManager manager = new MemoryPoolManager(config("0", "", 10), Map.of(), context, log);
        for (long id = 100; id < 200; id++) { // a new bundle id for each hot swap
            Bundle version = bundle(id, "io.msf.demo.echo");
            manager.poolFor(version).buffer(64).release();
            stop(version);
            manager.bundleChanged(new BundleEvent(BundleEvent.UNINSTALLED, version));
        }

        assertThat(manager.usage()).isEmpty();
        assertThat(manager.leaks()).isEmpty();
    }

    @Test
    void aBundleThatRunsAgainKeepsItsAccount() {
        MemoryPoolManager manager = new MemoryPoolManager(config("0", "", 10), Map.of(), context, log);
        MemoryPool pool = manager.poolFor(echo);
        ByteBuf inUse = pool.buffer(100);
        for (int running : new int[] {Bundle.STARTING, Bundle.ACTIVE, Bundle.STOPPING}) {
            when(echo.getState()).thenReturn(running);

            manager.bundleChanged(new BundleEvent(BundleEvent.STOPPED, echo));

            assertThat(manager.leaks()).isEmpty();
            assertThat(manager.poolFor(echo)).isSameAs(pool);
        }
        inUse.release();
    }

    @Test
    void onlyTheEndOfABundleClosesItsAccount() {
        MemoryPoolManager manager = new MemoryPoolManager(config("0", "", 10), Map.of(), context, log);
        ByteBuf held = manager.poolFor(echo).buffer(100);
        when(echo.getState()).thenReturn(Bundle.RESOLVED);
        for (int type : new int[] {BundleEvent.INSTALLED, BundleEvent.RESOLVED, BundleEvent.STARTING,
                BundleEvent.STARTED, BundleEvent.STOPPING, BundleEvent.UPDATED, BundleEvent.UNRESOLVED}) {
            manager.bundleChanged(new BundleEvent(type, echo));
        }
        assertThat(manager.leaks()).isEmpty();
        assertThat(manager.usage()).hasSize(1);

        when(echo.getState()).thenReturn(Bundle.UNINSTALLED);
        manager.bundleChanged(new BundleEvent(BundleEvent.UNINSTALLED, echo));

        assertThat(manager.leaks()).extracting(LeakReport::bundleId).containsExactly(42L);
        assertThat(manager.usage()).isEmpty();
        held.release();
    }

    @Test
    void aStopThenUninstallIsReportedOnce() {
        MemoryPoolManager manager = new MemoryPoolManager(config("0", "", 10), Map.of(), context, log);
        ByteBuf held = manager.poolFor(echo).buffer(100);

        stop(echo);
        when(echo.getState()).thenReturn(Bundle.UNINSTALLED);
        manager.bundleChanged(new BundleEvent(BundleEvent.UNINSTALLED, echo));

        assertThat(manager.leaks()).hasSize(1);
        verify(log).warn(contains("stopped without releasing"), any(), any(), any(), any());
        held.release();
    }

    /** What the framework tells the manager's listener when {@code bundle} has stopped. */
    private void stop(Bundle bundle) {
        when(bundle.getState()).thenReturn(Bundle.RESOLVED);
        ArgumentCaptor<BundleListener> listener = ArgumentCaptor.forClass(BundleListener.class);
        verify(context, atLeastOnce()).addBundleListener(listener.capture());
        listener.getValue().bundleChanged(new BundleEvent(BundleEvent.STOPPED, bundle));
    }

    static Bundle bundle(long id, String symbolicName) {
        Bundle bundle = mock(Bundle.class);
        when(bundle.getBundleId()).thenReturn(id);
        when(bundle.getSymbolicName()).thenReturn(symbolicName);
        return bundle;
    }
}
