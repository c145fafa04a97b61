package io.msf.event.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockingDetails;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.msf.event.api.BoundEventLoopService;
import io.msf.event.api.EventLoopService;
import io.msf.event.api.EventLoopStats;
import io.msf.event.api.Transport;
import io.msf.settings.ConfigSource;
import io.msf.settings.testing.ComponentConfigs;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.ComponentException;
import org.osgi.service.log.Logger;

class EventLoopGroupsTest {

    private final Logger log = mock(Logger.class);
    private final LoopSettingsInForce inForce = new LoopSettingsInForce();
    private EventLoopGroups groups;

    @AfterEach
    void stop() {
        if (groups != null) {
            groups.deactivate();
        }
    }

    private final ComponentContext context = registered(mock(ComponentContext.class));

    private EventLoopGroups start(Map<String, Object> config) {
        return start(config, Map.of());
    }

    private EventLoopGroups start(Map<String, Object> config, Map<String, Object> properties) {
        groups = new EventLoopGroups(ComponentConfigs.of(EventLoopConfiguration.class, config), properties, context,
                inForce, log);
        return groups;
    }

    /** A context as SCR gives one to a registered instance: its bundle's context registers the generation. */
    @SuppressWarnings("unchecked")
    static ComponentContext registered(ComponentContext context) {
        BundleContext bundle = mock(BundleContext.class);
        when(bundle.registerService(eq(LoopGeneration.class), any(LoopGeneration.class), any()))
                .thenAnswer(i -> mock(ServiceRegistration.class));
        when(context.getBundleContext()).thenReturn(bundle);
        Bundle event = mock(Bundle.class);
        when(event.getState()).thenReturn(Bundle.ACTIVE);
        when(bundle.getBundle()).thenReturn(event);
        when(context.getServiceReference()).thenAnswer(i -> mock(ServiceReference.class));
        return context;
    }

    private void change(Map<String, Object> config) throws Exception {
        groups.modified(ComponentConfigs.of(EventLoopConfiguration.class, config), Map.of());
        groups.awaitSwap();
    }

    /** What SCR releases and restarts the views with: one per group at the start, and again for each group swapped. */
    private int generationsRegistered() {
        return mockingDetails(context.getBundleContext()).getInvocations().stream()
                .filter(i -> i.getMethod().getName().equals("registerService")).mapToInt(i -> 1).sum();
    }

    /** The issue: an event-loop thread change swaps in a new group and drains the old; the other keeps running. */
    @Test
    void aThreadCountChangeSwapsOnlyThatGroupAndDrainsTheOldOne() throws Exception {
        start(Map.of("transport", "nio", "ioThreads", 1, "workerThreads", 1));
        NamedLoopGroup io = groups.group("io");
        NamedLoopGroup oldWorker = groups.group("worker");
        io.netty.util.concurrent.ScheduledFuture<?> later = io.group().schedule(() -> { }, 1, TimeUnit.HOURS);
        io.group().execute(() -> { }); // a loop thread started: it must be the same one after the change
        String ioThread = threadName(io.group());
        CountDownLatch gate = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        oldWorker.group().execute(() -> await(gate));
        for (int i = 0; i < 100; i++) {
            oldWorker.group().execute(ran::incrementAndGet);
        }

        change(Map.of("transport", "nio", "ioThreads", 1, "workerThreads", 2));

        assertThat(groups.group("io")).isSameAs(io);
        assertThat(io.group().isShuttingDown()).isFalse();
        assertThat(threadName(io.group())).isEqualTo(ioThread);
        assertThat(groups.group("worker")).isNotSameAs(oldWorker);
        assertThat(groups.stats()).extracting(EventLoopStats::group, EventLoopStats::threads)
                .containsExactly(tuple("io", 1), tuple("worker", 2));
        assertThat(later.isDone()).isFalse();
        assertThat(generationsRegistered()).isEqualTo(3);
        gate.countDown();
        assertThat(oldWorker.group().terminationFuture().await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).hasValue(100);
        assertThat(later.isDone()).isFalse();
        later.cancel(false);
    }

