package io.msf.deploy.internal;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.log.Logger;

/**
 * The class loaders of the bundle versions the deployer removed (uninstalled, or refreshed away), watched
 * until they are collected: one still in memory after {@value #CHECKS_BEFORE_LEAK} checks spanning a garbage
 * collection, and held by a live thread, is leaked by that thread: one the service started itself and never
 * stopped, which keeps the loader, and every class it loaded, for as long as it runs. Such a leak is logged
 * at WARN once, naming the bundle and the threads, and is a warning of the deployer's health check ({@code
 * msf:health}) while a thread holds it. A loader no thread holds is not told of: it cannot be told apart
 * from one awaiting the collection that unloads classes (a full one for the serial collector bin/msf
 * runs, which young collections, the ones counted here, do not replace), and a warning after every hot
 * swap of an idle container would be a false alarm.
 *
 * <p>Only weak references are kept: watching holds no loader in memory. A thread holds a loader if it is
 * its context class loader, if the thread's own class was loaded by it, or if a frame of its stack runs a
 * class it loaded. Frames name classes only, so a frame's class is looked up by name through the loader;
 * a frame whose class a running bundle of the same symbolic name defines too (the version that took the
 * removed one's place, or the bundle's own new wiring after a refresh) proves nothing and is passed over:
 * a service that stops its threads and starts them again in its new version is not told of.
 *
 * <p>At most {@value #MAX_WATCHED} loaders are watched (the oldest is let go); thread-safe.
 */
final class LeftLoaders {

    /** Checks a loader must survive, the first and the last with a garbage collection between them. */
    static final int CHECKS_BEFORE_LEAK = 6;
    /** Loaders watched at most; a container that removes more at once lets the oldest go. */
    static final int MAX_WATCHED = 64;
    /** Threads named in a warning at most; the rest are counted. */
    private static final int MAX_THREADS_NAMED = 5;

    private final LongSupplier collections;
    private final Supplier<Map<Thread, StackTraceElement[]>> threads;
    private final Function<String, List<ClassLoader>> runningLoaders;
    private final Logger log;
    private final Deque<Left> watched = new ArrayDeque<>();

    LeftLoaders(BundleContext context, Logger log) {
        this(LeftLoaders::collectionCount, Thread::getAllStackTraces, name -> runningLoaders(context, name), log);
    }

    /**
     * @param collections a count that grows with each garbage collection
     * @param threads the live threads and their stacks
     * @param runningLoaders the class loaders of the bundles of a symbolic name that are installed now
     */
    LeftLoaders(LongSupplier collections, Supplier<Map<Thread, StackTraceElement[]>> threads,
            Function<String, List<ClassLoader>> runningLoaders, Logger log) {
        this.collections = collections;
        this.threads = threads;
        this.runningLoaders = runningLoaders;
        this.log = log;
    }

    /**
     * Watches the class loader of each bundle's current wiring, which the uninstall or refresh about to
     * follow lets go: taken now, before the bundle has none. Bundles without one (never resolved) are skipped.
     */
    void watch(Iterable<Bundle> bundles) {
        for (Bundle bundle : bundles) {
            BundleWiring wiring = bundle.adapt(BundleWiring.class);
            ClassLoader loader = wiring == null ? null : wiring.getClassLoader();
            if (loader != null) {
                watch(bundle.getSymbolicName(),
                        bundle.getSymbolicName() + " " + bundle.getVersion() + " [" + bundle.getBundleId() + "]", loader);
            }
        }
    }

    /**
     * Watches {@code loader}, the one of {@code bundle} (its symbolic name, version and id), if not yet.
     *
     * @param symbolicName the bundle's symbolic name, whose running bundles' classes prove no leak
     */
    synchronized void watch(String symbolicName, String bundle, ClassLoader loader) {
        if (watched.stream().anyMatch(left -> left.loader.get() == loader)) {
            return; // taken before its uninstall, and again before the refresh that followed
        }
        if (watched.size() == MAX_WATCHED) {
            Left oldest = watched.removeFirst();
            log.info("{}: its class loader is no longer watched for a leak: {} loaders of removed bundles are"
                    + " watched at most", oldest.bundle, MAX_WATCHED);
        }
        watched.addLast(new Left(symbolicName, bundle, new WeakReference<>(loader)));
    }

