package io.msf.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.junit.Assume.assumeTrue;

import io.msf.event.api.EventLoopService;
import io.msf.event.api.EventLoopStats;
import io.msf.event.api.Transport;
import io.msf.itests.tenant.LoopTenant;
import io.msf.itests.tenant.TenantBundles;
import io.msf.log.api.LogConsole;
import io.netty.util.concurrent.EventExecutor;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.StreamSupport;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** The event-loop service runs tasks on its named groups and cancels a stopped bundle's tasks. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class EventLoopIT extends MsfTestSupport {

    @Inject
    private EventLoopService loops;

    @Test
    public void runsSubmittedTasksOnTheNamedGroupsAndCountsThem() throws Exception {
        assertTrue("groups " + loops.groupNames(), loops.groupNames().containsAll(
                List.of(EventLoopService.IO_GROUP, EventLoopService.WORKER_GROUP)));
        for (String group : List.of(EventLoopService.IO_GROUP, EventLoopService.WORKER_GROUP)) {
            long runBefore = stats(group).tasksRun();
            AtomicBoolean onOwnLoop = new AtomicBoolean();
            Future<?> done = loops.submit(group, () -> onOwnLoop.set(runsOnLoopOf(group)));

            done.get(Await.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            assertTrue("task submitted to " + group + " ran on one of its loops", onOwnLoop.get());
            Await.value(group + " tasksRun after one task", () -> stats(group).tasksRun(), run -> run == runBefore + 1);
        }
    }

    @Test
    public void runsScheduledTasksAfterTheirDelay() throws Exception {
        long scheduledAt = System.nanoTime();
        Future<?> done = loops.schedule(EventLoopService.WORKER_GROUP, () -> { }, 100, TimeUnit.MILLISECONDS);

        done.get(Await.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - scheduledAt);
        assertTrue("ran after " + waitedMillis + " ms, not before its 100 ms delay", waitedMillis >= 100);
    }

    @Test
    public void refusesAnUnknownGroup() {
        try {
            loops.submit("no-such-group", () -> { });
            fail("a task for an unknown group was accepted");
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("no-such-group"));
        }
    }

    @Test
    public void usesEpollWhereTheNativeLibraryIsProvisioned() {
        // The container ships Netty's linux-x86_64 epoll fragment; elsewhere NIO is the right answer.
        assumeTrue(System.getProperty("os.name").equals("Linux")
                && List.of("amd64", "x86_64").contains(System.getProperty("os.arch")));
        assertEquals(Transport.EPOLL, loops.transport());
        for (EventLoopStats group : loops.stats()) {
            assertEquals(group.group(), Transport.EPOLL, group.transport());
            assertTrue(group.group() + " has threads", group.threads() > 0);
        }
    }

    @Test
    public void sizesItsGroupsByTheCoresUnlessConfigured() {
        int cores = Runtime.getRuntime().availableProcessors();
        for (EventLoopStats group : loops.stats()) {
            // io: half the cores, at least one (the services at the other end of local connections need the rest)
            int expected = group.group().equals(EventLoopService.IO_GROUP) ? Math.max(1, cores / 2) : cores;
            assertEquals(group.group(), expected, group.threads());
        }
    }

    @Test
    public void cancelsThePendingTasksOfABundleThatStops() throws Exception {
        Bundle tenant = installTenant(TenantBundles.LOOP);
        long cancelledBefore = totalCancelled();
        tenant.start();
        List<?> futures = (List<?>) context.getService(evidence(tenant, LoopTenant.KIND));
        assertEquals(LoopTenant.TASKS, futures.size());
        for (Object future : futures) {
            assertTrue("tenant task pending while it runs", !((Future<?>) future).isDone());
        }

        tenant.stop();

        for (Object future : futures) {
            Await.until("tenant task cancelled once it stopped", ((Future<?>) future)::isCancelled);
        }
        assertEquals("tasksCancelled over all groups", cancelledBefore + LoopTenant.TASKS, totalCancelled());
    }

    /**
     * A thread-count change replaces the group; a change refused past the config gate (set through
     * Config Admin directly) changes nothing: the groups keep the settings they had, so the container
     * is never left without event loops, and an ERROR line names the key.
     */
    @Test
    public void aChangeResizesTheGroupsAndARefusedOneKeepsTheirSettings() throws Exception {
        assertRefusedKeepingTheGroups(Map.of("ioThreads", -1, "workerThreads", 3), "ioThreads: -1 is negative");
    }

    @Test
    public void aBundlePastItsPendingTasksBoundIsRefusedUntilItsTasksRun() throws Exception {
        Configuration configuration = service(ConfigurationAdmin.class).getConfiguration("msf.event", "?");
        CountDownLatch gate = new CountDownLatch(1);
        try {
            configuration.update(new Hashtable<>(Map.of("workerThreads", 1, "maxPendingTasksPerBundle", 3)));
            LogConsole log = service(LogConsole.class);
            Await.until("the groups started with the bound of 3", () -> log.tail(1000).stream()
                    .anyMatch(line -> line.message().contains("at most 3 pending tasks per bundle")));
            EventLoopService loops = Await.value("the event-loop service of the new groups", () -> {
                try {
                    EventLoopService current = service(EventLoopService.class);
                    current.submit(EventLoopService.WORKER_GROUP, () -> awaitGate(gate)); // holds the loop
                    return current;
                } catch (IllegalStateException released) {
                    return null; // a view of the groups being replaced
                }
            }, current -> current != null);
            loops.submit(EventLoopService.WORKER_GROUP, () -> { });
            loops.submit(EventLoopService.WORKER_GROUP, () -> { });

            try {
                loops.submit(EventLoopService.WORKER_GROUP, () -> { });
                fail("a fourth pending task was taken");
            } catch (RejectedExecutionException refused) {
                assertTrue(refused.getMessage(), refused.getMessage().contains("has 3 tasks pending on the event loops,"
                        + " the most msf.event maxPendingTasksPerBundle allows"));
            }
            gate.countDown();
            Await.value("a task taken again once the others ran", () -> {
                try {
                    return loops.submit(EventLoopService.WORKER_GROUP, () -> { });
                } catch (RejectedExecutionException stillFull) {
                    return null;
                }
            }, future -> future != null).get(Await.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } finally {
            gate.countDown();
            configuration.delete();
        }
        // The swap back runs off Config Admin's thread: a test after this one got its injected view while
        // it was under way, and the swap released it ('the event-loop service ... was released').
        int cores = Runtime.getRuntime().availableProcessors();
        Await.until("the groups back to their default sizes", () -> threads(EventLoopService.WORKER_GROUP) == cores);
    }

    /**
     * The issue: an event-loop thread change swaps in a new group and drains the old one. The other
     * group keeps its loops (its channels and tasks stay), and the users restart on the new group.
     */
    @Test
    public void aWorkerThreadChangeSwapsTheWorkerGroupAndLeavesTheIoGroupRunning() throws Exception {
        Configuration configuration = service(ConfigurationAdmin.class).getConfiguration("msf.event", "?");
        int cores = Runtime.getRuntime().availableProcessors();
        int workers = cores == 1 ? 2 : 1;
        try {
            EventExecutor ioLoop = service(EventLoopService.class).group(EventLoopService.IO_GROUP).next();
            EventExecutor workerLoop = service(EventLoopService.class).group(EventLoopService.WORKER_GROUP).next();

            configuration.update(new Hashtable<>(Map.of("workerThreads", workers)));

            Await.until("the worker group resized to " + workers, () -> threads(EventLoopService.WORKER_GROUP) == workers);
            Await.until("the replaced worker group stopped", workerLoop::isTerminated);
            EventLoopService now = service(EventLoopService.class);
            assertTrue("the io group kept its loops", StreamSupport.stream(
                    now.group(EventLoopService.IO_GROUP).spliterator(), false).anyMatch(loop -> loop == ioLoop));
            assertTrue("the io loop still runs", !ioLoop.isShuttingDown());
            now.submit(EventLoopService.WORKER_GROUP, () -> { }).get(Await.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } finally {
            configuration.delete();
        }
        Await.until("the groups back to their default sizes", () -> threads(EventLoopService.WORKER_GROUP) == cores);
    }

    /**
     * The issue: one internal service stood for both groups, so a change of the worker threads restarted
     * every user of the event loops, the configured endpoints among them, which use the io group alone:
     * their connections were closed. They now reference the io group's view, which the change leaves be.
     */
    @Test
    public void aWorkerThreadChangeLeavesTheConfiguredEndpointsAndTheirConnectionsOpen() throws Exception {
        int port = freePort();
        configs().factory(EchoEndpoints.FACTORY_PID, "itest-kept", EchoEndpoints.tcp(port));
        EchoEndpoints.awaitEcho(EchoEndpoints.loopback(port));
        Configuration configuration = service(ConfigurationAdmin.class).getConfiguration("msf.event", "?");
        int cores = Runtime.getRuntime().availableProcessors();
        int workers = cores == 1 ? 2 : 1;
        try (FramedClient client = FramedClient.tcp(port)) {
            EchoEndpoints.assertEcho(client, "before the change");
            EventExecutor workerLoop = service(EventLoopService.class).group(EventLoopService.WORKER_GROUP).next();

            configuration.update(new Hashtable<>(Map.of("workerThreads", workers)));

            Await.until("the worker group resized to " + workers, () -> threads(EventLoopService.WORKER_GROUP) == workers);
            Await.until("the replaced worker group stopped", workerLoop::isTerminated);
            EchoEndpoints.assertEcho(client, "on the same connection after the change");
        } finally {
            configuration.delete();
        }
        Await.until("the groups back to their default sizes", () -> threads(EventLoopService.WORKER_GROUP) == cores);
    }

    private static void awaitGate(CountDownLatch gate) {
        try {
            gate.await(Await.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A value SCR cannot convert (a word where a number belongs, set through Config Admin directly)
     * is refused like any other, naming the key: the groups keep the settings they had.
     */
    @Test
    public void aValueThatCannotBeReadAsANumberIsRefusedNamingTheKey() throws Exception {
        assertRefusedKeepingTheGroups(Map.of("ioThreads", 3, "workerThreads", "many"),
                "workerThreads: the value cannot be read as a number");
    }

    /**
     * Resizes the groups to io 2, worker 1, then gives them {@code bad}: it must be refused with an
     * ERROR line saying {@code reason}, and the groups must start again with io 2, worker 1.
     */
    private void assertRefusedKeepingTheGroups(Map<String, Object> bad, String reason) throws Exception {
        Configuration configuration = service(ConfigurationAdmin.class).getConfiguration("msf.event", "?");
        try {
            configuration.update(new Hashtable<>(Map.of("ioThreads", 2, "workerThreads", 1)));
            Await.until("the groups resized to io 2, worker 1", () -> threads(EventLoopService.IO_GROUP) == 2
                    && threads(EventLoopService.WORKER_GROUP) == 1);

            configuration.update(new Hashtable<>(bad));

            LogConsole log = service(LogConsole.class);
            Await.until("an ERROR line saying " + reason, () -> log.tail(1000).stream()
                    .anyMatch(line -> "ERROR".equals(line.level())
                            && line.message().contains("msf.event (configuration admin) rejected")
                            && line.message().contains(reason)));
            Future<?> ran = Await.value("the event-loop service back", () -> {
                try {
                    return service(EventLoopService.class).submit(EventLoopService.WORKER_GROUP, () -> { });
                } catch (RuntimeException stillRestarting) {
                    return null;
                }
            }, future -> future != null);
            ran.get(Await.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            assertEquals("io threads kept", 2, threads(EventLoopService.IO_GROUP));
            assertEquals("worker threads kept", 1, threads(EventLoopService.WORKER_GROUP));
        } finally {
            configuration.delete();
        }
        int cores = Runtime.getRuntime().availableProcessors();
        Await.until("the groups back to their default sizes", () -> threads(EventLoopService.WORKER_GROUP) == cores
                && threads(EventLoopService.IO_GROUP) == Math.max(1, cores / 2));
    }

    /** The threads of a group as the service now registered says, or -1 while it restarts. */
    private int threads(String group) {
        try {
            return service(EventLoopService.class).stats().stream().filter(s -> s.group().equals(group))
                    .mapToInt(EventLoopStats::threads).findFirst().orElse(-1);
        } catch (RuntimeException restarting) {
            return -1;
        }
    }

    private boolean runsOnLoopOf(String group) {
        return StreamSupport.stream(loops.group(group).spliterator(), false).anyMatch(EventExecutor::inEventLoop);
    }

    private EventLoopStats stats(String group) {
        return loops.stats().stream().filter(s -> s.group().equals(group)).findFirst()
                .orElseThrow(() -> new AssertionError("no stats for group " + group));
    }

    private long totalCancelled() {
        return loops.stats().stream().mapToLong(EventLoopStats::tasksCancelled).sum();
    }
}
