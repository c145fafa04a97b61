package io.msf.launcher;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.SynchronousBundleListener;

/**
 * Initialises the classes of {@value #CLASSES} on a thread of its own while the framework starts,
 * each as soon as its bundle has started: the static set-up of Netty's native epoll library and
 * its platform and allocator probes (~0.1 s on a small machine) is then done, on the other core,
 * by the time a core bundle of a later start level needs it, instead of on the framework's one
 * start-level thread that activates the bundles one after the other. (Spring Boot's
 * BackgroundPreinitializer does the same for its own slow static set-up.) A bundle that starts
 * earlier than it needs the class gains nothing and loses nothing: the JVM initialises a class
 * once, and a thread that needs it while it is being set up waits for that. (In Netty 4.2 the
 * static initialisers of the classes named by default depend on one another in one direction only,
 * so two threads setting them up at once cannot wait for each other.)
 *
 * <p>An entry whose bundle has not started by the time the framework has (a misspelt name, a
 * bundle the profile leaves out, a fragment, a bundle with lazy activation, whose classes would
 * activate it) is reported then.
 */
final class BackgroundInit implements SynchronousBundleListener, FrameworkListener {

    static final String CLASSES = "msf.init.classes";
    static final String THREAD = "msf-init";
    private static final long IDLE_SECONDS = 1;

    private final BundleContext context;
    private final PrintStream problems;
    /** Entries by bundle symbolic name, until that bundle has started; guarded by itself. */
    private final Map<String, List<ClassInit.Entry>> waiting = new HashMap<>();
    /** One thread, ended after a second without work: nothing lingers once the start is over. */
    private final ThreadPoolExecutor worker = new ThreadPoolExecutor(0, 1, IDLE_SECONDS, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), task -> {
                Thread thread = new Thread(task, THREAD);
                thread.setDaemon(true);
                return thread;
            });

    private BackgroundInit(BundleContext context, List<ClassInit.Entry> entries, PrintStream problems) {
        this.context = context;
        this.problems = problems;
        entries.forEach(entry -> waiting.computeIfAbsent(entry.bundle(), name -> new ArrayList<>()).add(entry));
    }

    /** Listens for the bundles of {@value #CLASSES} to start; call before the framework starts. */
    static void install(BundleContext context, Map<String, String> properties, PrintStream problems) {
        List<ClassInit.Entry> entries = ClassInit.parse(CLASSES, properties.getOrDefault(CLASSES, ""), problems);
        if (!entries.isEmpty()) {
            BackgroundInit init = new BackgroundInit(context, entries, problems);
            context.addFrameworkListener(init);
            // synchronous: told on the start-level thread the moment the bundle has started, not
            // after the events queued before it are delivered
            context.addBundleListener(init);
        }
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        if (event.getType() != BundleEvent.STARTED) {
            return;
        }
        Bundle bundle = event.getBundle();
        List<ClassInit.Entry> entries;
        synchronized (waiting) {
            entries = waiting.remove(bundle.getSymbolicName());
        }
        if (entries != null) {
            worker.execute(() -> entries.forEach(entry -> ClassInit.initialise(bundle, entry, CLASSES, problems)));
        }
    }

    /** The framework has started: every bundle that was going to start has. */
    @Override
    public void frameworkEvent(FrameworkEvent event) {
        if (event.getType() != FrameworkEvent.STARTED) {
            return;
        }
        List<ClassInit.Entry> neverStarted = new ArrayList<>();
        synchronized (waiting) {
            waiting.values().forEach(neverStarted::addAll);
            waiting.clear();
        }
        neverStarted.forEach(entry -> problems.println("msf: " + CLASSES + ": '" + entry
                + "' names no bundle that started (a fragment, or one this profile leaves out?)"));
        try {
            context.removeBundleListener(this);
            context.removeFrameworkListener(this);
        } catch (IllegalStateException e) {
            // the framework is stopping: its listeners go with it
        }
    }
}
