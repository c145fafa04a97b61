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
import org.osgi.framework.Bundle;
import org.osgi.service.component.annotations.Component;

/**
 * Every bundle's {@link BundleAccount}, shared by its event-loop view and its executors. A component of
 * its own so that the accounts outlive a replacement of the event-loop groups (msf.event changed).
 */
@Component(service = {BundleAccounts.class, ThreadAccounting.class}, immediate = true)
public final class BundleAccounts implements ThreadAccounting {

    private final ThreadMXBean threads;
    private final Map<Long, BundleAccount> accounts = new ConcurrentHashMap<>();

    public BundleAccounts() {
        this(ManagementFactory.getThreadMXBean());
    }

    BundleAccounts(ThreadMXBean threads) {
        this.threads = threads;
    }

    /**
     * The bundle's account, opened on first use, held by one more view of the bundle until
     * {@link #release}: a bundle that gets the services again (msf.event replaced the groups) keeps it.
     */
    BundleAccount hold(Bundle bundle) {
        // compute: holding happens atomically with a concurrent release's removal, never on a removed account
        return accounts.compute(bundle.getBundleId(), (id, account) -> {
            BundleAccount held = account != null ? account
                    : new BundleAccount(String.valueOf(bundle.getSymbolicName()), id, threads);
            held.hold();
            return held;
        });
    }

    /** A view of the bundle was released; the account goes once no view holds it and its threads have ended. */
    void release(BundleAccount account) {
        accounts.computeIfPresent(account.bundleId(), (id, current) ->
                current == account && account.release() ? null : current);
    }

    /**
     * The bundle's event-loop view was released because the groups are being replaced (msf.event changed),
     * while the bundle stays: the account is kept for the view it gets from the new groups, and goes only
     * if the bundle stops before that (noticed by {@link #usage}).
     */
    void releaseKeeping(BundleAccount account, Bundle bundle) {
        accounts.computeIfPresent(account.bundleId(), (id, current) -> {
            if (current == account) {
                account.releaseKeeping(bundle);
            }
            return current;
        });
    }

    /**
     * An executor thread of the account starts running. If the account already went (its views released,
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

    /** An executor thread of the account ended; the account goes if that was the last reason to keep it. */
    void threadEnded(BundleAccount account, Thread thread) {
        accounts.computeIfPresent(account.bundleId(), (id, current) ->
                current == account && account.threadEnded(thread) ? null : current);
    }

    @Override
    public List<BundleUsage> usage() {
        for (Long id : accounts.keySet()) {
            List<BundleAccount> gone = new ArrayList<>(1);
            accounts.computeIfPresent(id, (key, account) -> {
                if (account.keptForStoppedBundle()) {
                    gone.add(account);
                    return null;
                }
                return account;
            });
            // It stopped before it got the service from the new groups: no view of its was released by the stop,
            // so what the swap left queued is ended here, as a stop ends it (LoopView.release).
            for (BundleAccount stopped : gone) {
                stopped.takeLeftOver().forEach(LoopView::cancelPending);
            }
        }
        List<BundleUsage> usage = new ArrayList<>(accounts.size());
        for (BundleAccount account : accounts.values()) {
            usage.add(account.usage());
        }
        usage.sort(Comparator.comparingLong(BundleUsage::bundleId));
        return usage;
    }
}
