package io.msf.event.internal;

import io.msf.event.api.ServiceExecutors;
import io.msf.text.BundleName;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.osgi.framework.Bundle;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * One bundle's {@link ServiceExecutors}: the pools it created, shut down when it releases the service.
 * Independent of the event-loop groups, so a change of msf.event leaves a bundle's pools alone.
 */
@Component(service = ServiceExecutors.class, scope = ServiceScope.BUNDLE)
public final class BundleExecutors implements ServiceExecutors {

    static final int MAX_THREADS = 256;
    static final int DEFAULT_MAX_EXECUTORS_PER_BUNDLE = 32;
    /** The bound of {@link EventLoopConfiguration#maxExecutorsPerBundle}, checked again past the config gate. */
    static final int MAX_MAX_EXECUTORS_PER_BUNDLE = 1024;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final BundleAccounts accounts;
    private final BundleAccount account;
    private final Bundle user;
    private final Logger log;
    /** Pools not yet terminated; one leaves as it terminates, whoever shut it down. */
    private final Set<ThreadPoolExecutor> pools = ConcurrentHashMap.newKeySet();
    private final LoopSettingsInForce inForce;
    private volatile boolean released;

    @Activate
    public BundleExecutors(@Reference BundleAccounts accounts, @Reference LoopSettingsInForce inForce,
            ComponentContext context, @Reference(service = LoggerFactory.class) Logger log) {
        this.accounts = accounts;
        this.inForce = inForce;
        this.user = context.getUsingBundle();
        this.account = accounts.hold(user);
        this.log = log;
    }

    /**
     * The most pools not yet terminated this bundle may have (msf.event maxExecutorsPerBundle): the value in
     * force, checked with the rest of msf.event by {@link EventLoopGroups}, so that a refused change changes
     * it no more than the rest, and a bundle that gets the service after a change has the changed value.
     */
    private int maxExecutors() {
        LoopSettings settings = inForce.get();
        return settings != null ? settings.maxExecutorsPerBundle() : DEFAULT_MAX_EXECUTORS_PER_BUNDLE;
    }

    @Deactivate
    void deactivate() {
        released = true;
        int dropped = 0;
        int running = 0;
        for (ThreadPoolExecutor pool : pools) {
            running += pool.getActiveCount();
            for (Runnable task : pool.shutdownNow()) {
                // shutdownNow() hands the queued tasks back without completing them: the future of one given
                // to submit() or invokeAll() would stay pending, and a caller waiting on it wait for ever.
                if (task instanceof Future) {
                    ((Future<?>) task).cancel(false);
                }
                dropped++;
            }
        }
        if (dropped > 0 || running > 0) {
            log.info("{}: bundle {} released its executors: {} queued task(s) dropped (their futures cancelled), {}"
                    + " running task(s) interrupted",
                    EventLoopGroups.PID, account.bundle() + " [" + account.bundleId() + "]", dropped, running);
        }
        accounts.release(account);
    }

    @Override
    public ExecutorService executor(String name, int threads) {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("executor name '" + name + "' must be 1 to 64 letters, digits, '.',"
                    + " '_' or '-' (it is part of the thread names)");
        }
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("executor '" + name + "': threads must be 1.." + MAX_THREADS + ", not "
                    + threads);
        }
        if (released) {
            throw new IllegalStateException("the executor service of bundle " + bundleName()
                    + " was released; get the service again");
        }
        // A linked queue takes memory as tasks queue, not its whole bound at once: an array of
        // 256 * 1024 slots was a MiB per executor, however few tasks it ever held.
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(threads * QUEUED_TASKS_PER_THREAD),
                new AccountedThreadFactory(accounts, account, name)) {
            @Override
            protected void terminated() {
                pools.remove(this);
            }
        };
        // Counted and added under one lock, so that bundles racing to create pools cannot pass the bound;
        // creating a pool is rare, its tasks never take this lock.
        synchronized (pools) {
            int most = maxExecutors();
            if (pools.size() >= most) {
                pool.shutdown(); // no thread started yet: nothing to stop, only to mark it unused
                throw new IllegalStateException("bundle " + bundleName() + " has " + pools.size()
                        + " executors not yet ended, the most msf.event maxExecutorsPerBundle allows (" + most
                        + "); shut one down, or share one executor between tasks");
            }
            pools.add(pool);
        }
        if (released) {
            // Lost a race with deactivate(), which may have missed this pool.
            pool.shutdownNow();
        }
        // Not the pool itself: a bundle could cast it and raise its size, swap its thread factory (threads
        // outside the account) or its rejection policy (an unbounded caller-runs backlog).
        return Executors.unconfigurableExecutorService(pool);
    }

    private String bundleName() {
        return BundleName.of(user.getSymbolicName(), user.getBundleId()) + " [" + user.getBundleId() + "]";
    }
}