    /**
     * The issue: one generation stood for both groups, so a change of the worker threads restarted the
     * users of the io group as well (the network endpoints, closing their connections).
     */
    @Test
    @SuppressWarnings("unchecked")
    void aThreadCountChangeRegistersAgainTheGenerationOfThatGroupAlone() throws Exception {
        List<String> registered = new CopyOnWriteArrayList<>();
        List<String> unregistered = new CopyOnWriteArrayList<>();
        when(context.getBundleContext().registerService(eq(LoopGeneration.class), any(LoopGeneration.class), any()))
                .thenAnswer(i -> {
                    Dictionary<String, ?> properties = i.getArgument(2);
                    String group = properties == null ? "no group" : String.valueOf(properties.get(BoundEventLoopService.GROUP));
                    registered.add(group);
                    ServiceRegistration<LoopGeneration> registration = mock(ServiceRegistration.class);
                    doAnswer(u -> unregistered.add(group)).when(registration).unregister();
                    return registration;
                });
        start(Map.of("transport", "nio", "ioThreads", 1, "workerThreads", 1));

        change(Map.of("transport", "nio", "ioThreads", 1, "workerThreads", 2));

        assertThat(registered).containsExactly("io", "worker", "worker");
        assertThat(unregistered).containsExactly("worker");

        change(Map.of("transport", "nio", "ioThreads", 2, "workerThreads", 2));

        assertThat(registered).containsExactly("io", "worker", "worker", "io");
        assertThat(unregistered).containsExactly("worker", "io");
    }

    /**
     * A swap under way as the event bundle stops registered the swapped group's generation again: SCR
     * then activated the views and their users on the swap's thread while the stopping thread took them
     * down, and the framework logged "Service factory returned null" for the users caught between.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aSwapDuringTheStopOfTheBundleRegistersNoGenerationAgain() throws Exception {
        List<String> registered = new CopyOnWriteArrayList<>();
        Bundle event = context.getBundleContext().getBundle();
        when(context.getBundleContext().registerService(eq(LoopGeneration.class), any(LoopGeneration.class), any()))
                .thenAnswer(i -> {
                    registered.add(String.valueOf(((Dictionary<String, ?>) i.getArgument(2)).get(BoundEventLoopService.GROUP)));
                    ServiceRegistration<LoopGeneration> registration = mock(ServiceRegistration.class);
                    // the bundle starts to stop while SCR releases the views of the swapped group
                    doAnswer(u -> when(event.getState()).thenReturn(Bundle.STOPPING)).when(registration).unregister();
                    return registration;
                });
        start(Map.of("transport", "nio", "ioThreads", 1, "workerThreads", 1));
        NamedLoopGroup oldWorker = groups.group("worker");

        change(Map.of("transport", "nio", "ioThreads", 1, "workerThreads", 2));

        assertThat(registered).containsExactly("io", "worker");
        assertThat(groups.group("worker").threads()).isEqualTo(2);
        assertThat(oldWorker.group().terminationFuture().await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aChangeOfTimingsOrOfThePendingBoundSwapsNothing() throws Exception {
        start(Map.of("transport", "nio", "ioThreads", 1, "workerThreads", 1));
        NamedLoopGroup io = groups.group("io");
        NamedLoopGroup worker = groups.group("worker");

        change(Map.of("transport", "nio", "ioThreads", 1, "workerThreads", 1, "maxPendingTasksPerBundle", 7,
                "shutdownQuietMillis", 0L));

        assertThat(groups.group("io")).isSameAs(io);
        assertThat(groups.group("worker")).isSameAs(worker);
        assertThat(groups.maxPendingPerBundle()).isEqualTo(7);
        assertThat(generationsRegistered()).isEqualTo(2);
        assertThat(io.group().isShuttingDown() || worker.group().isShuttingDown()).isFalse();
    }

    /** Refused, a change used to re-start the groups with their previous settings, and every user with them. */
    @Test
    void aRefusedChangeLeavesTheGroupsAndTheirUsersAlone() throws Exception {
        start(Map.of("transport", "nio", "ioThreads", 1, "workerThreads", 1));
        NamedLoopGroup worker = groups.group("worker");

        change(Map.of("transport", "nio", "ioThreads", 1, "workerThreads", -3));

        assertThat(groups.group("worker")).isSameAs(worker);
        assertThat(generationsRegistered()).isEqualTo(2);
        verify(log).error(contains("rejected"), eq("msf.event"), eq("configuration admin"),
                contains("workerThreads: -3 is negative"), eq(inForce.get()));
    }

