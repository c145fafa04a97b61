package io.msf.supervisor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The end of a run's processes, with a real process. */
class TreeEndingTest {

    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);

    TreeEndingTest() {
        scheduler.setRemoveOnCancelPolicy(true);
    }

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    /**
     * Once none runs the SIGKILL to come is called off: left to fire, it would look for the
     * processes again long after they ended, when their ids may be others'.
     */
    @Test
    void theKillToComeIsCalledOffOnceNoneRuns() throws Exception {
        Process process = new ProcessBuilder("sleep", "60").start();
        TreeEnding ending = new TreeEnding(List.of(process.toHandle()), null);
        AtomicInteger killed = new AtomicInteger();

        process.destroy(); // SIGTERM, as a stop sends it
        ending.killAfter(60_000, killed::addAndGet, scheduler);
        ending.ended(scheduler).get(10, TimeUnit.SECONDS);

        assertThat(scheduler.getQueue()).as("the kill timer, still scheduled").isEmpty();
        assertThat(killed).hasValue(0);
    }
}
