package io.msf.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.msf.itests.tenant.TenantBundles;
import io.msf.itests.tenant.TimerTenant;
import io.msf.timer.api.Timeout;
import io.msf.timer.api.TimerInfo;
import io.msf.timer.api.TimerService;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/** Timers fire, cancel, repeat, and vanish with the bundle that scheduled them. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TimerIT extends MsfTestSupport {

    @Inject
    private TimerService timers;

    @Test
    public void oneShotTimerFiresOnce() throws Exception {
        long firedBefore = timers.ownStats().fired();
        CountDownLatch fired = new CountDownLatch(1);

        Timeout timeout = timers.schedule(fired::countDown, 50, TimeUnit.MILLISECONDS);

        assertTrue("one-shot timer fired", fired.await(Await.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
        Await.until("timeout reports expired", timeout::isExpired);
        assertFalse("an expired timer cannot be cancelled", timeout.cancel());
        assertEquals(firedBefore + 1, timers.ownStats().fired());
    }

    /**
     * Once a tick brings no timer, the timer thread sleeps until the next timer's tick: a timer
     * scheduled meanwhile must wake it rather than wait for that tick (5 s here, within the wheel's
     * first turn, so that a missed wake-up shows).
     */
    @Test
    public void aTimerScheduledWhileTheWheelSleepsTowardsAFarOneFiresOnTime() throws Exception {
        CountDownLatch far = new CountDownLatch(1);
        Timeout farTimeout = timers.schedule(far::countDown, 5, TimeUnit.SECONDS);
        try {
            Thread.sleep(200); // ticks that bring no timer
            CountDownLatch near = new CountDownLatch(1);
            long scheduled = System.nanoTime();

            timers.schedule(near::countDown, 50, TimeUnit.MILLISECONDS);

            assertTrue("the near timer fired before the far one's tick", near.await(4, TimeUnit.SECONDS));
            long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - scheduled);
            assertTrue("not before its delay, nor seconds after it: " + waitedMillis + " ms",
                    waitedMillis >= 50 && waitedMillis < 2000);
            assertEquals("the far timer is still pending", 1, far.getCount());
        } finally {
            farTimeout.cancel();
        }
    }

    @Test
    public void cancelledTimerNeverFires() throws Exception {
        long pendingBefore = timers.ownStats().pending();
        AtomicBoolean cancelledRan = new AtomicBoolean();
        Timeout cancelled = timers.schedule(() -> cancelledRan.set(true), 500, TimeUnit.MILLISECONDS);
        assertTrue("first cancel() cancels", cancelled.cancel());
        assertTrue(cancelled.isCancelled());
        assertFalse("second cancel() reports it was already cancelled", cancelled.cancel());
        assertEquals("own pending timers once cancelled", pendingBefore, timers.ownStats().pending());

        // A later timer firing proves the wheel went past the cancelled deadline.
        CountDownLatch later = new CountDownLatch(1);
        timers.schedule(later::countDown, 700, TimeUnit.MILLISECONDS);
        assertTrue("later timer fired", later.await(Await.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
        assertFalse("cancelled timer ran", cancelledRan.get());
        assertFalse(cancelled.isExpired());
    }

    @Test
    public void periodicTimerFiresRepeatedlyUntilCancelled() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        Timeout periodic = timers.scheduleAtFixedRate(runs::incrementAndGet, 0, 50, TimeUnit.MILLISECONDS);

        Await.value("periodic runs", runs::get, n -> n >= 3);
        assertFalse("a periodic timer never expires", periodic.isExpired());
        assertTrue(periodic.cancel());
        int runsAtCancel = runs.get();

        CountDownLatch later = new CountDownLatch(1);
        timers.schedule(later::countDown, 300, TimeUnit.MILLISECONDS);
        assertTrue("later timer fired", later.await(Await.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
        // A run in progress at cancel() may still complete; none may start after it.
        assertTrue("runs after cancel: " + (runs.get() - runsAtCancel), runs.get() <= runsAtCancel + 1);
    }

    @Test
    public void refusesANegativeDelay() {
        try {
            timers.schedule(() -> { }, -1, TimeUnit.MILLISECONDS);
            fail("a negative delay was accepted");
        } catch (IllegalArgumentException expected) {
            // the contract
        }
    }

    /**
     * A task that left the timer thread interrupted made it spin, and the next task that waited on
     * anything failed with an InterruptedException it did not cause: the flag is cleared after each task.
     */
    @Test
    public void aTaskThatLeavesItsThreadInterruptedDoesNotInterruptTheNext() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);
        timers.schedule(() -> {
            Thread.currentThread().interrupt();
            interrupted.countDown();
        }, 10, TimeUnit.MILLISECONDS);
        assertTrue("the interrupting task ran", interrupted.await(Await.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));

        AtomicBoolean foundInterrupted = new AtomicBoolean(true);
        CountDownLatch next = new CountDownLatch(1);
        timers.schedule(() -> {
            foundInterrupted.set(Thread.currentThread().isInterrupted());
            next.countDown();
        }, 50, TimeUnit.MILLISECONDS);

        assertTrue("the next task ran", next.await(Await.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
        assertFalse("the next task found its thread interrupted", foundInterrupted.get());
    }

    @Test
    public void timersOfAStoppedBundleVanishFromPending() throws Exception {
        Bundle tenant = installTenant(TenantBundles.TIMER);
        long cancelledBefore = timers.stats().cancelled();
        tenant.start();
        List<?> timeouts = (List<?>) context.getService(evidence(tenant, TimerTenant.KIND));

        List<TimerInfo> owned = pendingOf(TenantBundles.TIMER);
        assertEquals("pending timers of the running tenant: " + owned, TimerTenant.TIMERS, owned.size());
        assertTrue("the periodic timer shows its period: " + owned,
                owned.stream().anyMatch(t -> t.periodMillis() == TimeUnit.HOURS.toMillis(1)));

        tenant.stop();

        Await.value("pending timers of the stopped tenant", () -> pendingOf(TenantBundles.TIMER), List::isEmpty);
        for (Object timeout : timeouts) {
            assertTrue("tenant timer cancelled", ((Timeout) timeout).isCancelled());
        }
        assertEquals("cancelled count", cancelledBefore + TimerTenant.TIMERS, timers.stats().cancelled());
    }

    @Test
    public void pendingNamesTheOwnerOfEachTimer() {
        String self = context.getBundle().getSymbolicName();
        List<Long> before = pendingOf(self).stream().map(TimerInfo::id).collect(Collectors.toList());
        Timeout mine = timers.schedule(() -> { }, 1, TimeUnit.HOURS);
        try {
            List<TimerInfo> added = pendingOf(self).stream().filter(t -> !before.contains(t.id()))
                    .collect(Collectors.toList());
            assertEquals("own timers added to pending(): " + timers.pending(), 1, added.size());
            TimerInfo info = added.get(0);
            assertEquals(0, info.periodMillis());
            assertTrue("remaining " + info.remainingMillis(), info.remainingMillis() > 0);
        } finally {
            mine.cancel();
        }
    }

    private List<TimerInfo> pendingOf(String owner) {
        return timers.pending().stream().filter(t -> t.owner().equals(owner)).collect(Collectors.toList());
    }
}