    /**
     * The executors' bound was checked on its own: a change with a bad thread count had its bound applied,
     * one with a bad bound its groups swapped, and each bundle's executors logged an ERROR of their own.
     */
    @Test
    void aChangeWithOneBadValueChangesNothingAtAllWithOneError() throws Exception {
        start(Map.of("transport", "nio", "ioThreads", 1, "workerThreads", 1, "maxExecutorsPerBundle", 4));
        NamedLoopGroup worker = groups.group("worker");

        change(Map.of("transport", "nio", "ioThreads", 1, "workerThreads", 2, "maxExecutorsPerBundle", 0));
        change(Map.of("transport", "nio", "ioThreads", -3, "workerThreads", 1, "maxExecutorsPerBundle", 8));

        assertThat(groups.group("worker")).as("not swapped").isSameAs(worker);
        assertThat(generationsRegistered()).isEqualTo(2);
        assertThat(inForce.get().maxExecutorsPerBundle()).isEqualTo(4);
        verify(log).error(contains("rejected"), eq("msf.event"), eq("configuration admin"),
                eq("maxExecutorsPerBundle: 0 is not in 1..1024"), eq(inForce.get()));
        verify(log).error(contains("rejected"), eq("msf.event"), eq("configuration admin"),
                contains("ioThreads: -3 is negative"), eq(inForce.get()));
    }

    /** The ERROR line said what was wrong but not where: the file to fix, as msf.mempool's does. */
    @Test
    void aRefusedChangeNamesTheFileItCameFrom() throws Exception {
        start(Map.of("transport", "nio", "ioThreads", 1, "workerThreads", 1));

        groups.modified(ComponentConfigs.of(EventLoopConfiguration.class, Map.of("transport", "nio", "ioThreads", 1,
                "workerThreads", -3)), Map.of(ConfigSource.FILE_PROPERTY, "file:/opt/msf/etc/msf.event.cfg"));

        verify(log).error(contains("rejected"), eq("msf.event"), eq("file file:/opt/msf/etc/msf.event.cfg"),
                contains("workerThreads: -3 is negative"), eq(inForce.get()));
    }

    @Test
    void aConfigurationRefusedAtTheStartNamesTheFileItCameFrom() {
        start(Map.of("transport", "kqueue"), Map.of(ConfigSource.FILE_PROPERTY, "file:/opt/msf/etc/msf.event.cfg"));

        verify(log).error(contains("rejected"), eq("msf.event"), eq("file file:/opt/msf/etc/msf.event.cfg"),
                contains("'kqueue' is not one of"), eq("the defaults"), any(LoopSettings.class));
    }

    /**
     * A swap that failed (a group whose threads could not be made, say for want of file descriptors)
     * took the change's settings all the same: the same change made again found nothing to swap, and
     * the groups stayed as they were while the log said they ran with it.
     */
    @Test
    void aSwapThatFailedIsTriedAgainByTheSameChange() throws Exception {
        startRefusingOnce(3);
        NamedLoopGroup worker = groups.group("worker");

        change(Map.of("transport", "nio", "ioThreads", 1, "workerThreads", 3));

        assertThat(groups.group("worker")).isSameAs(worker);
        verify(log).error(contains("could not be started"), eq("msf.event"), eq(Set.of("worker")),
                contains("Too many open files"));
        assertThat(inForce.get().workerThreads()).isEqualTo(1);

        change(Map.of("transport", "nio", "ioThreads", 1, "workerThreads", 3));

        assertThat(groups.group("worker").threads()).isEqualTo(3);
        assertThat(generationsRegistered()).isEqualTo(3);
    }

