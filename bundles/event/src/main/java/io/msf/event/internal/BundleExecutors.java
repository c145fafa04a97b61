package io.msf.event.internal;

import io.msf.event.api.ServiceExecutors;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final BundleAccounts accounts;
    private final BundleAccount account;
    private final Bundle user;
    private final Logger log;
    /** Pools not yet terminated; one leaves as it terminates, whoever shut it down. */
    private final Set<ThreadPoolExecutor> pools = ConcurrentHashMap.newKeySet();
    private volatile boolean released;

    @Activate
    public BundleExecutors(@Reference BundleAccounts accounts, ComponentContext context,
            @Reference(service = LoggerFactory.class) Logger log) {
        this.accounts = accounts;
        this.user = context.getUsingBundle();
        this.account = accounts.hold(user);
        this.log = log;
    }

    @Deactivate
    void deactivate() {
        released = true;
        int dropped = 0;
        int running = 0;
        for (ThreadPoolExecutor pool : pools) {
            running += pool.getActiveCount();
            dropped += pool.shutdownNow().size();
        }
        if (dropped > 0 || running > 0) {
            log.info("{}: bundle {} released its executors: {} queued task(s) dropped, {} running task(s) interrupted",
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
            throw new IllegalStateException("the executor service of bundle " + user.getSymbolicName() + " ["
                    + user.getBundleId() + "] was released; get the service again");
        }
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(threads * QUEUED_TASKS_PER_THREAD),
                new AccountedThreadFactory(accounts, account, name)) {
            @Override
            protected void terminated() {
                pools.remove(this);
            }
        };
        pools.add(pool);
        if (released) {
            // Lost a race with deactivate(), which may have missed this pool.
            pool.shutdownNow();
        }
        // Not the pool itself: a bundle could cast it and raise its size, swap its thread factory (threads
        // outside the account) or its rejection policy (an unbounded caller-runs backlog).
        return Executors.unconfigurableExecutorService(pool);
    }
}
