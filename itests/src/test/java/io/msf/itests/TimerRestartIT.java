package io.msf.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.msf.timer.api.Timeout;
import io.msf.timer.api.TimerClosedException;
import io.msf.timer.api.TimerService;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * The timer bundle stopped and started again under a bundle that runs on (as an update or a refresh does),
 * as TimerService and TimerClosedException tell it: the bundle's pending timers are cancelled, and say so,
 * the service it kept refuses with TimerClosedException, and the service got again schedules.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TimerRestartIT extends MsfTestSupport {

    @Test
    public void pendingTimersAreCancelledTheKeptServiceRefusesAndTheNewOneSchedules() throws Exception {
        TimerService kept = service(TimerService.class);
        AtomicBoolean ran = new AtomicBoolean();
        Timeout pending = kept.schedule(() -> ran.set(true), 1, TimeUnit.SECONDS);
        Bundle timer = installedBundle("io.msf.timer");

        timer.stop();
        timer.start();

        assertTrue("the pending timer says it was cancelled", pending.isCancelled());
        assertFalse("nothing left to cancel", pending.cancel());
        try {
            kept.schedule(() -> { }, 1, TimeUnit.MILLISECONDS);
            fail("scheduled through the service of the stopped timer bundle");
        } catch (TimerClosedException e) {
            assertEquals(context.getBundle().getSymbolicName(), e.owner());
        }
        TimerService fresh = service(TimerService.class);
        CountDownLatch fired = new CountDownLatch(1);
        fresh.schedule(fired::countDown, 10, TimeUnit.MILLISECONDS);
        assertTrue("the new service's timer fired", fired.await(Await.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
        assertTrue("the new service lists no timer of the old: " + fresh.pending(), fresh.pending().isEmpty());
        Thread.sleep(1200);
        assertFalse("the cancelled timer ran", ran.get());
    }
}
