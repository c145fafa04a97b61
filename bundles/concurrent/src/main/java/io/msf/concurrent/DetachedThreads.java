package io.msf.concurrent;

import java.security.AccessController;
import java.security.PrivilegedAction;
import java.util.concurrent.ThreadFactory;

/**
 * Makes threads that keep nothing of the thread that makes them. A container's long-lived threads (an
 * event loop, a bundle's pool, the timer's wheel) are made on whichever thread first needs them, often
 * a bundle's, and outlive it: what they took from it would keep that bundle's class loader in memory
 * after the bundle is updated or uninstalled. So they get no context class loader, no copy of the
 * maker's inheritable thread locals (a logging library's context holding a bundle's object, say), and
 * none of the protection domains of the classes on the maker's stack, which a thread keeps on Java 17,
 * each holding its class loader, unless it is made in a privileged block. Nor do they join the maker's
 * thread group, which may be of a bundle's class (and would get their uncaught exceptions), or take its
 * priority: they are in the JVM's top group, at the normal priority. Daemon, so that threads slow to
 * stop never keep the JVM alive once the framework is down.
 */
public final class DetachedThreads {

    private DetachedThreads() {
    }

    /** Makes {@link #newThread detached} threads named {@code name}, for an executor. */
    public static ThreadFactory named(String name) {
        return task -> newThread(task, name);
    }

    /** A thread, not started, that runs {@code task}. */
    @SuppressWarnings("removal") // AccessController is to go, but Thread's constructor still reads it on Java 17
    public static Thread newThread(Runnable task, String name) {
        return AccessController.doPrivileged((PrivilegedAction<Thread>) () -> {
            Thread thread = new Thread(topGroup(), task, name, 0, false);
            thread.setDaemon(true);
            thread.setPriority(Thread.NORM_PRIORITY);
            thread.setContextClassLoader(null);
            return thread;
        });
    }

    /** The group every other is in (the JVM's "system"): of no bundle, and never destroyed. */
    private static ThreadGroup topGroup() {
        ThreadGroup group = Thread.currentThread().getThreadGroup();
        while (group.getParent() != null) {
            group = group.getParent();
        }
        return group;
    }
}
