package io.msf.monitor.internal.health;

import io.msf.monitor.api.HealthCheck;
import io.msf.monitor.api.HealthResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.service.log.Logger;

/**
 * Runs health checks in parallel on {@link #THREADS} threads, each bounded by a time limit. More checks
 * than threads wait for a thread within that limit. A check that throws, is late or gets no thread
 * within the limit is DOWN with the reason. A late check is interrupted, and its thread set aside and
 * replaced by a new one until the check returns: a check that ignores its interrupt (hung on I/O or a
 * lock) then holds only its own thread, not one of those the other services' checks run on. At most
 * {@link #MAX_ABANDONED} threads are set aside; past that, hung checks hold the check threads until
 * they return. A check a call finds waiting for a thread or running for another call (two probes at
 * the same moment: a /health scrape and msf:health, Kubernetes' liveness and readiness probes) is not
 * started again (it would pile up threads): the call waits for that run's result, within its own
 * limit. One still running past the limit of the call that started it is reported DOWN until it
 * returns.
 */
public final class CheckRunner implements AutoCloseable {

    static final int THREADS = 4;
    /** Threads set aside to late checks still running, at most: each is a thread that may never end. */
    static final int MAX_ABANDONED = 16;

    private final Logger log;
    private final AtomicInteger threadNumber = new AtomicInteger(1);
    // A queue, not a hand-over: with more checks than threads, the ones after the fourth wait for a
    // thread instead of being refused while the first ones are still (quickly) running. Its length is
    // bounded by the checks registered: a check waiting or running is not queued again.
    private final ThreadPoolExecutor executor = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), task -> {
                Thread thread = new Thread(task, "msf-monitor-check-" + threadNumber.getAndIncrement());
                thread.setDaemon(true);
                return thread;
            });
    // A run leaves it when it is over: a check that went away while a call that had listed it was about to
    // run it (forget() then run()) must not be held, with its bundle's class loader, for good.
    private final Map<HealthCheck, Run> running = new ConcurrentHashMap<>();
    /** Calls that found a check's run in flight and waited for it: for tests, which must know the moment. */
    private final AtomicInteger joins = new AtomicInteger();
    private final Object sizing = new Object();
    private int abandoned; // guarded by sizing

    public CheckRunner(Logger log) {
        this.log = log;
        executor.allowCoreThreadTimeOut(true);
    }

    /**
     * Runs every check and waits for each at most {@code limit} (all together at most about {@code limit}).
     *
     * @param names what each check is called in a result's detail, in the same order as the checks
     * @return one result per check, in order
     */
    public List<HealthResult> run(List<HealthCheck> checks, List<String> names, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        List<Run> runs = new ArrayList<>(checks.size());
        List<Boolean> joined = new ArrayList<>(checks.size());
        List<HealthResult> early = new ArrayList<>(checks.size());
        for (int i = 0; i < checks.size(); i++) {
            HealthCheck check = checks.get(i);
            // Looked up and recorded in one step: two callers at the same moment (a /health scrape and
            // msf:health, or the deployer's gate) must not both find no run and both start the check.
            Run run = new Run(check, names.get(i));
            Run current = running.compute(check, (c, previous) -> previous != null && previous.holdsCheck()
                    ? previous : run);
            if (current != run) {
                // another call's run: its result is this call's too, unless that call found it late already
                boolean late = current.late();
                if (!late) {
                    joins.incrementAndGet();
                }
                runs.add(late ? null : current);
                joined.add(true);
                early.add(late ? HealthResult.down(names.get(i) + ": its previous run has not returned yet") : null);
                continue;
            }
            joined.add(false);
            try {
                executor.execute(run);
                runs.add(run);
                early.add(null);
            } catch (RejectedExecutionException e) {
                running.remove(check, run);
                runs.add(null);
                early.add(HealthResult.down("not run: the health checks are shutting down")); // after close()
            }
        }
        List<HealthResult> results = new ArrayList<>(checks.size());
        for (int i = 0; i < checks.size(); i++) {
            HealthResult result = early.get(i);
            if (result == null) {
                result = await(runs.get(i), names.get(i), deadline, limit, joined.get(i));
            }
            results.add(result);
        }
        return results;
    }

    /** Calls that joined a run another call had started. */
    int joins() {
        return joins.get();
    }

    /** Checks with a run recorded: waiting for a thread or running. */
    int checksHeld() {
        return running.size();
    }

    /** Threads set aside to late checks that have not returned yet. */
    public int abandoned() {
        synchronized (sizing) {
            return abandoned;
        }
    }

    /**
     * Waits for {@code run}'s result until {@code deadline}. A run another call started ({@code joined}) is
     * named as this call names the check, and, late, left to that call to set aside or withdraw once its own
     * limit is up: this one has no say in the run's thread.
     */
    private HealthResult await(Run run, String name, long deadline, Duration limit, boolean joined) {
        try {
            HealthResult result = run.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return result != null ? result : HealthResult.down(name + " returned no result");
        } catch (TimeoutException e) {
            String late = name + " did not answer within " + limit.toMillis() + " ms";
            return HealthResult.down(joined ? late + " (a run another call started)" : late(run, late));
        } catch (ExecutionException e) {
            return HealthResult.down(name + " threw " + e.getCause());
        } catch (CancellationException e) {
            return HealthResult.down(name + (joined ? " did not answer in time for the call that started it"
                    : " was cancelled"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HealthResult.down(name + ": interrupted while waiting for it");
        }
    }

    /** What is done with a run this call started that is late: withdrawn if it never started, else set aside. */
    private String late(Run run, String late) {
        if (run.withdraw()) {
            // Never started: every thread is held by checks that are late. Not run later either.
            executor.remove(run);
            running.remove(run.check, run);
            return run.name + " not run: all " + THREADS + " check threads are busy with late checks";
        }
        return late + "; " + abandon(run, "was late");
    }

    /**
     * Interrupts a started run and sets its thread aside, a new one taking its place, unless
     * {@link #MAX_ABANDONED} are already. The thread comes back when the check returns.
     *
     * @return what was done, for the result's detail
     */
    private String abandon(Run run, String why) {
        int now;
        synchronized (sizing) {
            if (abandoned >= MAX_ABANDONED) {
                if (run.interrupted()) {
                    run.cancel(true);
                }
                return "interrupted; its thread is not replaced: " + abandoned
                        + " are already set aside to late checks that have not returned";
            }
            if (!run.setAside()) {
                return "it has returned since"; // just now
            }
            now = ++abandoned;
            resize(THREADS + abandoned);
        }
        run.cancel(true); // after it is marked: it must not look returned meanwhile and be started again
        log.warn("Health check {} {} and is interrupted; its thread is set aside until it returns and a new one"
                + " takes its place ({} of at most {} set aside)", run.name, why, now, MAX_ABANDONED);
        return "interrupted, its thread replaced (" + now + " set aside to late checks)";
    }

    private void returnedAfterAbandonment(Run run) {
        int now;
        synchronized (sizing) {
            now = --abandoned;
            resize(THREADS + abandoned);
        }
        log.info("Health check {} returned after it was interrupted; its thread is given back ({} still set aside)",
                run.name, now);
    }

    /** Called with sizing held; the maximum never goes under the core size, or the executor refuses it. */
    private void resize(int size) {
        if (size > executor.getMaximumPoolSize()) {
            executor.setMaximumPoolSize(size);
            executor.setCorePoolSize(size);
        } else {
            executor.setCorePoolSize(size);
            executor.setMaximumPoolSize(size);
        }
    }

    /** Forgets a check that went away: a run waiting for a thread is dropped, a running one interrupted. */
    public void forget(HealthCheck check) {
        Run run = running.remove(check);
        if (run == null) {
            return;
        }
        if (run.withdraw()) {
            executor.remove(run);
        } else if (!run.isDone()) {
            abandon(run, "went away while running");
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    /** One run of a check, which knows whether it has started, returned or had its thread set aside. */
    private final class Run extends FutureTask<HealthResult> {

        private static final int QUEUED = 0;
        private static final int RUNNING = 1;
        private static final int INTERRUPTED = 2;
        private static final int SET_ASIDE = 3;
        private static final int OVER = 4;

        private final AtomicInteger state = new AtomicInteger(QUEUED);
        private final HealthCheck check;
        private final String name;

        Run(HealthCheck check, String name) {
            super(check::check);
            this.check = check;
            this.name = name;
        }

        @Override
        public void run() {
            if (!state.compareAndSet(QUEUED, RUNNING)) {
                return; // withdrawn before a thread took it
            }
            try {
                super.run();
            } finally {
                if (state.getAndSet(OVER) == SET_ASIDE) {
                    returnedAfterAbandonment(this);
                }
                running.remove(check, this); // not a later run of the check, which replaced this one
            }
        }

        /** Cancels a run no thread has started; false if one has. */
        boolean withdraw() {
            if (state.compareAndSet(QUEUED, OVER)) {
                cancel(false);
                return true;
            }
            return false;
        }

        boolean setAside() {
            return state.compareAndSet(RUNNING, SET_ASIDE);
        }

        /** Marks a run to be interrupted whose thread is not set aside; false if it is over or marked already. */
        boolean interrupted() {
            return state.compareAndSet(RUNNING, INTERRUPTED);
        }

        /** Found late by the call that started it: interrupted, its thread maybe set aside. */
        boolean late() {
            int now = state.get();
            return now == SET_ASIDE || now == INTERRUPTED;
        }

        /**
         * Waiting for a thread or running: the check is not to be started again meanwhile. A run whose
         * result is in is over, although its thread may not have left {@link #run} yet.
         */
        boolean holdsCheck() {
            int now = state.get();
            return now == SET_ASIDE || now == INTERRUPTED || now != OVER && !isDone();
        }
    }
}