    /**
     * Forgets the loaders collected (saying so of those that were leaked), and names those leaked: run
     * periodically, on the timer's thread.
     */
    synchronized void check() {
        long collected = collections.getAsLong();
        Map<Thread, StackTraceElement[]> stacks = null;
        for (Iterator<Left> it = watched.iterator(); it.hasNext(); ) {
            Left left = it.next();
            ClassLoader loader = left.loader.get();
            if (loader == null) {
                it.remove();
                if (left.warning != null) {
                    log.info("{}: its class loader is collected now: no longer leaked", left.bundle);
                }
                continue;
            }
            left.checks++;
            if (left.firstCheckCollections < 0) {
                left.firstCheckCollections = collected;
            }
            if (left.checks >= CHECKS_BEFORE_LEAK && collected != left.firstCheckCollections) {
                if (stacks == null) {
                    stacks = threads.get();
                }
                String holders = holders(loader, stacks, runningLoaders.apply(left.symbolicName));
                String before = left.warning;
                left.warning = holders == null ? null : left.bundle + ": removed, but its class loader (and every"
                        + " class it loaded) is still in memory after garbage collection; " + holders;
                if (before == null && left.warning != null) {
                    log.warn("{}", left.warning);
                } else if (before != null && left.warning == null) {
                    log.info("{}: no thread holds its class loader any more; it goes with the next collection that"
                            + " unloads classes", left.bundle);
                }
            }
        }
    }

    /** The warnings of the loaders leaked, oldest first: none while there is none. */
    synchronized List<String> warnings() {
        return watched.stream().map(left -> left.warning).filter(w -> w != null).toList();
    }

    /** The live threads that hold {@code loader}, as the warning names them; null if none does. */
    private static String holders(ClassLoader loader, Map<Thread, StackTraceElement[]> stacks,
            List<ClassLoader> running) {
        List<String> named = new ArrayList<>();
        Map<String, Boolean> onlyItsOwn = new HashMap<>();
        Predicate<String> loadedOnlyByIt = name -> onlyItsOwn.computeIfAbsent(name, n -> loadedBy(n, loader)
                && running.stream().noneMatch(other -> other != loader && loadedBy(n, other)));
        for (Map.Entry<Thread, StackTraceElement[]> entry : stacks.entrySet()) {
            Thread thread = entry.getKey();
            String why = thread.isAlive() ? why(thread, entry.getValue(), loader, loadedOnlyByIt) : null;
            if (why != null) {
                named.add("'" + thread.getName() + "' (" + why + ")");
            }
        }
        if (named.isEmpty()) {
            return null;
        }
        String shown = String.join(", ", named.subList(0, Math.min(named.size(), MAX_THREADS_NAMED)));
        int more = named.size() - MAX_THREADS_NAMED;
        return "threads that hold it, started by the service and never stopped: " + shown
                + (more > 0 ? " and " + more + " more" : "");
    }

    /** Why {@code thread} holds {@code loader}, or null if it does not. */
    private static String why(Thread thread, StackTraceElement[] stack, ClassLoader loader,
            Predicate<String> loadedOnlyByIt) {
        if (thread.getContextClassLoader() == loader) {
            return "its context class loader";
        }
        if (thread.getClass().getClassLoader() == loader) {
            return "its class " + thread.getClass().getName();
        }
        for (StackTraceElement frame : stack) {
            if (loadedOnlyByIt.test(frame.getClassName())) {
                return "at " + frame.getClassName() + "." + frame.getMethodName();
            }
        }
        return null;
    }

    /**
     * Whether the class named is one {@code loader} loaded: found through it, and defined by it rather than
     * by a loader it delegates to. A frame's class is loaded already, so the lookup finds the loaded one.
     */
    private static boolean loadedBy(String name, ClassLoader loader) {
        try {
            return Class.forName(name, false, loader).getClassLoader() == loader;
        } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
            // a refreshed bundle's loader may refuse what it no longer has
            return false;
        }
    }

    /** The class loaders of the bundles named {@code symbolicName} that have a wiring now. */
    private static List<ClassLoader> runningLoaders(BundleContext context, String symbolicName) {
        List<ClassLoader> loaders = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName != null && symbolicName.equals(bundle.getSymbolicName())) {
                BundleWiring wiring = bundle.adapt(BundleWiring.class);
                ClassLoader loader = wiring == null ? null : wiring.getClassLoader();
                if (loader != null) {
                    loaders.add(loader);
                }
            }
        }
        return loaders;
    }

    /** The garbage collections of every collector so far. */
    private static long collectionCount() {
        long count = 0;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, collector.getCollectionCount());
        }
        return count;
    }

    /** One removed bundle's loader, and how its checks went. */
    private static final class Left {
        final String symbolicName;
        final String bundle;
        final WeakReference<ClassLoader> loader;
        int checks;
        long firstCheckCollections = -1;
        /** Set once the loader is leaked; said again with the threads of the latest check. */
        String warning;

        Left(String symbolicName, String bundle, WeakReference<ClassLoader> loader) {
            this.symbolicName = symbolicName;
            this.bundle = bundle;
            this.loader = loader;
        }
    }
}
