package io.msf.event.internal;

import io.msf.event.api.BundleUsage;
import io.msf.event.api.ThreadAccounting;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Every bundle's {@link BundleAccount}, shared by its event-loop views and its executors. A component of
 * its own so that the accounts outlive a replacement of the event-loop groups (msf.event changed).
 *
 * <p>An account lasts from the bundle's first use of the services until the bundle stops (and its last
 * executor thread ends), not only while the bundle holds a view: a bundle whose one user of the services
 * restarts while the bundle runs on keeps its totals, which a monitor reads as counters.
 */
@Component(service = {BundleAccounts.class, ThreadAccounting.class}, immediate = true)
public final class BundleAccounts implements ThreadAccounting {

    private final ThreadMXBean threads;
    private final Map<Long, BundleAccount> accounts = new ConcurrentHashMap<>();
    /** Null in tests, which hand the events to {@link #bundleChanged} themselves. */
    private final BundleContext context;
    /**
     * Synchronous: called by the thread that stops the bundle, so that the tasks a swap left queued for it
     * are cancelled before its stop goes on (its code would run on a shared loop while it stops), and a
     * bundle started again at once starts a new account.
     */
    private final SynchronousBundleListener stops = this::bundleChanged;

    /**
     * No reference to a service, a logger's included: the accounts must outlive every change but the stop of
     * this bundle, and the groups and every bundle's executors, which reference them, would restart with them.
     */
    @Activate
    public BundleAccounts(BundleContext context) {
        this.threads = ManagementFactory.getThreadMXBean();
        this.context = context;
        context.addBundleListener(stops);
    }

    /** Without a bundle listener (tests). */
    BundleAccounts() {
        this.threads = ManagementFactory.getThreadMXBean();
        this.context = null;
    }

    @Deactivate
    void deactivate() {
        if (context != null) {
            context.removeBundleListener(stops);
        }
    }

    /** The bundle's account, opened on first use, held by one more view of the bundle until {@link #release}. */
    BundleAccount hold(Bundle bundle) {
        // compute: holding happens atomically with a concurrent removal, never on a removed account
        return accounts.compute(bundle.getBundleId(), (id, account) -> {
            BundleAccount held = account != null ? account : new BundleAccount(bundle, threads);
            held.hold();
            return held;
        });
    }

    /**
     * A view of the bundle was released; the account goes if the bundle no longer runs and its threads have
     * ended, and the tasks swaps left it are cancelled. While the bundle runs it stays, for the view it may get again (a swap of the event-loop groups,
     * a restart of its user of the services).
     */
    void release(BundleAccount account) {
        removeIf(account.bundleId(), current -> current == account && account.release());
    }

    /**
     * An executor thread of the account starts running. If the account already went (its bundle stopped,
     * its threads ended) it is entered again, atomically as in {@link #hold}, so the thread's CPU is never
     * outside the table.
     *
     * @return the account the thread is in, to give to {@link #threadEnded}
     */
    BundleAccount threadStarted(BundleAccount account, Thread thread) {
        return accounts.compute(account.bundleId(), (id, current) -> {
            BundleAccount entered = current != null ? current : account;
            entered.threadStarted(thread);
            return entered;
        });
    }

    /**
     * An executor thread of the account ended; the account goes if that was the last reason to keep it, and
     * the tasks swaps left it are cancelled.
     */
    void threadEnded(BundleAccount account, Thread thread) {
        removeIf(account.bundleId(), current -> current == account && account.threadEnded(thread));
    }

    /**
     * The bundle stops: what a swap left queued by the views it held before is its too, and would run its
     * code after its stop, on a shared loop. Once it stopped (its views released), its account goes, or goes
     * with its last executor thread; unless it runs again (started from another thread meanwhile).
     */
    void bundleChanged(BundleEvent event) {
        int type = event.getType();
        if (type != BundleEvent.STOPPING && type != BundleEvent.STOPPED && type != BundleEvent.UNINSTALLED) {
            return;
        }
        Bundle bundle = event.getBundle();
        BundleAccount account = accounts.get(bundle.getBundleId());
        if (account == null) {
            return;
        }
        // Again at STOPPED: a swap that released a view of the bundle as the stop began may have left it then.
        cancelLeftOver(account);
        if (type != BundleEvent.STOPPING) {
            removeIf(bundle.getBundleId(), BundleAccount::unused);
        }
    }

    /**
     * Removes the bundle's account if {@code goes} says so (atomically with {@link #hold} and
     * {@link #threadStarted}), then cancels what swaps left it. Every removal comes here: the one that drops
     * an account may come after the bundle's STOPPED (a view released, or its last executor thread ending,
     * after the stop), with tasks a swap left queued that no later stop would reach. Cancelled outside the
     * map's lock: a cancel may call into a loop, and logs.
     */
    private void removeIf(long bundleId, Predicate<BundleAccount> goes) {
        BundleAccount[] removed = new BundleAccount[1];
        accounts.computeIfPresent(bundleId, (id, current) -> {
            if (goes.test(current)) {
                removed[0] = current;
                return null;
            }
            return current;
        });
        if (removed[0] != null) {
            cancelLeftOver(removed[0]);
        }
    }

    private static void cancelLeftOver(BundleAccount account) {
        long cancelled = 0;
        LoopView teller = null;
        for (LoopView left : account.takeLeftOver()) {
            cancelled += left.cancelPending();
            teller = left;
        }
        if (cancelled > 0) {
            teller.leftOverCancelled(cancelled);
        }
    }

    @Override
    public List<BundleUsage> usage() {
        List<BundleUsage> usage = new ArrayList<>(accounts.size());
        for (BundleAccount account : accounts.values()) {
            usage.add(account.usage());
        }
        usage.sort(Comparator.comparingLong(BundleUsage::bundleId));
        return usage;
    }
}