    /** After a swap that failed, a change back swapped a group for one like it, restarting every user for nothing. */
    @Test
    void aChangeBackAfterASwapThatFailedSwapsNothing() throws Exception {
        startRefusingOnce(3);
        NamedLoopGroup worker = groups.group("worker");
        change(Map.of("transport", "nio", "ioThreads", 1, "workerThreads", 3));

        change(Map.of("transport", "nio", "ioThreads", 1, "workerThreads", 1));

        assertThat(groups.group("worker")).isSameAs(worker);
        assertThat(worker.group().isShuttingDown()).isFalse();
        assertThat(generationsRegistered()).isEqualTo(2);
    }

    /** Groups of one I/O and one worker thread; the first group of {@code threads} threads fails to start. */
    private void startRefusingOnce(int threads) {
        AtomicInteger refusals = new AtomicInteger(1);
        groups = new EventLoopGroups(ComponentConfigs.of(EventLoopConfiguration.class,
                Map.of("transport", "nio", "ioThreads", 1, "workerThreads", 1)), Map.of(), context, inForce, log,
                (name, transport, count, replaced) -> {
                    if (count == threads && refusals.getAndDecrement() > 0) {
                        throw new IllegalStateException("failed to open a new selector: Too many open files");
                    }
                    return new NamedLoopGroup(name, transport, count, replaced);
                });
    }

    @Test
    void nioGroupsHaveTheConfiguredThreadsAndNames() throws Exception {
        start(Map.of("transport", "nio", "ioThreads", 2, "workerThreads", 1));

        assertThat(groups.transport()).isEqualTo(Transport.NIO);
        assertThat(groups.groupNames()).containsExactly(EventLoopService.IO_GROUP, EventLoopService.WORKER_GROUP);
        assertThat(groups.stats()).extracting(EventLoopStats::group, EventLoopStats::threads)
                .containsExactly(tuple("io", 2), tuple("worker", 1));
        assertThat(threadName(groups.group("io").group())).matches("msf-io-[12]");
        assertThat(threadName(groups.group("worker").group())).isEqualTo("msf-worker-1");
    }

    @Test
    void zeroThreadsMeansHalfTheCoresForIoAndOnePerCoreForWorkers() {
        start(Map.of("transport", "nio"));

        int cores = Runtime.getRuntime().availableProcessors();
        assertThat(groups.group("io").threads()).isEqualTo(LoopSettings.defaultIoThreads(cores));
        assertThat(groups.group("worker").threads()).isEqualTo(cores);
    }

    @Test
    void theDefaultIoGroupHasHalfTheCoresAndNeverNone() {
        assertThat(LoopSettings.defaultIoThreads(1)).isEqualTo(1);
        assertThat(LoopSettings.defaultIoThreads(2)).isEqualTo(1);
        assertThat(LoopSettings.defaultIoThreads(3)).isEqualTo(1);
        assertThat(LoopSettings.defaultIoThreads(4)).isEqualTo(2);
        assertThat(LoopSettings.defaultIoThreads(16)).isEqualTo(8);
    }

    @Test
    @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
    void epollRunsWhereTheNativeLibraryLoads() throws Exception {
        assertThat(Epoll.isAvailable()).as("epoll native library (test dependency)").isTrue();
        start(Map.of("transport", "epoll", "ioThreads", 1, "workerThreads", 1));

        assertThat(groups.transport()).isEqualTo(Transport.EPOLL);
        assertThat(threadName(groups.group("io").group())).isEqualTo("msf-io-1");
    }

