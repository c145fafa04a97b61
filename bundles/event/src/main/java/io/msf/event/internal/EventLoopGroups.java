package io.msf.event.internal;

import io.msf.event.api.EventLoopService;
import io.msf.event.api.EventLoopStats;
import io.msf.event.api.Transport;
import io.netty.util.concurrent.Future;
import io.msf.event.api.BoundEventLoopService;
import io.msf.settings.ConfigSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Owns the container's event-loop groups; the per-bundle {@link EventLoopService} views refer to it.
 *
 * <p>A configuration change is applied in place ({@link #modified}): the shutdown timings and the
 * bound on pending tasks take effect at once; a group whose thread count changes (both groups when
 * the transport does) is swapped for a new one and the old one drains what it queued and stops, while
 * the other group keeps running untouched. Immediate, so the groups outlive coming and going consumers.
 */
@Component(service = EventLoopGroups.class, configurationPid = EventLoopGroups.PID, immediate = true)
@Designate(ocd = EventLoopConfiguration.class)
public final class EventLoopGroups {

    static final String PID = "msf.event";

    /** Beyond the configured timeout, how long deactivation waits for threads to end before giving up. */
    private static final long TERMINATION_GRACE_MILLIS = 1000;

    private final Logger log;
    private final ComponentContext context;
    private final LoopSettingsInForce inForce;
    /**
     * The bundles' accounts, which the views reach through the generations rather than by a reference
     * of their own: see {@link #going}.
     */
    private final BundleAccounts accounts;
    private final GroupMaker maker;
    /** Replaced whole on a swap, never changed: readers on the hot paths take it without a lock. */
    private volatile Map<String, NamedLoopGroup> groups;
    private volatile Transport transport;
    private volatile long quietMillis;
    private volatile long timeoutMillis;
    private volatile int maxPendingPerBundle;
    /** The groups being swapped out while the views are released, so that these leave their tasks to drain. */
    private volatile Set<NamedLoopGroup> leaving = Set.of();
    /**
     * The thread releasing the views of the groups being swapped out, while it does: SCR stops on it
     * the users of those views, and with them views of theirs bound to a group kept, which are then
     * released by the swap too.
     */
    private volatile Thread swapping;
    /** The generation registered for each group, by group name; guarded by this. */
    private final Map<String, ServiceRegistration<LoopGeneration>> generation = new HashMap<>();
    private long generations;
    /**
     * The views not yet finished (released with every task done), so that a group that stopped can end the
     * tasks it dropped: see {@link LoopView#dropped}. Changed as views come and go, never per task.
     */
    private final Set<LoopView> views = ConcurrentHashMap.newKeySet();
    /** Set once deactivated: a swap still to come then stops the groups it made. */
    private boolean stopped;
    /** Runs the swaps, off Config Admin's thread; its one thread ends when idle. */
    private final ThreadPoolExecutor swaps = new ThreadPoolExecutor(0, 1, 1, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), task -> {
                Thread thread = new Thread(task, "msf-event-swap");
                thread.setDaemon(true);
                return thread;
            });

    @Activate
    public EventLoopGroups(EventLoopConfiguration config, Map<String, Object> properties, ComponentContext context,
            @Reference LoopSettingsInForce inForce, @Reference BundleAccounts accounts,
            @Reference(service = LoggerFactory.class) Logger log) {
        this(config, properties, context, inForce, accounts, log, NamedLoopGroup::new);
    }

    /** With accounts of its own (tests). */
    EventLoopGroups(EventLoopConfiguration config, Map<String, Object> properties, ComponentContext context,
            LoopSettingsInForce inForce, Logger log) {
        this(config, properties, context, inForce, new BundleAccounts(), log, NamedLoopGroup::new);
    }

    /** With the groups made by {@code maker}, for tests whose new group fails to start. */
    EventLoopGroups(EventLoopConfiguration config, Map<String, Object> properties, ComponentContext context,
            LoopSettingsInForce inForce, Logger log, GroupMaker maker) {
        this(config, properties, context, inForce, new BundleAccounts(), log, maker);
    }

    private EventLoopGroups(EventLoopConfiguration config, Map<String, Object> properties, ComponentContext context,
            LoopSettingsInForce inForce, BundleAccounts accounts, Logger log, GroupMaker maker) {
        this.log = log;
        this.accounts = accounts;
        this.context = context;
        this.inForce = inForce;
        this.maker = maker;
        LoopSettings settings = checked(config, ConfigSource.of(properties), inForce.get());
        this.groups = Collections.unmodifiableMap(made(Map.of(), settings, Set.of(EventLoopService.IO_GROUP,
                EventLoopService.WORKER_GROUP)));
        this.transport = settings.transport();
        take(settings);
        synchronized (this) {
            for (String name : groups.keySet()) {
                generation.put(name, register(name));
            }
        }
        log.info("{}: {}", PID, settings);
    }

    /**
     * Applies a change without stopping what it leaves alone: a refused one changes nothing (ERROR naming
     * the key); the timings and the pending-task bound apply at once; a group whose thread count or
     * transport changes is swapped: the new one is made, the views that give it are released so that
     * their users restart on it, and the old one runs what it queued and stops. The other group keeps its
     * threads, its tasks and its channels, and the views bound to it their users.
     */
    @Modified
    void modified(EventLoopConfiguration config, Map<String, Object> properties) {
        LoopSettings current = inForce.get();
        LoopSettings next;
        try {
            next = LoopSettings.of(config, Runtime.getRuntime().availableProcessors());
        } catch (IllegalArgumentException | IllegalStateException e) {
            log.error("{} ({}) rejected: {}; the event loops keep running with {}", PID, ConfigSource.of(properties),
                    e.getMessage(), current);
            return;
        }
        if (next.quietCapped()) {
            log.warn("{} shutdownQuietMillis={} is longer than shutdownTimeoutMillis={}; using {}", PID,
                    config.shutdownQuietMillis(), next.timeoutMillis(), next.timeoutMillis());
        }
        // Against the groups running too, not only the settings last taken: a swap that failed left
        // its settings taken and the groups as they were, and the same change made again must retry it.
        boolean structural = next.transport() != current.transport() || next.ioThreads() != current.ioThreads()
                || next.workerThreads() != current.workerThreads() || !changed(groups, next).isEmpty();
        take(next);
        if (!structural) {
            log.info("{}: {}", PID, next);
            return;
        }
        // Not on this thread: SCR holds this component's lock while it calls modified, and a swap stops
        // and starts again every user of the swapped groups, on the thread that swaps, however long they take.
        // One thread, so that swaps run in the order of the changes, each on the groups the last left.
        swaps.execute(() -> {
            Set<String> swapped = swap(next);
            if (swapped != null && !swapped.isEmpty()) {
                log.info("{}: {}; groups {} replaced", PID, next, swapped);
            } else if (swapped != null) {
                log.info("{}: {}", PID, next);
            }
        });
    }

    /** The groups of {@code groups} that {@code settings} give another transport or thread count. */
    private static Set<String> changed(Map<String, NamedLoopGroup> groups, LoopSettings settings) {
        Set<String> changed = new LinkedHashSet<>();
        for (NamedLoopGroup group : groups.values()) {
            if (group.transport() != settings.transport() || group.threads() != threads(settings, group.name())) {
                changed.add(group.name());
            }
        }
        return changed;
    }

    private static int threads(LoopSettings settings, String group) {
        return group.equals(EventLoopService.IO_GROUP) ? settings.ioThreads() : settings.workerThreads();
    }

    /** Waits for the swaps of the changes so far (tests). */
    void awaitSwap() throws Exception {
        swaps.submit(() -> { }).get(30, TimeUnit.SECONDS);
    }

    /** The groups {@code settings} give: those named in {@code fresh} made anew, the others kept from {@code kept}. */
    private Map<String, NamedLoopGroup> made(Map<String, NamedLoopGroup> kept, LoopSettings settings,
            Set<String> fresh) {
        Map<String, NamedLoopGroup> created = new LinkedHashMap<>();
        try {
            for (String name : List.of(EventLoopService.IO_GROUP, EventLoopService.WORKER_GROUP)) {
                created.put(name, fresh.contains(name)
                        ? maker.make(name, settings.transport(), threads(settings, name), kept.get(name))
                        : kept.get(name));
            }
        } catch (RuntimeException | Error e) {
            // A failure must not leave the threads of the groups already made behind.
            for (String name : created.keySet()) {
                if (fresh.contains(name)) {
                    created.get(name).shutDown(0, 0, TimeUnit.MILLISECONDS);
                }
            }
            throw e;
        }
        return created;
    }

    private void take(LoopSettings settings) {
        timeoutMillis = settings.timeoutMillis();
        quietMillis = settings.quietMillis();
        maxPendingPerBundle = settings.maxPendingPerBundle();
        synchronized (inForce) {
            inForce.set(settings);
        }
    }

    /**
     * Releases the views (their users stop, the tasks they queued stay to run on the old groups), puts
     * the new groups in, and lets the views come back: their users start again on the new groups.
     * The old groups drain and stop on their own, off Config Admin's thread. Only the groups that
     * {@code next} gives another transport or thread count than they run with are swapped (a change
     * back after a swap that failed swaps none); those swapped are returned, null if the swap failed
     * or the groups were stopped meanwhile.
     */
    private synchronized Set<String> swap(LoopSettings next) {
        if (stopped || going()) {
            return null; // deactivated meanwhile, or about to be, with the groups it had
        }
        Map<String, NamedLoopGroup> before = groups;
        Set<String> swapped = changed(before, next);
        if (swapped.isEmpty()) {
            return swapped;
        }
        Map<String, NamedLoopGroup> after;
        try {
            after = Collections.unmodifiableMap(made(before, next, swapped));
        } catch (RuntimeException | Error e) {
            log.error("{}: the new event-loop groups {} could not be started ({}); the groups keep running as they were",
                    PID, swapped, e.toString());
            synchronized (inForce) {
                // what runs, with the timings and the bound taken since: the next change is compared with it
                LoopSettings taken = inForce.get();
                NamedLoopGroup io = before.get(EventLoopService.IO_GROUP);
                inForce.set(new LoopSettings(io.transport(), io.threads(),
                        before.get(EventLoopService.WORKER_GROUP).threads(), taken.quietMillis(), taken.timeoutMillis(),
                        taken.quietCapped(), taken.maxPendingPerBundle(), taken.maxExecutorsPerBundle()));
            }
            return null;
        }
        Set<NamedLoopGroup> old = new LinkedHashSet<>();
        swapped.forEach(name -> old.add(before.get(name)));
        leaving = old;
        swapping = Thread.currentThread();
        try {
            // Only the swapped groups' generations: SCR releases the views that require them (a view of
            // every group, a view bound to a swapped group) and stops their users before this returns; a
            // view bound to another group, and its users, keep running.
            for (String name : swapped) {
                ServiceRegistration<LoopGeneration> gone = generation.remove(name);
                if (gone != null) {
                    gone.unregister();
                }
            }
        } finally {
            swapping = null;
            leaving = Set.of();
            groups = after;
            transport = after.get(EventLoopService.IO_GROUP).transport();
            if (!going()) {
                for (String name : swapped) {
                    generation.put(name, register(name));
                }
            }
        }
        for (NamedLoopGroup group : old) {
            stop(group).addListener(done -> log.info(
                    "{}: the replaced event-loop group '{}' ({} threads) stopped", PID, group.name(), group.threads()));
        }
        return swapped;
    }

    /**
     * True once this instance is on its way out: its service registration gone (SCR unregisters it
     * before it deactivates the instance) or its bundle stopping; a swap then registers no generation
     * again, and the views and their users stay down until the bundle starts again.
     *
     * <p>A swap must not run beside the stop of the bundle: SCR activated the views and their users on the
     * swap's thread (the generation registered again) while the stopping thread took them down, and a
     * user's view, or a service on it, went missing under SCR between satisfying it and getting it
     * ("Service factory returned null", ERROR lines of the framework). SCR disposes the bundle's
     * components in the order of its Service-Component header (bnd sorts it by class), BundleAccounts
     * first, and its unregistration deactivated every view at once. The views now reach the accounts
     * through the generations; of the components a swap restarts, this instance alone requires
     * BundleAccounts (the executors, which do too, are no part of a swap): the stop's first step
     * deactivates it, and {@link #deactivate} waits for a swap under way, its activations included,
     * before it takes the views down.
     */
    private boolean going() {
        return context.getServiceReference() == null
                || context.getBundleContext().getBundle().getState() == Bundle.STOPPING;
    }

    private ServiceRegistration<LoopGeneration> register(String group) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(BoundEventLoopService.GROUP, group);
        return context.getBundleContext().registerService(LoopGeneration.class,
                new LoopGeneration(++generations, group, this), properties);
    }

    /**
     * The configured settings, or, if they are refused, those the groups had (the defaults at the
     * first start), with an ERROR line naming the key: a bad value must not stop every event loop.
     */
    private LoopSettings checked(EventLoopConfiguration config, String source, LoopSettings previous) {
        int cores = Runtime.getRuntime().availableProcessors();
        try {
            LoopSettings settings = LoopSettings.of(config, cores);
            if (settings.quietCapped()) {
                // Netty refuses a quiet period longer than the timeout; keep running with the timeout instead.
                log.warn("{} shutdownQuietMillis={} is longer than shutdownTimeoutMillis={}; using {}", PID,
                        config.shutdownQuietMillis(), settings.timeoutMillis(), settings.timeoutMillis());
            }
            return settings;
        } catch (IllegalArgumentException | IllegalStateException e) {
            LoopSettings kept = previous != null ? previous : LoopSettings.defaults(cores);
            log.error("{} ({}) rejected: {}; the event loops start with {} ({})", PID, source, e.getMessage(),
                    previous != null ? "their previous settings" : "the defaults", kept);
            return kept;
        }
    }

    @Deactivate
    void deactivate() {
        swaps.shutdown();
        synchronized (this) {
            stopped = true;
            for (ServiceRegistration<LoopGeneration> gone : generation.values()) {
                gone.unregister();
            }
            generation.clear();
        }
        Map<String, NamedLoopGroup> groups = this.groups;
        List<Future<?>> terminations = new ArrayList<>();
        boolean onOwnThread = false;
        for (NamedLoopGroup group : groups.values()) {
            terminations.add(stop(group));
            onOwnThread |= group.ownsCurrentThread();
        }
        if (onOwnThread) {
            log.warn("{}: stopped from one of its own event loops; the groups finish shutting down on their own", PID);
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis + TERMINATION_GRACE_MILLIS);
        int index = 0;
        for (NamedLoopGroup group : groups.values()) {
            long left = Math.max(0, deadline - System.nanoTime());
            if (!terminations.get(index++).awaitUninterruptibly(left, TimeUnit.NANOSECONDS)) {
                log.warn("{}: group '{}' did not stop within shutdownTimeoutMillis={} (a task blocks its loop);"
                        + " its threads are left to end on their own", PID, group.name(), timeoutMillis);
            }
        }
        log.info("{}: event-loop groups {} stopped", PID, groups.keySet());
    }

    /** Shuts {@code group} down gracefully; once it has stopped, the views end the tasks it dropped. */
    private Future<?> stop(NamedLoopGroup group) {
        Future<?> termination = group.shutDown(quietMillis, timeoutMillis, TimeUnit.MILLISECONDS);
        termination.addListener(done -> {
            for (LoopView view : views) {
                view.dropped(group);
                if (view.finished()) {
                    views.remove(view);
                }
            }
        });
        return termination;
    }

    /** A view was made: see {@link #views}. */
    void opened(LoopView view) {
        views.add(view);
    }

    /**
     * A view was released by its bundle, its tasks cancelled, or released by a swap and its last task
     * left to run is done: no group's stop has any of its to end.
     */
    void closed(LoopView view) {
        views.remove(view);
    }

    /** Whether a group's stop goes over {@code view} (see {@link #views}); for tests. */
    boolean follows(LoopView view) {
        return views.contains(view);
    }

    /**
     * The named group.
     *
     * @throws IllegalArgumentException naming the groups that exist if there is none by that name
     */
    NamedLoopGroup group(String name) {
        Map<String, NamedLoopGroup> groups = this.groups;
        NamedLoopGroup group = groups.get(name);
        if (group == null) {
            throw new IllegalArgumentException("no event-loop group named '" + name + "'; groups: " + groups.keySet());
        }
        return group;
    }

    Set<String> groupNames() {
        return groups.keySet();
    }

    Transport transport() {
        return transport;
    }

    /** The bundles' accounts, for the views. */
    BundleAccounts accounts() {
        return accounts;
    }

    /** The most tasks one bundle's view may hold not yet run (msf.event maxPendingTasksPerBundle). */
    int maxPendingPerBundle() {
        return maxPendingPerBundle;
    }

    /** Makes a group, replacing {@code replaced} (null: none); {@link NamedLoopGroup}'s constructor but in tests. */
    @FunctionalInterface
    interface GroupMaker {
        NamedLoopGroup make(String name, Transport transport, int threads, NamedLoopGroup replaced);
    }

    List<EventLoopStats> stats() {
        Map<String, NamedLoopGroup> groups = this.groups;
        List<EventLoopStats> stats = new ArrayList<>(groups.size());
        for (NamedLoopGroup group : groups.values()) {
            stats.add(group.stats());
        }
        return stats;
    }

    /**
     * True while a group that a view of {@code only} (null: every group) gives is swapped out, or once
     * this instance's service registration is gone: SCR unregisters it before it deactivates the instance.
     * A view released then is released because groups are being replaced or stopped, not because its
     * bundle let go of it. So is a view bound to a group kept that is released on the thread of a swap:
     * its user stops with the swap (it also holds a view of the swapped group, or a service that does)
     * and restarts, and its tasks are left to run as those of its other view are.
     */
    boolean isRetiring(String only) {
        if (context.getServiceReference() == null || swapping == Thread.currentThread()) {
            return true;
        }
        for (NamedLoopGroup group : leaving) {
            if (only == null || only.equals(group.name())) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code group} stops with the release under way (see {@link #isRetiring}): its tasks not yet due end. */
    boolean ends(NamedLoopGroup group) {
        return leaving.contains(group) || context.getServiceReference() == null;
    }
}
