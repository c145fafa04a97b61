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
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs health checks in parallel on at most {@link #THREADS} threads, each bounded by a time limit.
 * More checks than threads wait for a thread within that limit. A check that throws, is late or
 * gets no thread within the limit (every thread held by late checks) is DOWN with the reason. A
 * check still running from an earlier call is not started again (it would pile up threads) but
 * reported DOWN until it returns.
 */
public final class CheckRunner implements AutoCloseable {

    static final int THREADS = 4;

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
    private final Map<HealthCheck, Future<HealthResult>> running = new ConcurrentHashMap<>();

    public CheckRunner() {
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
        List<Future<HealthResult>> futures = new ArrayList<>(checks.size());
        List<HealthResult> early = new ArrayList<>(checks.size());
        for (int i = 0; i < checks.size(); i++) {
            HealthCheck check = checks.get(i);
            // Looked up and recorded in one step: two callers at the same moment (a /health scrape and
            // msf:health, or the deployer's gate) must not both find no run and both start the check.
            FutureTask<HealthResult> task = new FutureTask<>(check::check);
            Future<HealthResult> current = running.compute(check,
                    (c, previous) -> previous != null && !previous.isDone() ? previous : task);
            if (current != task) {
                futures.add(null);
                early.add(HealthResult.down(names.get(i) + ": its previous run has not returned yet"));
                continue;
            }
            try {
                executor.execute(task);
                futures.add(task);
                early.add(null);
            } catch (RejectedExecutionException e) {
                running.remove(check, task);
                futures.add(null);
                early.add(HealthResult.down("not run: the health checks are shutting down")); // after close()
            }
        }
        List<HealthResult> results = new ArrayList<>(checks.size());
        for (int i = 0; i < checks.size(); i++) {
            results.add(early.get(i) != null ? early.get(i)
                    : await(futures.get(i), names.get(i), deadline, limit));
        }
        return results;
    }

    private HealthResult await(Future<HealthResult> future, String name, long deadline, Duration limit) {
        try {
            HealthResult result = future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return result != null ? result : HealthResult.down(name + " returned no result");
        } catch (TimeoutException e) {
            if (executor.remove((Runnable) future)) {
                // Never started: every thread is held by checks that are late. Not run later either.
                future.cancel(false);
                return HealthResult.down(name + " not run: all " + THREADS
                        + " check threads are busy with late checks");
            }
            return HealthResult.down(name + " did not answer within " + limit.toMillis() + " ms");
        } catch (ExecutionException e) {
            return HealthResult.down(name + " threw " + e.getCause());
        } catch (CancellationException e) {
            return HealthResult.down(name + " was cancelled");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HealthResult.down(name + ": interrupted while waiting for it");
        }
    }

    /** Forgets a check that went away. */
    public void forget(HealthCheck check) {
        Future<HealthResult> future = running.remove(check);
        if (future instanceof Runnable waiting && executor.remove(waiting)) {
            future.cancel(false);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
