package io.msf.event.internal;

import static io.msf.event.internal.EventLoopGroupsTest.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.msf.event.api.BundleUsage;
import io.msf.event.api.EventLoopStats;
import io.msf.event.api.Transport;
import io.msf.settings.testing.ComponentConfigs;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.log.Logger;

class BundleEventLoopServiceTest {

    private final Logger log = mock(Logger.class);
    private final ComponentContext groupsContext = EventLoopGroupsTest.registered(mock(ComponentContext.class));
    private final Bundle user = mock(Bundle.class);
    private final BundleAccounts accounts = new BundleAccounts();
    private EventLoopGroups groups;
    private BundleEventLoopService view;

    @BeforeEach
    void start() {
        groups = new EventLoopGroups(ComponentConfigs.of(EventLoopConfiguration.class,
                Map.of("transport", "nio", "ioThreads", 1, "workerThreads", 1)), Map.of(), groupsContext,
                new LoopSettingsInForce(), log);
        when(user.getSymbolicName()).thenReturn("com.example.app");
        when(user.getState()).thenReturn(Bundle.ACTIVE);
        ComponentContext viewContext = mock(ComponentContext.class);
        when(viewContext.getUsingBundle()).thenReturn(user);
        view = new BundleEventLoopService(groups, accounts, viewContext, log);
    }

    @AfterEach
    void stop() {
        groups.deactivate();
    }

    @Test
    void submittedTasksRunAndAreCounted() throws Exception {
        AtomicInteger ran = new AtomicInteger();

        view.submit("worker", ran::incrementAndGet).get(5, TimeUnit.SECONDS);
        view.schedule("io", ran::incrementAndGet, 1, TimeUnit.MILLISECONDS).get(5, TimeUnit.SECONDS);

        assertThat(ran).hasValue(2);
        await().untilAsserted(() ->
                assertThat(view.stats()).extracting(EventLoopStats::tasksRun).containsExactly(1L, 1L));
    }

    @Test
    void tasksAreCountedInTheBundlesAccount() throws Exception {
        for (int i = 0; i < 10; i++) {
            view.submit("worker", () -> { }).get(5, TimeUnit.SECONDS);
        }

        await().untilAsserted(() -> assertThat(accounts.usage()).singleElement().satisfies(usage -> {
            assertThat(usage.bundle()).isEqualTo("com.example.app");
            assertThat(usage.tasksRun()).isEqualTo(10);
            assertThat(usage.liveThreads()).isZero();
        }));
        view.deactivate();
        assertThat(accounts.usage()).as("kept while the bundle runs").hasSize(1);
        stopped(user);
        assertThat(accounts.usage()).isEmpty();
    }

    /** Netty's queues have no bound: a bundle submitting faster than its tasks ran filled the heap. */
    @Test
    void aBundlePastItsPendingTasksBoundIsRefusedAndOthersAreNot() throws Exception {
        EventLoopGroups bounded = new EventLoopGroups(ComponentConfigs.of(EventLoopConfiguration.class,
                Map.of("transport", "nio", "ioThreads", 1, "workerThreads", 1, "maxPendingTasksPerBundle", 3)),
                Map.of(), groupsContext, new LoopSettingsInForce(), log);
        try {
            ComponentContext viewContext = mock(ComponentContext.class);
            when(viewContext.getUsingBundle()).thenReturn(user);
            BundleEventLoopService flooding = new BundleEventLoopService(bounded, accounts, viewContext, log);
            CountDownLatch gate = new CountDownLatch(1);
            bounded.group("worker").group().execute(() -> await(gate)); // not through the view: not counted
            AtomicInteger ran = new AtomicInteger();
            flooding.submit("worker", ran::incrementAndGet);
            flooding.submit("worker", ran::incrementAndGet);
            flooding.schedule("io", ran::incrementAndGet, 1, TimeUnit.HOURS);

            assertThatThrownBy(() -> flooding.submit("worker", ran::incrementAndGet))
                    .isInstanceOf(RejectedExecutionException.class)
                    .hasMessage("bundle com.example.app [0] has 3 tasks pending on the event loops, the most msf.event"
                            + " maxPendingTasksPerBundle allows: it submits them faster than they run");
            assertThatThrownBy(() -> flooding.schedule("io", ran::incrementAndGet, 1, TimeUnit.SECONDS))
                    .isInstanceOf(RejectedExecutionException.class);
            Bundle otherBundle = mock(Bundle.class);
            when(otherBundle.getSymbolicName()).thenReturn("com.example.other");
            when(otherBundle.getBundleId()).thenReturn(1L); // the bound is per bundle: its own account
            ComponentContext otherContext = mock(ComponentContext.class);
            when(otherContext.getUsingBundle()).thenReturn(otherBundle);
            BundleEventLoopService other = new BundleEventLoopService(bounded, accounts, otherContext, log);
            assertThat(other.submit("io", () -> { }).await(5, TimeUnit.SECONDS)).as("another bundle's task ran")
                    .isTrue();
            other.deactivate();

            gate.countDown();
            await().until(() -> ran.get() == 2);
            flooding.submit("worker", ran::incrementAndGet).get(5, TimeUnit.SECONDS);
            assertThat(ran).hasValue(3);
            flooding.deactivate();
        } finally {
            bounded.deactivate();
        }
    }

    @Test
    void pendingTasksAreCancelledWhenTheBundleReleasesTheService() {
        AtomicInteger ran = new AtomicInteger();
        ScheduledFuture<?> later = view.schedule("io", ran::incrementAndGet, 1, TimeUnit.HOURS);
        CountDownLatch gate = blockLoop("worker");
        Future<?> queued = view.submit("worker", ran::incrementAndGet);

        view.deactivate();
        gate.countDown();

        assertThat(later.isCancelled()).isTrue();
        assertThat(queued.isCancelled()).isTrue();
        assertThat(view.stats()).extracting(EventLoopStats::tasksCancelled).containsExactly(1L, 1L);
        assertThat(ran).hasValue(0);
    }

