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
import org.osgi.framework.BundleListener;

/**
 * Initialises the classes of {@value #CLASSES} on a thread of its own while the framework starts,
 * each as soon as its bundle has started: the static set-up of Netty's native epoll library and
 * its platform and allocator probes (~0.1 s on a small machine) is then done, on the other core,
 * by the time a core bundle of a later start level needs it, instead of on the framework's one
 * start-level thread that activates the bundles one after the other. (Spring Boot's
 * BackgroundPreinitializer does the same for its own slow static set-up.) A bundle that starts
 * earlier than it needs the class gains nothing and loses nothing: the JVM initialises a class
 * once, and a thread that needs it while it is being set up waits for that.
 */
final class BackgroundInit implements BundleListener {

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
            context.addBundleListener(new BackgroundInit(context, entries, problems));
        }
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        if (event.getType() != BundleEvent.STARTED) {
            return;
        }
        Bundle bundle = event.getBundle();
        List<ClassInit.Entry> entries;
        boolean last;
        synchronized (waiting) {
            entries = waiting.remove(bundle.getSymbolicName());
            last = entries != null && waiting.isEmpty();
        }
        if (entries == null) {
            return;
        }
        worker.execute(() -> entries.forEach(entry -> ClassInit.initialise(bundle, entry, CLASSES, problems)));
        if (last) {
            stopListening();
        }
    }

    private void stopListening() {
        try {
            context.removeBundleListener(this);
        } catch (IllegalStateException e) {
            // the framework is stopping: its listeners go with it
        }
    }
}
