package io.msf.mempool.internal;

import static io.msf.mempool.internal.MemoryPoolManagerTest.bundle;
import static io.msf.mempool.internal.PoolSettingsTest.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.msf.mempool.api.LeakReport;
import io.netty.buffer.ByteBuf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.log.Logger;

/**
 * Leak reports are the diagnostics of bundles that already stopped: a refresh or update of the
 * mempool bundle (a new instance of the manager) must not wipe them, while a new run of the
 * framework starts with none (its memory is new).
 */
class LeakReportCarryTest {

    @TempDir
    Path data;

    private final Logger log = mock(Logger.class);
    private final Bundle echo = bundle(42, "io.msf.demo.echo");
    private final Bundle net = bundle(43, "io.msf.net");

    @Test
    void reportsFiledBeforeTheServiceRestartedAreKeptWithTheirCountsAsTheyWereThen() {
        BundleContext context = context("run-1");
        MemoryPoolManager first = new MemoryPoolManager(config("0", "", 10), Map.of(), context, log);
        ByteBuf released = first.poolFor(echo).buffer(4096);
        first.poolFor(echo).buffer(1024);
        first.poolFor(net).buffer(100);
        stop(first, echo);
        stop(first, net);
        released.release();

        first.deactivate();
        MemoryPoolManager second = new MemoryPoolManager(config("0", "", 10), Map.of(), context, log);

        assertThat(second.leaks()).isEqualTo(first.leaks());
        assertThat(second.leaks()).extracting(LeakReport::bundle, LeakReport::bundleId, LeakReport::buffersAtStop,
                LeakReport::bytesAtStop, LeakReport::buffersNow)
                .containsExactly(tuple("io.msf.net", 43L, 1L, 100L, 1L), tuple("io.msf.demo.echo", 42L, 2L, 5120L, 1L));
    }

    @Test
    void reportsFiledAfterTheRestartComeFirstAndTheNewLimitOfReportsKeptApplies() {
        BundleContext context = context("run-1");
        MemoryPoolManager first = new MemoryPoolManager(config("0", "", 10), Map.of(), context, log);
        first.poolFor(echo).buffer(10);
        stop(first, echo);
        first.poolFor(net).buffer(10);
        stop(first, net);
        first.deactivate();

        MemoryPoolManager second = new MemoryPoolManager(config("0", "", 2), Map.of(), context, log);
        Bundle later = bundle(44, "io.msf.demo.dlna");
        second.poolFor(later).buffer(10);
        stop(second, later);

        assertThat(second.leaks()).extracting(LeakReport::bundleId).containsExactly(44L, 43L);
    }

    @Test
    void aNewRunOfTheFrameworkStartsWithoutTheReportsOfTheLastOne() {
        MemoryPoolManager first = new MemoryPoolManager(config("0", "", 10), Map.of(), context("run-1"), log);
        first.poolFor(echo).buffer(10);
        stop(first, echo);
        first.deactivate();

        MemoryPoolManager second = new MemoryPoolManager(config("0", "", 10), Map.of(), context("run-2"), log);

        assertThat(second.leaks()).isEmpty();
    }

    /** One line cut short (a disk that filled up as it was written, say) dropped every report with it. */
    @Test
    void aLineThatIsNoReportIsSkippedAndNamedAndTheOthersAreKept() throws Exception {
        Path file = data.resolve(LeakReportFile.NAME);
        Files.writeString(file, "run-1\n"
                + "io.msf.net\t43\t2025-05-01T12:00:00Z\t1\t100\t1\n"
                + "io.msf.demo.echo\tforty-two\n"
                + "io.msf.demo.dlna\t44\t2025-05-01T11:00:00Z\t2\t200\t0\n");

        MemoryPoolManager manager = new MemoryPoolManager(config("0", "", 10), Map.of(), context("run-1"), log);

        assertThat(manager.leaks()).extracting(LeakReport::bundleId).containsExactly(43L, 44L);
        verify(log).warn(anyString(), eq("msf.mempool"), eq(file), eq("line 3 (2 fields, not 6)"), eq(2));
    }

    @Test
    void aFileThatCannotBeReadIsReportedAndTheServiceStartsWithoutReports() throws Exception {
        Path file = Files.createDirectory(data.resolve(LeakReportFile.NAME)); // a folder: nothing to read

        MemoryPoolManager manager = new MemoryPoolManager(config("0", "", 10), Map.of(), context("run-1"), log);

        assertThat(manager.leaks()).isEmpty();
        verify(log).warn(anyString(), eq("msf.mempool"), eq(file), anyString());
    }

    private BundleContext context(String run) {
        BundleContext context = mock(BundleContext.class);
        when(context.getProperty(Constants.FRAMEWORK_UUID)).thenReturn(run);
        when(context.getDataFile(anyString())).thenAnswer(call -> data.resolve(call.<String>getArgument(0)).toFile());
        return context;
    }

    private static void stop(MemoryPoolManager manager, Bundle bundle) {
        when(bundle.getState()).thenReturn(Bundle.RESOLVED);
        manager.bundleStopped(bundle);
    }
}
