package io.msf.event.internal;

import io.msf.concurrent.DetachedThreads;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads of one bundle executor: named {@code <bundle>-<name>-<n>} so that thread dumps say whose
 * they are, daemon, and entered in the bundle's account from the start of their run to its end.
 *
 * <p>A pool makes its threads on the thread that gives it a task, maybe another bundle's, and they live
 * until the pool is shut down: they are made by {@link DetachedThreads}, keeping nothing of their maker.
 */
final class AccountedThreadFactory implements ThreadFactory {

    private final BundleAccounts accounts;
    private final BundleAccount account;
    private final String prefix;
    private final AtomicInteger next = new AtomicInteger(1);

    AccountedThreadFactory(BundleAccounts accounts, BundleAccount account, String name) {
        this.accounts = accounts;
        this.account = account;
        this.prefix = account.bundle() + "-" + name + "-";
    }

    @Override
    public Thread newThread(Runnable task) {
        return DetachedThreads.newThread(() -> {
            // Entered by the thread itself, before it runs anything: ThreadPoolExecutor may create a thread
            // it never starts (shutdownNow racing execute, start() failing), and one entered from here would
            // stay "live" forever and pin its stopped bundle's account.
            BundleAccount entered = accounts.threadStarted(account, Thread.currentThread());
            try {
                task.run();
            } finally {
                // Last act of the thread: its final CPU reading, so the bundle's total survives its end.
                accounts.threadEnded(entered, Thread.currentThread());
            }
        }, prefix + next.getAndIncrement());
    }
}