    @Test
    void autoPrefersEpollAndFallsBackToNio() {
        assertThat(TransportChoice.select("auto", true, null)).isEqualTo(Transport.EPOLL);
        assertThat(TransportChoice.select("AUTO", false, new UnsatisfiedLinkError())).isEqualTo(Transport.NIO);
        assertThat(TransportChoice.select("nio", true, null)).isEqualTo(Transport.NIO);
    }

    @Test
    void explicitEpollThatIsUnavailableFailsWithTheCause() {
        UnsatisfiedLinkError cause = new UnsatisfiedLinkError("no netty_transport_native_epoll_x86_64");

        assertThatThrownBy(() -> TransportChoice.select("epoll", false, cause))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("transport=epoll")
                .hasMessageContaining("no netty_transport_native_epoll_x86_64")
                .hasCause(cause);
    }

    @Test
    void badValuesAreRejectedNamingTheKey() {
        assertThatThrownBy(() -> LoopSettings.of(ComponentConfigs.of(EventLoopConfiguration.class,
                Map.of("transport", "kqueue")), 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("transport: 'kqueue' is not one of auto, epoll, nio");
        assertThatThrownBy(() -> LoopSettings.of(ComponentConfigs.of(EventLoopConfiguration.class,
                Map.of("transport", "nio", "ioThreads", -1)), 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ioThreads: -1 is negative");
        assertThatThrownBy(() -> LoopSettings.of(ComponentConfigs.of(EventLoopConfiguration.class,
                Map.of("transport", "nio", "shutdownTimeoutMillis", -5L)), 2))
                .hasMessageContaining("shutdownTimeoutMillis: -5 is negative");
    }

    /**
     * A change refused (past the config gate: set through Config Admin directly, or a transport
     * that does not load here) re-activates the groups all the same: they start again with the
     * settings they had, not with none, and an ERROR line names the key.
     */
    @Test
    void aRefusedChangeStartsTheGroupsWithThePreviousSettings() {
        start(Map.of("transport", "nio", "ioThreads", 2, "workerThreads", 1));
        groups.deactivate();

        start(Map.of("transport", "nio", "ioThreads", -1, "workerThreads", 3));

        assertThat(groups.transport()).isEqualTo(Transport.NIO);
        assertThat(groups.stats()).extracting(EventLoopStats::group, EventLoopStats::threads)
                .containsExactly(tuple("io", 2), tuple("worker", 1));
        verify(log).error(contains("rejected"), eq("msf.event"), eq("configuration admin"),
                contains("ioThreads: -1 is negative"), eq("their previous settings"), eq(inForce.get()));
    }

    /**
     * SCR throws its ComponentException, which names no key, when a member whose value does not
     * convert (a word where a number belongs, set past the config gate) is read: that is refused
     * naming the key like any other bad value, not a failed activation that leaves no event loops.
     */
    @Test
    void aValueThatCannotBeReadAsANumberIsRefusedNamingTheKey() {
        start(Map.of("transport", "nio", "ioThreads", 2, "workerThreads", 1));
        groups.deactivate();

        start(Map.of("transport", "nio", "ioThreads", 3, "workerThreads", new ComponentException(
                new NumberFormatException("For input string: \"many\""))));

        assertThat(groups.stats()).extracting(EventLoopStats::group, EventLoopStats::threads)
                .containsExactly(tuple("io", 2), tuple("worker", 1));
        verify(log).error(contains("rejected"), eq("msf.event"), eq("configuration admin"),
                contains("workerThreads: the value cannot be read as a number (java.lang.NumberFormatException: For"
                        + " input string: \"many\")"), eq("their previous settings"), eq(inForce.get()));
    }

    /**
     * The bounds the config gate checks are checked again past it: Netty makes a group's loops at once,
     * and a million of them would use up the file descriptors and fail the groups.
     */
    @Test
    void valuesAboveTheirBoundsAreRejectedNamingTheKey() {
        assertThatThrownBy(() -> LoopSettings.of(ComponentConfigs.of(EventLoopConfiguration.class,
                Map.of("transport", "nio", "ioThreads", 1_000_000)), 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ioThreads: 1000000 is more than 1024");
        assertThatThrownBy(() -> LoopSettings.of(ComponentConfigs.of(EventLoopConfiguration.class,
                Map.of("transport", "nio", "workerThreads", 1025)), 2))
                .hasMessage("workerThreads: 1025 is more than 1024");
        assertThatThrownBy(() -> LoopSettings.of(ComponentConfigs.of(EventLoopConfiguration.class,
                Map.of("transport", "nio", "shutdownQuietMillis", 60_001L)), 2))
                .hasMessage("shutdownQuietMillis: 60001 is more than 60000");
        assertThatThrownBy(() -> LoopSettings.of(ComponentConfigs.of(EventLoopConfiguration.class,
                Map.of("transport", "nio", "shutdownTimeoutMillis", Long.MAX_VALUE)), 2))
                .hasMessage("shutdownTimeoutMillis: " + Long.MAX_VALUE + " is more than 300000");
    }

    /** At the first start there is nothing to keep: the groups start with the defaults. */
    @Test
    void aConfigurationRefusedAtTheFirstStartStartsTheGroupsWithTheDefaults() {
        start(Map.of("transport", "kqueue", "ioThreads", 3));

        int cores = Runtime.getRuntime().availableProcessors();
        assertThat(groups.group("io").threads()).isEqualTo(LoopSettings.defaultIoThreads(cores));
        assertThat(groups.group("worker").threads()).isEqualTo(cores);
        verify(log).error(contains("rejected"), eq("msf.event"), eq("configuration admin"),
                contains("'kqueue' is not one of"), eq("the defaults"), eq(LoopSettings.defaults(cores)));
    }

    @Test
    void aQuietPeriodLongerThanTheTimeoutIsCappedWithAWarning() {
        start(Map.of("transport", "nio", "ioThreads", 1, "workerThreads", 1, "shutdownQuietMillis", 200L,
                "shutdownTimeoutMillis", 50L));

        verify(log).warn(contains("shutdownQuietMillis"), eq("msf.event"), eq(200L), eq(50L), eq(50L));
        groups.deactivate();
        assertThat(groups.group("io").group().isTerminated()).isTrue();
        groups = null;
    }

    @Test
    void unknownGroupIsRejectedNamingTheGroupsThatExist() {
        start(Map.of("transport", "nio", "ioThreads", 1, "workerThreads", 1));

        assertThatThrownBy(() -> groups.group("cpu"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no event-loop group named 'cpu'; groups: [io, worker]");
    }

    @Test
    void deactivateRunsWhatWasQueuedAndStopsTheThreads() throws Exception {
        start(Map.of("transport", "nio", "ioThreads", 1, "workerThreads", 1));
        EventLoopGroup io = groups.group("io").group();
        CountDownLatch gate = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        io.execute(() -> await(gate));
        for (int i = 0; i < 500; i++) {
            io.execute(ran::incrementAndGet);
        }
        assertThat(groups.stats().get(0).pendingTasks()).isGreaterThanOrEqualTo(500);

        gate.countDown();
        groups.deactivate();

        assertThat(ran).hasValue(500);
        assertThat(io.isTerminated()).isTrue();
        assertThat(groups.group("worker").group().isTerminated()).isTrue();
        groups = null;
    }

    @Test
    void retiringOnceTheServiceRegistrationIsGone() {
        groups = new EventLoopGroups(ComponentConfigs.of(EventLoopConfiguration.class,
                Map.of("transport", "nio", "ioThreads", 1, "workerThreads", 1)), Map.of(), context, inForce, log);
        assertThat(groups.isRetiring(null)).isFalse();

        when(context.getServiceReference()).thenReturn(null);

        assertThat(groups.isRetiring(null)).isTrue();
    }

    static String threadName(EventLoopGroup group) throws Exception {
        return group.submit(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS);
    }

    static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
