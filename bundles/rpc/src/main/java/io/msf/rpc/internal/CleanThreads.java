package io.msf.rpc.internal;

import java.security.AccessController;
import java.security.PrivilegedAction;
import java.util.concurrent.ThreadFactory;

/**
 * Makes the RPC bundle's shared threads, which its callers' calls start and which outlive them,
 * keeping nothing of those callers. On Java 17 a thread keeps the protection domains of every class
 * on its creator's stack, each holding its class loader: in the container, a bundle's, which would
 * stay in memory after the bundle is updated or uninstalled. So these are made in a privileged block
 * (which keeps only this bundle's own domain), take none of the inheritable thread locals of the
 * thread that starts them (a logging library's context may hold a bundle's object), and have no
 * context class loader.
 */
final class CleanThreads {

    private CleanThreads() {
    }

    /** Daemon threads named {@code name}. */
    static ThreadFactory named(String name) {
        return task -> newThread(task, name);
    }

    @SuppressWarnings("removal") // AccessController is to go, but Thread's constructor still reads it on Java 17
    private static Thread newThread(Runnable task, String name) {
        return AccessController.doPrivileged((PrivilegedAction<Thread>) () -> {
            Thread thread = new Thread(null, task, name, 0, false);
            thread.setDaemon(true);
            thread.setContextClassLoader(null);
            return thread;
        });
    }
}