    @Test
    void tasksAreLeftToDrainWhenTheGroupsAreReplaced() {
        CountDownLatch gate = blockLoop("io");
        AtomicInteger ran = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            futures.add(view.submit("io", ran::incrementAndGet));
        }
        // SCR unregisters the groups' service before it releases the views.
        when(groupsContext.getServiceReference()).thenReturn(null);

        view.deactivate();
        gate.countDown();
        groups.deactivate();

        assertThat(ran).hasValue(100);
        assertThat(futures).noneMatch(Future::isCancelled);
        assertThat(view.stats()).extracting(EventLoopStats::tasksCancelled).containsExactly(0L, 0L);
    }

    /**
     * A worker-thread change releases the views (their users restart): what they queued on the io group
     * runs there, what they scheduled there not yet due is cancelled.
     */
    @Test
    void aSwapOfOneGroupKeepsTheTasksOnTheOtherAndDrainsTheSwappedOne() throws Exception {
        // SCR releases the view while the groups unregister their generation.
        releasedBySwap(() -> view.deactivate());
        ScheduledFuture<?> later = view.schedule("io", () -> { }, 1, TimeUnit.HOURS);
        ScheduledFuture<?> laterOnWorker = view.schedule("worker", () -> { }, 1, TimeUnit.HOURS);
        CountDownLatch gate = blockLoop("worker");
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 10; i++) {
            view.submit("worker", ran::incrementAndGet);
        }

        groups.modified(ComponentConfigs.of(EventLoopConfiguration.class,
                Map.of("transport", "nio", "ioThreads", 1, "workerThreads", 2)), Map.of());
        groups.awaitSwap();
        gate.countDown();

        assertThatThrownBy(() -> view.group("io")).isInstanceOf(IllegalStateException.class);
        await().untilAsserted(() -> assertThat(ran).hasValue(10));
        await().untilAsserted(() -> assertThat(laterOnWorker.isCancelled()).isTrue()); // Netty drops it with its loop
        verify(log).warn(contains("end with the replaced event loops"), eq("msf.event"), eq(1L),
                eq("com.example.app [0]"));
        // Not yet due on the io group kept: left there untracked, it would fire on the user's stopped
        // instance, beside what its restart schedules again, and outlive a stop of its bundle.
        assertThat(later.isCancelled()).as("the io task not yet due of the released view").isTrue();
        verify(log).warn(contains("on the event loops kept"), eq("msf.event"), eq(1L), eq("com.example.app [0]"));
    }

    /**
     * A view a swap released, its queued tasks left to run, stayed among the views a group's stop goes
     * over until a later group stopped, holding its bundle (an uninstalled one too) meanwhile.
     */
    @Test
    void aViewASwapReleasedIsLetGoOnceTheTasksItLeftToRunAreDone() throws Exception {
        releasedBySwap(() -> view.deactivate());
        CountDownLatch gate = blockLoop("io");
        Future<?> queued = view.submit("io", () -> { });

        groups.modified(ComponentConfigs.of(EventLoopConfiguration.class,
                Map.of("transport", "nio", "ioThreads", 1, "workerThreads", 2)), Map.of());
        groups.awaitSwap();
        await().untilAsserted(() -> verify(log).info(contains("the replaced event-loop group"), eq("msf.event"),
                eq("worker"), eq(1)));
        assertThat(groups.follows(view)).as("its task left to run on the io group").isTrue();
        gate.countDown();

        assertThat(queued.await(5, TimeUnit.SECONDS)).isTrue();
        await().untilAsserted(() -> assertThat(groups.follows(view)).as("its last task done").isFalse());
    }

    /** With no task left to run, the release itself lets it go. */
    @Test
    void aViewASwapReleasedWithNoTaskLeftIsLetGoAtOnce() throws Exception {
        releasedBySwap(() -> view.deactivate());

        groups.modified(ComponentConfigs.of(EventLoopConfiguration.class,
                Map.of("transport", "nio", "ioThreads", 1, "workerThreads", 2)), Map.of());
        groups.awaitSwap();

        assertThatThrownBy(() -> view.group("io")).as("released by the swap").isInstanceOf(IllegalStateException.class);
        assertThat(groups.follows(view)).isFalse();
    }

    /**
     * A submit or schedule that passed the view's released check just before a swap released it reaches
     * track() after the release went over the tasks: it is treated as the release treats the others. A
     * task not yet due, left, fired on the instance the swap stopped, beside what its restart schedules.
     */
    @Test
    void aTaskTrackedJustAfterASwapReleasedTheViewFaresAsTheReleaseLeftTheOthers() throws Exception {
        releasedBySwap(() -> view.deactivate());
        groups.modified(ComponentConfigs.of(EventLoopConfiguration.class,
                Map.of("transport", "nio", "ioThreads", 1, "workerThreads", 2)), Map.of());
        groups.awaitSwap();
        assertThatThrownBy(() -> view.group("io")).as("released by the swap").isInstanceOf(IllegalStateException.class);
        NamedLoopGroup io = groups.group("io"); // the group kept
        CountDownLatch gate = blockLoop("io");
        AtomicInteger ran = new AtomicInteger();

        ScheduledFuture<?> later = view.track(io, io.group().schedule(ran::incrementAndGet, 1, TimeUnit.HOURS));
        Future<?> queued = view.track(io, io.group().submit(ran::incrementAndGet));
        gate.countDown();

        assertThat(later.isCancelled()).as("not yet due").isTrue();
        assertThat(queued.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(queued.isCancelled()).as("queued: left to run").isFalse();
        assertThat(ran).hasValue(1);
    }

    @Test
    void aStoppingBundleLosesItsTasksEvenWhileTheGroupsAreReplaced() {
        ScheduledFuture<?> later = view.schedule("io", () -> { }, 1, TimeUnit.HOURS);
        when(groupsContext.getServiceReference()).thenReturn(null);
        when(user.getState()).thenReturn(Bundle.STOPPING);

        view.deactivate();

        assertThat(later.isCancelled()).isTrue();
    }

    @Test
    void theBundlesAccountOutlivesAReplacementOfTheGroups() throws Exception {
        for (int i = 0; i < 3; i++) {
            view.submit("worker", () -> { }).get(5, TimeUnit.SECONDS);
        }
        await().untilAsserted(() -> assertThat(accounts.usage()).extracting(BundleUsage::tasksRun).containsExactly(3L));

        // msf.event changed: SCR unregisters the groups, releases the views, then starts new groups and views.
        when(groupsContext.getServiceReference()).thenReturn(null);
        view.deactivate();
        groups.deactivate();
        assertThat(accounts.usage()).extracting(BundleUsage::tasksRun).containsExactly(3L);
        when(groupsContext.getServiceReference()).thenAnswer(i -> mock(ServiceReference.class));
        groups = new EventLoopGroups(ComponentConfigs.of(EventLoopConfiguration.class,
                Map.of("transport", "nio", "ioThreads", 1, "workerThreads", 1)), Map.of(), groupsContext,
                new LoopSettingsInForce(), log);
        ComponentContext viewContext = mock(ComponentContext.class);
        when(viewContext.getUsingBundle()).thenReturn(user);
        view = new BundleEventLoopService(groups, accounts, viewContext, log);
        view.submit("worker", () -> { }).get(5, TimeUnit.SECONDS);

        // The bundle's totals go on (a counter that drops looks like a restart to a monitor).
        await().untilAsserted(() -> assertThat(accounts.usage()).singleElement()
                .satisfies(usage -> assertThat(usage.tasksRun()).isEqualTo(4)));

        // Once the bundle stops and lets go of the service, its account goes.
        when(user.getState()).thenReturn(Bundle.STOPPING);
        view.deactivate();
        stopped(user);
        assertThat(accounts.usage()).isEmpty();
    }

    @Test
    void aBundleThatStopsWhileTheGroupsAreReplacedLeavesNoAccount() {
        view.submit("worker", () -> { }).awaitUninterruptibly(5, TimeUnit.SECONDS);
        when(groupsContext.getServiceReference()).thenReturn(null);
        view.deactivate();

        // It never gets the service from the new groups: it stopped meanwhile.
        stopped(user);

        assertThat(accounts.usage()).isEmpty();
    }

    /**
     * The bound is the bundle's, as maxPendingTasksPerBundle says, not each view's: a bundle that holds
     * the view of every group and one bound to a group had twice as many tasks pending, and three times
     * with a view bound to each.
     */
    @Test
    void theBoundOnPendingTasksCountsEveryViewOfTheBundle() throws Exception {
        EventLoopGroups bounded = new EventLoopGroups(ComponentConfigs.of(EventLoopConfiguration.class,
                Map.of("transport", "nio", "ioThreads", 1, "workerThreads", 1, "maxPendingTasksPerBundle", 3)),
                Map.of(), groupsContext, new LoopSettingsInForce(), log);
        BundleEventLoopService every = new BundleEventLoopService(bounded, accounts, usedBy(user), log);
        IoEventLoopService io = new IoEventLoopService(new LoopGeneration(1, "io", bounded), accounts, usedBy(user), log);
        try {
            every.schedule("worker", () -> { }, 1, TimeUnit.HOURS);
            every.schedule("io", () -> { }, 1, TimeUnit.HOURS);
            ScheduledFuture<?> third = io.schedule("io", () -> { }, 1, TimeUnit.HOURS);

            assertThatThrownBy(() -> io.schedule("io", () -> { }, 1, TimeUnit.HOURS))
                    .isInstanceOf(RejectedExecutionException.class)
                    .hasMessageStartingWith("bundle com.example.app [0] has 3 tasks pending on the event loops");
            assertThatThrownBy(() -> every.submit("worker", () -> { })).isInstanceOf(RejectedExecutionException.class);

            third.cancel(false); // done: it leaves the count (its listeners run on its loop, a moment later)
            await().until(() -> {
                try {
                    every.schedule("worker", () -> { }, 1, TimeUnit.HOURS);
                    return true;
                } catch (RejectedExecutionException stillCounted) {
                    return false;
                }
            });
            assertThatThrownBy(() -> io.submit("io", () -> { })).isInstanceOf(RejectedExecutionException.class);
        } finally {
            every.deactivate();
            bounded.deactivate();
        }
    }

    @Test
    void aViewBoundToOneGroupGivesThatGroupAloneAndRefusesAnotherNamingWhy() throws Exception {
        IoEventLoopService bound = new IoEventLoopService(new LoopGeneration(1, "io", groups), accounts,
                usedBy(user), log);
        try {
            assertThat(bound.groupNames()).containsExactly("io");
            assertThat(bound.submit("io", () -> { }).await(5, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> bound.submit("worker", () -> { })).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("bound to group 'io' (msf.event.group=io)")
                    .hasMessageContaining("no group 'worker'");
            assertThatThrownBy(() -> bound.group("worker")).isInstanceOf(IllegalArgumentException.class);
        } finally {
            bound.deactivate();
        }
    }

    /**
     * A user holding the view of every group and one bound to the io group restarts on a swap of the worker
     * group: SCR releases both on the swap's thread. The bound view cancelled what it queued on the io group
     * while the other view left its own there to run: both now leave it to run, and cancel only what is not
     * yet due (it would fire on the stopped instance, beside what the restart schedules again).
     */
    @Test
    void aViewBoundToAGroupKeptThatTheSwapReleasesLeavesItsQueuedTasksToRunAsTheViewOfEveryGroupDoes()
            throws Exception {
        IoEventLoopService[] bound = new IoEventLoopService[1];
        AtomicBoolean releasedOnce = new AtomicBoolean();
        releasedBySwap(() -> {
            if (bound[0] != null && releasedOnce.compareAndSet(false, true)) {
                view.deactivate(); // the user's view of every group, which requires the worker generation
                bound[0].deactivate(); // its user stops, and its bundle ungets the view bound to io
            }
        });
        bound[0] = new IoEventLoopService(new LoopGeneration(1, "io", groups), accounts, usedBy(user), log);
        ScheduledFuture<?> later = bound[0].schedule("io", () -> { }, 1, TimeUnit.HOURS);
        CountDownLatch gate = blockLoop("io");
        AtomicInteger ran = new AtomicInteger();
        Future<?> queuedByBound = bound[0].submit("io", ran::incrementAndGet);
        Future<?> queuedByEvery = view.submit("io", ran::incrementAndGet);

        groups.modified(ComponentConfigs.of(EventLoopConfiguration.class,
                Map.of("transport", "nio", "ioThreads", 1, "workerThreads", 2)), Map.of());
        groups.awaitSwap();
        gate.countDown();

        assertThat(releasedOnce).isTrue();
        await().untilAsserted(() -> assertThat(ran).hasValue(2));
        assertThat(queuedByBound.isCancelled()).as("queued by the view bound to io").isFalse();
        assertThat(queuedByEvery.isCancelled()).as("queued by the view of every group").isFalse();
        assertThat(later.isCancelled()).as("not yet due").isTrue();
    }

    /** Released during a swap but not by it (not on its thread): its bundle let go of it, its tasks are cancelled. */
    @Test
    void aViewBoundToAGroupKeptThatItsBundleReleasesElsewhereDuringASwapCancelsItsTasks() throws Exception {
        IoEventLoopService[] bound = new IoEventLoopService[1];
        AtomicBoolean releasedOnce = new AtomicBoolean();
        releasedBySwap(() -> {
            if (bound[0] != null && releasedOnce.compareAndSet(false, true)) {
                Thread elsewhere = new Thread(bound[0]::deactivate);
                elsewhere.start();
                elsewhere.join();
            }
        });
        bound[0] = new IoEventLoopService(new LoopGeneration(1, "io", groups), accounts, usedBy(user), log);
        CountDownLatch gate = blockLoop("io");
        Future<?> queued = bound[0].submit("io", () -> { });

        groups.modified(ComponentConfigs.of(EventLoopConfiguration.class,
                Map.of("transport", "nio", "ioThreads", 1, "workerThreads", 2)), Map.of());
        groups.awaitSwap();
        gate.countDown();

        assertThat(releasedOnce).isTrue();
        assertThat(queued.isCancelled()).isTrue();
    }

    /**
     * The tasks a swap leaves to run are still the bundle's: its view of the new groups counted from zero,
     * and a bundle at its bound had its bound again on top of what it left queued, at every swap.
     */
    @Test
    void theTasksASwapLeavesToRunStillCountTowardTheBundlesBound() throws Exception {
        AtomicBoolean swapping = new AtomicBoolean();
        releasedBySwap(() -> {
            if (swapping.compareAndSet(true, false)) {
                view.deactivate();
            }
        });
        restartWithBound(3);
        CountDownLatch ioGate = blockLoop("io");
        CountDownLatch workerGate = blockLoop("worker");
        AtomicInteger ran = new AtomicInteger();
        view.submit("io", ran::incrementAndGet); // on the group kept
        view.submit("io", ran::incrementAndGet);
        view.submit("worker", ran::incrementAndGet); // on the group replaced

        swapping.set(true);
        groups.modified(ComponentConfigs.of(EventLoopConfiguration.class, Map.of("transport", "nio",
                "ioThreads", 1, "workerThreads", 2, "maxPendingTasksPerBundle", 3)), Map.of());
        groups.awaitSwap();
        assertThat(swapping).as("the view was released by the swap").isFalse();
        assertThatThrownBy(() -> view.submit("io", () -> { })).isInstanceOf(IllegalStateException.class);
        BundleEventLoopService restarted = new BundleEventLoopService(groups, accounts, usedBy(user), log);
        try {
            assertThatThrownBy(() -> restarted.submit("io", ran::incrementAndGet))
                    .isInstanceOf(RejectedExecutionException.class);
            assertThatThrownBy(() -> restarted.submit("worker", ran::incrementAndGet))
                    .isInstanceOf(RejectedExecutionException.class);

            ioGate.countDown();
            workerGate.countDown();
            await().until(() -> ran.get() == 3);
            await().until(() -> { // done, they leave the count (their listeners run a moment later)
                try {
                    restarted.submit("worker", ran::incrementAndGet);
                    return true;
                } catch (RejectedExecutionException stillCounted) {
                    return false;
                }
            });
            await().until(() -> ran.get() == 4);
        } finally {
            ioGate.countDown();
            workerGate.countDown();
            restarted.deactivate();
        }
    }

    /**
     * A task that ran, on a loop that then ended (a swap drained it), before its submit added the listener
     * that untracks it: Netty hands that listener to the ended loop, which refuses it, and the task stayed
     * counted toward the bundle's bound for ever. The future here is in the state that race leaves it in.
     */
    @Test
    void aTaskDoneOnALoopThatEndedBeforeItsListenerWasAddedLeavesTheCount() throws Exception {
        EventLoopGroups bounded = new EventLoopGroups(ComponentConfigs.of(EventLoopConfiguration.class,
                Map.of("transport", "nio", "ioThreads", 1, "workerThreads", 1, "maxPendingTasksPerBundle", 1)),
                Map.of(), groupsContext, new LoopSettingsInForce(), log);
        DefaultEventExecutor ended = new DefaultEventExecutor();
        try {
            BundleEventLoopService tracking = new BundleEventLoopService(bounded, accounts, usedBy(user), log);
            Future<?> ran = ended.submit(() -> { });
            ran.sync();
            assertThat(ended.shutdownGracefully(0, 0, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS)).isTrue();

            tracking.track(bounded.group("worker"), ran);

            assertThat(tracking.submit("worker", () -> { }).await(5, TimeUnit.SECONDS))
                    .as("the bundle's next task is admitted and runs").isTrue();
            tracking.deactivate();
        } finally {
            ended.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            bounded.deactivate();
        }
    }

    /**
     * A task its loop ran before its submit began tracking it (a short task on an idle loop): tracking it hands
     * the loop no task of its own to notify a listener, which would wake the loop for nothing (and, on a loop
     * that ended meanwhile, be refused with an ERROR of Netty's), and leaves the bundle's count as it was.
     */
    @Test
    void aTaskDoneBeforeItIsTrackedCostsItsLoopNoNotificationTask() throws Exception {
        restartWithBound(1);
        AtomicInteger handedToLoop = new AtomicInteger();
        DefaultEventLoop loop = new DefaultEventLoop() {
            @Override
            public void execute(Runnable task) {
                handedToLoop.incrementAndGet();
                super.execute(task);
            }
        };
        try {
            Future<?> ran = loop.submit(() -> { });
            ran.sync();
            int before = handedToLoop.get();

            view.track(groups.group("worker"), ran);

            assertThat(view.submit("io", () -> { }).await(5, TimeUnit.SECONDS))
                    .as("not counted: the bundle's next task is admitted").isTrue();
            assertThat(handedToLoop.get()).as("tasks handed to the done task's loop by tracking it").isEqualTo(before);
        } finally {
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        }
    }

    /**
     * Netty drops a task that reaches a loop after its last run of tasks (its submitter passed the loop's
     * shutdown check just before the loop stopped taking tasks; the loop's final drain takes it before the
     * submitter can take it back and throw): its future is never completed. It stayed counted toward the
     * bundle's bound for ever, and a caller waiting on it waited for ever. The future here is in the state
     * that drop leaves it in: one of the loop's, that nothing will complete.
     */
    @Test
    void aTaskTheLoopDroppedAsItsGroupStoppedIsCancelledAndLeavesTheCount() throws Exception {
        restartWithBound(1);
        NamedLoopGroup replaced = groups.group("worker");
        Future<?> dropped = view.track(replaced, replaced.group().next().newPromise());
        assertThatThrownBy(() -> view.submit("io", () -> { })).as("counted")
                .isInstanceOf(RejectedExecutionException.class);

        groups.modified(ComponentConfigs.of(EventLoopConfiguration.class, Map.of("transport", "nio",
                "ioThreads", 1, "workerThreads", 2, "maxPendingTasksPerBundle", 1)), Map.of());
        groups.awaitSwap();

        assertThat(dropped.await(5, TimeUnit.SECONDS)).as("a caller waiting on it is woken").isTrue();
        assertThat(dropped.isCancelled()).isTrue();
        assertThat(view.submit("io", () -> { }).await(5, TimeUnit.SECONDS)).as("the bundle's next task is admitted")
                .isTrue();
        await().untilAsserted(() -> verify(log).warn(contains("never ran"), eq("msf.event"), eq(1L),
                eq("com.example.app [0]"), eq("worker")));
    }

    /**
     * A task its caller cancelled from another thread as its loop stopped: Netty hands the listener that
     * untracks it to the loop, which refuses it, and the task stayed counted toward the bundle's bound for
     * ever. The future here is in the state that leaves it in: done, on an executor that refuses the listener.
     */
    @Test
    void aTaskDoneWhoseListenerTheStoppingLoopRefusedLeavesTheCountWhenItsGroupStops() throws Exception {
        restartWithBound(1);
        DefaultEventExecutor ended = new DefaultEventExecutor();
        try {
            assertThat(ended.shutdownGracefully(0, 0, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS)).isTrue();
            io.netty.util.concurrent.Promise<Void> cancelledLate = ended.newPromise();
            view.track(groups.group("worker"), cancelledLate);
            assertThat(cancelledLate.cancel(false)).isTrue(); // its listener refused
            assertThatThrownBy(() -> view.submit("io", () -> { })).as("still counted")
                    .isInstanceOf(RejectedExecutionException.class);

            groups.modified(ComponentConfigs.of(EventLoopConfiguration.class, Map.of("transport", "nio",
                    "ioThreads", 1, "workerThreads", 2, "maxPendingTasksPerBundle", 1)), Map.of());
            groups.awaitSwap();

            await().until(() -> { // the old group's stop is told a moment after the swap
                try {
                    return view.submit("io", () -> { }).await(5, TimeUnit.SECONDS);
                } catch (RejectedExecutionException stillCounted) {
                    return false;
                }
            });
        } finally {
            ended.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        }
    }

    /** As above, but the submitter tracks the future the loop dropped only after its group stopped. */
    @Test
    void aTaskTheLoopDroppedThatIsTrackedAfterItsGroupStoppedIsCancelledAndNotCounted() throws Exception {
        AtomicBoolean swapping = new AtomicBoolean();
        releasedBySwap(() -> {
            if (swapping.compareAndSet(true, false)) {
                view.deactivate();
            }
        });
        restartWithBound(1);
        swapping.set(true);
        NamedLoopGroup replaced = groups.group("worker");
        groups.modified(ComponentConfigs.of(EventLoopConfiguration.class, Map.of("transport", "nio",
                "ioThreads", 1, "workerThreads", 2, "maxPendingTasksPerBundle", 1)), Map.of());
        groups.awaitSwap();
        assertThat(swapping).as("the view was released by the swap").isFalse();
        assertThat(replaced.group().terminationFuture().await(5, TimeUnit.SECONDS)).isTrue();

        Future<?> dropped = view.track(replaced, replaced.group().next().newPromise());

        assertThat(dropped.isCancelled()).isTrue();
        BundleEventLoopService restarted = new BundleEventLoopService(groups, accounts, usedBy(user), log);
        try {
            assertThat(restarted.submit("worker", () -> { }).await(5, TimeUnit.SECONDS))
                    .as("the bundle's next task is admitted").isTrue();
        } finally {
            restarted.deactivate();
        }
    }

    /** Starts the groups again with generations whose unregistration runs {@code onUnregister}, as SCR does. */
    /**
     * Starts the groups again on NIO with one thread each and a bound of {@code maxPending} tasks per bundle,
     * and gives the user a view of them.
     */
    private void restartWithBound(int maxPending) {
        groups.deactivate();
        groups = new EventLoopGroups(ComponentConfigs.of(EventLoopConfiguration.class, Map.of("transport", "nio",
                "ioThreads", 1, "workerThreads", 1, "maxPendingTasksPerBundle", maxPending)), Map.of(), groupsContext,
                new LoopSettingsInForce(), log);
        view = new BundleEventLoopService(groups, accounts, usedBy(user), log);
    }

    private void releasedBySwap(Release onUnregister) {
        BundleContext bundleContext = groupsContext.getBundleContext();
        @SuppressWarnings("unchecked")
        ServiceRegistration<LoopGeneration> registration = mock(ServiceRegistration.class);
        doAnswer(i -> {
            onUnregister.run();
            return null;
        }).when(registration).unregister();
        when(bundleContext.registerService(eq(LoopGeneration.class), any(LoopGeneration.class), any()))
                .thenReturn(registration);
        groups.deactivate();
        start();
    }

    @FunctionalInterface
    private interface Release {
        void run() throws Exception;
    }

    /** What the framework does as the bundle's stop ends: its views are released, then STOPPED is told. */
    private void stopped(Bundle bundle) {
        when(bundle.getState()).thenReturn(Bundle.RESOLVED);
        accounts.bundleChanged(new BundleEvent(BundleEvent.STOPPED, bundle));
    }

    private static ComponentContext usedBy(Bundle bundle) {
        ComponentContext viewContext = mock(ComponentContext.class);
        when(viewContext.getUsingBundle()).thenReturn(bundle);
        return viewContext;
    }

    @Test
    void aTaskSubmittedAsTheGroupsAreReplacedIsNotCancelled() throws Exception {
        NamedLoopGroup io = new NamedLoopGroup("io", Transport.NIO, 1);
        try {
            EventLoopGroups replaced = mock(EventLoopGroups.class);
            when(replaced.isRetiring(null)).thenReturn(true);
            when(replaced.maxPendingPerBundle()).thenReturn(LoopSettings.DEFAULT_MAX_PENDING_PER_BUNDLE);
            ComponentContext viewContext = mock(ComponentContext.class);
            when(viewContext.getUsingBundle()).thenReturn(user);
            BundleEventLoopService racing = new BundleEventLoopService(replaced, accounts, viewContext, log);
            // SCR releases the view (msf.event changed) just after submit() found it usable.
            when(replaced.group("io")).thenAnswer(i -> {
                racing.deactivate();
                return io;
            });
            AtomicInteger ran = new AtomicInteger();
            CountDownLatch gate = new CountDownLatch(1);
            CountDownLatch blocked = new CountDownLatch(1);
            io.group().execute(() -> {
                blocked.countDown();
                await(gate);
            });
            await(blocked);

            Future<?> future = racing.submit("io", ran::incrementAndGet);
            gate.countDown();

            // The old groups run what they were given before they stop, as for the tasks submitted earlier.
            assertThat(future.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(future.isCancelled()).isFalse();
            assertThat(ran).hasValue(1);
        } finally {
            io.shutDown(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
        }
    }

    @Test
    void aReleasedViewRefusesNewTasks() {
        view.deactivate();

        assertThatThrownBy(() -> view.submit("io", () -> { }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("com.example.app")
                .hasMessageContaining("was released");
    }

    /** A bundle that kept a stopped view would otherwise go on using groups that may be gone. */
    @Test
    void aReleasedViewRefusesToHandOutAGroup() {
        view.deactivate();

        assertThatThrownBy(() -> view.group("io"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("com.example.app")
                .hasMessageContaining("was released");
    }

    @Test
    void badArgumentsAreRejected() {
        assertThatThrownBy(() -> view.submit("io", null)).isInstanceOf(NullPointerException.class).hasMessage("task");
        assertThatThrownBy(() -> view.submit("gpu", () -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'gpu'");
        assertThatThrownBy(() -> view.schedule("io", () -> { }, -1, TimeUnit.SECONDS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("delay must not be negative");
        assertThatThrownBy(() -> view.schedule("io", () -> { }, 1, null))
                .isInstanceOf(NullPointerException.class).hasMessage("unit");
    }

    @Test
    void aBundleCannotShutOneOfTheSharedLoopsDownEither() throws Exception {
        EventLoop loop = view.group("io").next();

        assertThatThrownBy(loop::shutdownGracefully)
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("'io'");
        assertThatThrownBy(() -> loop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(loop::shutdown).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(loop::shutdownNow).isInstanceOf(UnsupportedOperationException.class);

        assertThat(loop.isShuttingDown()).isFalse();
        assertThat(loop.submit(() -> { }).await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aBundleCannotShutTheSharedGroupDownThroughTheParentOfOneOfItsLoops() throws Exception {
        // A loop's parent is the container's group itself (Netty and the agent compare it by identity).
        EventLoopGroup parent = view.group("io").next().parent();

        assertThatThrownBy(parent::shutdownGracefully)
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("'io'");
        assertThatThrownBy(() -> parent.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(parent::shutdown).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(parent::shutdownNow).isInstanceOf(UnsupportedOperationException.class);

        assertThat(parent.isShuttingDown()).isFalse();
        assertThat(view.submit("io", () -> { }).await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void theContainersOwnShutdownOfAGroupEndsItsLoops() throws Exception {
        NamedLoopGroup group = groups.group("worker");
        EventLoop loop = (EventLoop) group.group().next();

        assertThat(group.shutDown(0, 0, TimeUnit.MILLISECONDS).await(5, TimeUnit.SECONDS)).isTrue();

        assertThat(loop.isTerminated()).isTrue();
    }

    @Test
    void aBundleCannotShutTheSharedGroupsDownForEveryone() throws Exception {
        EventLoopGroup io = view.group("io");

        // The usual Netty idiom in a bundle's deactivate would stop the I/O of the whole container.
        assertThatThrownBy(io::shutdownGracefully)
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("'io'");
        assertThatThrownBy(() -> io.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(io::shutdown).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(io::shutdownNow).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> view.group("worker").shutdownGracefully())
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("'worker'");

        assertThat(groups.group("io").group().isShuttingDown()).isFalse();
        assertThat(groups.group("worker").group().isShuttingDown()).isFalse();
        assertThat(view.submit("io", () -> { }).await(5, TimeUnit.SECONDS)).isTrue();
        // Still a group channels are registered on.
        Channel server = new ServerBootstrap().group(io).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInboundHandlerAdapter()).bind("127.0.0.1", 0).sync().channel();
        try {
            assertThat(server.isActive()).isTrue();
            assertThat(server.eventLoop().parent()).isSameAs(groups.group("io").group());
        } finally {
            server.close().sync();
        }
    }

    /**
     * loop:stats and msf:services showed a swapped group's counters from zero again, and a monitor takes a
     * counter's drop for a restart. They go on, and count what the replaced group drains too.
     */
    @Test
    void aSwappedGroupsCountersGoOnAndCountWhatTheReplacedGroupDrains() throws Exception {
        releasedBySwap(() -> view.deactivate());
        view.submit("worker", () -> { }).get(5, TimeUnit.SECONDS);
        BundleEventLoopService letGo = new BundleEventLoopService(groups, accounts, usedBy(user), log);
        letGo.schedule("worker", () -> { }, 1, TimeUnit.HOURS);
        letGo.deactivate(); // its bundle let go of it: cancelled
        CountDownLatch gate = blockLoop("worker");
        AtomicInteger ran = new AtomicInteger();
        view.submit("worker", ran::incrementAndGet); // left to run on the replaced group

        groups.modified(ComponentConfigs.of(EventLoopConfiguration.class,
                Map.of("transport", "nio", "ioThreads", 1, "workerThreads", 2)), Map.of());
        groups.awaitSwap();
        gate.countDown();
        await().until(() -> ran.get() == 1);
        BundleEventLoopService restarted = new BundleEventLoopService(groups, accounts, usedBy(user), log);
        try {
            restarted.submit("worker", () -> { }).get(5, TimeUnit.SECONDS);

            await().untilAsserted(() -> assertThat(restarted.stats()).filteredOn(s -> s.group().equals("worker"))
                    .singleElement().satisfies(worker -> {
                        assertThat(worker.threads()).as("swapped").isEqualTo(2);
                        assertThat(worker.tasksRun()).isEqualTo(3);
                        assertThat(worker.tasksCancelled()).isEqualTo(1);
                    }));
        } finally {
            restarted.deactivate();
        }
    }

    /**
     * A swap leaves the released view's queued tasks to run, on the group kept and on the replaced one; the
     * bundle then stops before they ran. No view it held at its stop reached them: they ran all the same,
     * the stopped bundle's code on a shared loop.
     */
    @Test
    void aStopOfTheBundleCancelsTheTasksASwapLeftToRun() throws Exception {
        releasedBySwap(() -> view.deactivate());
        CountDownLatch ioGate = blockLoop("io");
        CountDownLatch workerGate = blockLoop("worker");
        AtomicInteger ran = new AtomicInteger();
        Future<?> onKept = view.submit("io", ran::incrementAndGet);
        Future<?> onReplaced = view.submit("worker", ran::incrementAndGet);
        groups.modified(ComponentConfigs.of(EventLoopConfiguration.class,
                Map.of("transport", "nio", "ioThreads", 1, "workerThreads", 2)), Map.of());
        groups.awaitSwap();
        BundleEventLoopService restarted = new BundleEventLoopService(groups, accounts, usedBy(user), log);
        assertThat(onKept.isCancelled() || onReplaced.isCancelled()).as("left to run by the swap").isFalse();

        when(user.getState()).thenReturn(Bundle.STOPPING);
        accounts.bundleChanged(new BundleEvent(BundleEvent.STOPPING, user));
        restarted.deactivate();
        ioGate.countDown();
        workerGate.countDown();

        assertThat(onKept.isCancelled()).as("on the group kept").isTrue();
        assertThat(onReplaced.isCancelled()).as("on the replaced group").isTrue();
        assertThat(groups.group("io").group().submit(() -> { }).await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).hasValue(0);
        verify(log).info(contains("that a replacement of the event loops left to run"), eq("msf.event"), eq(2L),
                eq("com.example.app [0]"));
    }

    /** As above, but the bundle stops before it gets the service from the new groups: no view of its is released. */
    @Test
    void aBundleThatStopsBeforeItGetsTheNewGroupsLosesTheTasksASwapLeftToRun() throws Exception {
        view.deactivate(); // the view of the first start, which would keep the account held
        releasedBySwap(() -> view.deactivate());
        CountDownLatch ioGate = blockLoop("io");
        AtomicInteger ran = new AtomicInteger();
        Future<?> onKept = view.submit("io", ran::incrementAndGet);
        groups.modified(ComponentConfigs.of(EventLoopConfiguration.class,
                Map.of("transport", "nio", "ioThreads", 1, "workerThreads", 2)), Map.of());
        groups.awaitSwap();
        assertThat(onKept.isCancelled()).as("left to run by the swap").isFalse();

        // Nobody reads the accounts: the stop alone ends them.
        when(user.getState()).thenReturn(Bundle.STOPPING);
        accounts.bundleChanged(new BundleEvent(BundleEvent.STOPPING, user));

        ioGate.countDown();
        assertThat(onKept.isCancelled()).isTrue();
        assertThat(groups.group("io").group().submit(() -> { }).await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).hasValue(0);
    }

    /**
     * A swap releases the view as the bundle stops: the release saw the bundle active and left its queued
     * tasks to run, but the stop ended (STOPPED told) before the release handed them to the account. The
     * release, the last reason to keep the account, drops it: it ends them too, or they run the stopped
     * bundle's code on a shared loop.
     */
    @Test
    void aReleaseThatDropsTheAccountAfterTheBundleStoppedCancelsTheTasksASwapLeftToRun() throws Exception {
        view.deactivate(); // the view of the first start, which would keep the account held
        AtomicBoolean releasing = new AtomicBoolean();
        releasedBySwap(() -> {
            releasing.set(true);
            view.deactivate();
        });
        stopsAsTheSwapReleasesTheView(releasing);
        CountDownLatch ioGate = blockLoop("io");
        AtomicInteger ran = new AtomicInteger();
        Future<?> onKept = view.submit("io", ran::incrementAndGet);

        groups.modified(ComponentConfigs.of(EventLoopConfiguration.class,
                Map.of("transport", "nio", "ioThreads", 1, "workerThreads", 2)), Map.of());
        groups.awaitSwap();
        ioGate.countDown();

        assertThat(accounts.usage()).as("accounts").isEmpty();
        assertThat(onKept.isCancelled()).isTrue();
        assertThat(groups.group("io").group().submit(() -> { }).await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).hasValue(0);
        verify(log).info(contains("that a replacement of the event loops left to run"), eq("msf.event"), eq(1L),
                eq("com.example.app [0]"));
    }

    /** As above, but an executor thread of the bundle outlives the release: the account goes when it ends. */
    @Test
    void theLastExecutorThreadEndingAfterTheBundleStoppedCancelsTheTasksASwapLeftToRun() throws Exception {
        view.deactivate();
        Thread executorThread = new Thread(() -> { });
        BundleAccount account = accounts.hold(user);
        accounts.threadStarted(account, executorThread);
        accounts.release(account);
        AtomicBoolean releasing = new AtomicBoolean();
        releasedBySwap(() -> {
            releasing.set(true);
            view.deactivate();
        });
        stopsAsTheSwapReleasesTheView(releasing);
        CountDownLatch ioGate = blockLoop("io");
        AtomicInteger ran = new AtomicInteger();
        Future<?> onKept = view.submit("io", ran::incrementAndGet);
        groups.modified(ComponentConfigs.of(EventLoopConfiguration.class,
                Map.of("transport", "nio", "ioThreads", 1, "workerThreads", 2)), Map.of());
        groups.awaitSwap();
        assertThat(onKept.isCancelled()).as("kept for the executor thread's end").isFalse();

        accounts.threadEnded(account, executorThread);
        ioGate.countDown();

        assertThat(accounts.usage()).as("accounts").isEmpty();
        assertThat(onKept.isCancelled()).isTrue();
        assertThat(groups.group("io").group().submit(() -> { }).await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).hasValue(0);
    }

    /**
     * The user's state as the bundle stops while a swap releases its view: the release reads it active,
     * and the stop ends (STOPPED told) at once, before the release goes on.
     */
    private void stopsAsTheSwapReleasesTheView(AtomicBoolean releasing) {
        AtomicBoolean stopped = new AtomicBoolean();
        when(user.getState()).thenAnswer(i -> {
            if (stopped.get()) {
                return Bundle.RESOLVED;
            }
            if (releasing.get()) {
                stopped.set(true);
                accounts.bundleChanged(new BundleEvent(BundleEvent.STOPPED, user));
            }
            return Bundle.ACTIVE;
        });
    }

    /**
     * A loop shutting down refuses the request a cancelled scheduled task makes to leave its queue, and the
     * bundle listener that cancels a stopping bundle's tasks must not throw into the framework's stop. The
     * task is cancelled all the same, and counted.
     */
    @Test
    @SuppressWarnings("deprecation") // shutdown(): refuses tasks at once, which shutdownGracefully does only later
    void aTaskCancelledOnALoopThatRefusesTasksIsCancelledWithoutThrowing() throws Exception {
        NamedLoopGroup io = new NamedLoopGroup("io", Transport.NIO, 1);
        DefaultEventExecutor loop = new DefaultEventExecutor();
        try {
            CountDownLatch gate = new CountDownLatch(1);
            CountDownLatch blocked = new CountDownLatch(1);
            loop.execute(() -> {
                blocked.countDown();
                await(gate);
            });
            await(blocked);
            AtomicInteger ran = new AtomicInteger();
            ScheduledFuture<?> later = view.track(io, loop.schedule(ran::incrementAndGet, 1, TimeUnit.HOURS));
            loop.shutdown(); // the loop is blocked: its scheduled task is still queued, not yet cancelled by Netty

            assertThat(view.cancelPending()).isEqualTo(1);

            gate.countDown();
            assertThat(later.isCancelled()).isTrue();
            assertThat(loop.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
            assertThat(ran).hasValue(0);
            assertThat(io.stats().tasksCancelled()).isEqualTo(1);
        } finally {
            loop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            io.shutDown(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
        }
    }

    @Test
    void statsShowQueuedTasks() {
        CountDownLatch gate = blockLoop("io");
        for (int i = 0; i < 5; i++) {
            view.submit("io", () -> { });
        }

        assertThat(view.stats().get(0).pendingTasks()).isGreaterThanOrEqualTo(5);
        gate.countDown();
        await().untilAsserted(() -> assertThat(view.stats().get(0).pendingTasks()).isZero());
    }

    private CountDownLatch blockLoop(String group) {
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        groups.group(group).group().execute(() -> {
            blocked.countDown();
            await(gate);
        });
        await(blocked);
        return gate;
    }
}
