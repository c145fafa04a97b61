package io.msf.event.internal;

import io.msf.event.api.BoundEventLoopService;
import io.msf.event.api.EventLoopService;
import io.msf.event.api.EventLoopStats;
import io.msf.event.api.Transport;
import io.msf.text.BundleName;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.FutureListener;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.log.Logger;

/**
 * One bundle's view of the event-loop groups: it remembers the tasks the bundle submitted until
 * they are done, and cancels those still pending when the bundle releases the service.
 *
 * <p>Tracking costs a map entry and a completion listener per task; nothing is scanned while
 * tasks run. Each task is counted in the bundle's {@link BundleAccount}, which measures the CPU time
 * of a random sample of them.
 *
 * <p>The components are its subclasses: {@link BundleEventLoopService}, over every group, and one
 * {@link BoundEventLoopService} per group ({@link IoEventLoopService}, {@link WorkerEventLoopService}),
 * each requiring the {@link LoopGeneration} of the groups it gives, so that SCR restarts its users
 * when one of those is replaced and only then.
 */
abstract class LoopView implements EventLoopService {

    private final EventLoopGroups groups;
    /** The one group this view gives, or null for every group. */
    private final String only;
    private final BundleAccounts accounts;
    private final BundleAccount account;
    private final Bundle user;
    private final Logger log;
    /** Tasks not yet done, with the group they run on; an entry leaves when its future completes. */
    private final Map<Future<?>, NamedLoopGroup> pending = new ConcurrentHashMap<>();
    private final FutureListener<Object> untrack = this::untrack;
    private volatile boolean released;
    /** Set before {@link #released}: released because the groups are replaced, whose queued tasks still run. */
    private volatile boolean draining;

    LoopView(EventLoopGroups groups, String only, BundleAccounts accounts, ComponentContext context, Logger log) {
        this.groups = groups;
        this.only = only;
        this.accounts = accounts;
        this.user = context.getUsingBundle();
        this.account = accounts.hold(user);
        this.log = log;
        groups.opened(this);
    }

    /** The bundle released the view (SCR deactivates the component). */
    void release() {
        draining = (user.getState() & (Bundle.STARTING | Bundle.ACTIVE)) != 0 && groups.isRetiring(only);
        released = true;
        if (draining) {
            // Groups are being replaced (msf.event changed) or stopped while this bundle stays: they run
            // what is queued before they stop, so nothing submitted is lost, and a group kept runs what is
            // due. Netty drops scheduled tasks that are not yet due when a loop stops; say so rather than
            // lose them quietly. Those not yet due on a group kept are cancelled too: untracked once this
            // view is gone, they would outlive a stop of the bundle (its code run on a shared loop) and
            // fire on the component instance the release stopped, beside those its restart schedules again.
            long notDue = 0;
            long cancelled = 0;
            for (Map.Entry<Future<?>, NamedLoopGroup> task : pending.entrySet()) {
                if (!notYetDue(task.getKey())) {
                    continue;
                }
                if (groups.ends(task.getValue())) {
                    notDue++;
                } else if (cancel(task.getKey())) {
                    cancelled++;
                }
            }
            if (notDue > 0) {
                log.warn("{}: {} task(s) scheduled by bundle {} are not yet due and end with the replaced event loops",
                        EventLoopGroups.PID, notDue, bundleName());
            }
            if (cancelled > 0) {
                log.warn("{}: cancelled {} task(s) scheduled by bundle {} on the event loops kept, not yet due: its"
                        + " services restart on the replaced ones", EventLoopGroups.PID, cancelled, bundleName());
            }
            // The tasks left to run stay tracked, each counted in the bundle's account until it is done: the
            // view of the new groups counts in the same account, and a bundle at its bound would otherwise
            // have its bound again on top of what it left queued, at every swap. The account keeps this view
            // until they are done, so that a stop of the bundle meanwhile cancels them (BundleAccounts).
            account.leftOver(this);
            // The bundle gets the service from the new groups: its totals go on in the same account.
            accounts.release(account);
            letGoIfFinished(); // else the last of its tasks to be done does
            return;
        }
        long cancelled = cancelPending();
        if (cancelled > 0) {
            log.info("{}: cancelled {} pending task(s) of bundle {}, which released the event-loop service",
                    EventLoopGroups.PID, cancelled, bundleName());
        }
        accounts.release(account);
        groups.closed(this);
    }

    /** Cancels every task still pending; how many were. */
    long cancelPending() {
        long cancelled = 0;
        for (Future<?> future : pending.keySet()) {
            if (cancel(future)) {
                cancelled++;
            }
        }
        return cancelled;
    }

    /** Tells that its bundle's stop cancelled {@code cancelled} tasks that swaps left to run, this view's among them. */
    void leftOverCancelled(long cancelled) {
        log.info("{}: cancelled {} task(s) of bundle {} that a replacement of the event loops left to run:"
                + " the bundle stopped", EventLoopGroups.PID, cancelled, bundleName());
    }

    /**
     * Ends the tasks of this view that {@code group}, now terminated, never ran: Netty drops a task that
     * reaches a loop after the loop's last run of tasks (its submitter passed the loop's shutdown check
     * just before the loop stopped taking tasks, and the loop's final drain took it before the submitter
     * could take it back and throw) and never completes its future, and one scheduled from the loop
     * during that last run stays in its queue. Left so, it would count toward the bundle's bound for ever
     * and a caller waiting on it would wait for ever; cancelled, the caller gets a CancellationException.
     * Those done whose listener the stopping loop refused leave the count here too.
     *
     * @return how many there were that never ran
     */
    long dropped(NamedLoopGroup group) {
        long dropped = 0;
        for (Map.Entry<Future<?>, NamedLoopGroup> task : pending.entrySet()) {
            if (task.getValue() != group) {
                continue;
            }
            if (task.getKey().isDone()) {
                // Done, but its listener never ran: completed off the loop (cancelled by its caller) as the loop
                // stopped, Netty handed the listener to the loop, which refused it. No listener of the group's
                // runs any more: untracked here, or counted for ever.
                untrack(task.getKey());
            } else if (drop(task.getKey())) {
                dropped++;
            }
        }
        if (dropped > 0) {
            warnDropped(dropped, group);
        }
        return dropped;
    }

    /** True once this view is released and every task it tracked is done: nothing of it is left to end. */
    boolean finished() {
        return released && pending.isEmpty();
    }

    /** True once every task this view tracked is done. */
    boolean drained() {
        return pending.isEmpty();
    }

    @Override
    public EventLoopGroup group(String name) {
        // Refused once released, like submit: the groups a released view knew may be shut down.
        return usable(name).shared();
    }

    @Override
    public Set<String> groupNames() {
        return only != null ? Set.of(only) : groups.groupNames();
    }

    @Override
    public Transport transport() {
        return groups.transport();
    }

    @Override
    public Future<?> submit(String group, Runnable task) {
        Objects.requireNonNull(task, "task");
        NamedLoopGroup target = usable(group);
        admit();
        return track(target, target.group().submit(target.counted(account.measured(task))));
    }

    @Override
    public ScheduledFuture<?> schedule(String group, Runnable task, long delay, TimeUnit unit) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(unit, "unit");
        if (delay < 0) {
            throw new IllegalArgumentException("delay must not be negative: " + delay + " " + unit);
        }
        NamedLoopGroup target = usable(group);
        admit();
        return track(target, target.group().schedule(target.counted(account.measured(task)), delay, unit));
    }

    @Override
    public List<EventLoopStats> stats() {
        return groups.stats();
    }

    private NamedLoopGroup usable(String group) {
        if (released) {
            throw new IllegalStateException("the event-loop service of bundle " + bundleName()
                    + " was released; get the service again");
        }
        if (only != null && !only.equals(group)) {
            throw new IllegalArgumentException("the event-loop service of bundle " + bundleName() + " is bound to"
                    + " group '" + only + "' (" + BoundEventLoopService.GROUP + "=" + only + ") and gives no group '"
                    + group + "'; reference EventLoopService for every group");
        }
        return groups.group(group);
    }

    /**
     * Refuses a task past the bundle's bound: Netty's task queues have none, and a bundle that submits
     * faster than the loops run its tasks would fill the heap and hold up every other bundle's tasks.
     * Threads submitting at the same moment may each pass the bound by one (counted, then added).
     */
    private void admit() {
        int most = groups.maxPendingPerBundle();
        if (account.pendingTasks() >= most) {
            throw new RejectedExecutionException("bundle " + bundleName() + " has " + most + " tasks pending on the"
                    + " event loops, the most msf.event maxPendingTasksPerBundle allows: it submits them faster"
                    + " than they run");
        }
    }

    /** Package-private for tests, which hand it futures in the states the races below leave them in. */
    <F extends Future<?>> F track(NamedLoopGroup group, F future) {
        if (pending.put(future, group) == null) {
            account.pendingTasks(1);
        }
        if (released) {
            // Lost a race with release(), perhaps with the last of its tasks done too, which let this view go: a
            // group's stop must go over it again, before the termination check below, for the task may stay.
            groups.opened(this);
        }
        if (future.isDone()) {
            // Ran already (a short task on an idle loop often has): a listener added now would cost the loop a
            // task of its own to notify it, and one that ended meanwhile (a swap drained it) would refuse that
            // with an ERROR of Netty's. So none is added.
            untrack(future);
        } else {
            future.addListener(untrack);
            if (future.isDone()) {
                // Done before the listener was added, Netty notifies it on the future's loop: a loop that ended
                // meanwhile refuses the notification, and the task would count toward the bundle's bound for
                // ever. Untracking twice is harmless: the second finds nothing.
                untrack(future);
            }
        }
        if (released) {
            if (!future.isDone() && group.group().isTerminated()) {
                // Its group stopped before it ran, and dropped it (see dropped()), perhaps after the sweep of the
                // views at its termination went over this one. Groups stop only after the views that give them
                // are released, so this costs the tasks that never race one nothing.
                if (drop(future)) {
                    warnDropped(1, group);
                }
            } else if (!draining || notYetDue(future)) {
                // Lost a race with release(), which may have missed this task: treat it as release() does. Released
                // by a swap, that leaves the queued tasks to run and ends those not yet due (cancelled on a group
                // kept, dropped by Netty with a replaced group's loops: a cancel here only comes first), lest one
                // fire on the instance the swap stopped.
                cancel(future);
            }
        }
        return future;
    }

    /** Cancels a task that its terminated group never ran; false if it was no longer tracked. */
    private boolean drop(Future<?> future) {
        NamedLoopGroup group = untrack(future);
        if (group == null) {
            return false;
        }
        // Untracked here: Netty would hand the listener to the ended loop, which refuses it (an ERROR of Netty's).
        future.removeListener(untrack);
        try {
            future.cancel(false);
        } catch (RejectedExecutionException alreadyGone) {
            // A scheduled task cancelled asks its loop to take it out of its queue, and the ended loop refuses:
            // the queue went with it. The future is cancelled all the same.
        }
        group.cancelled(1);
        return true;
    }

    private void warnDropped(long dropped, NamedLoopGroup group) {
        log.warn("{}: {} task(s) of bundle {} reached the event-loop group '{}' as it stopped and never ran;"
                + " cancelled", EventLoopGroups.PID, dropped, bundleName(), group.name());
    }

    /**
     * Cancels a task; false if it was no longer tracked or already done. Never throws: a stopping bundle's
     * tasks are cancelled from the framework's stop (a synchronous bundle listener, see BundleAccounts).
     */
    private boolean cancel(Future<?> future) {
        NamedLoopGroup group = untrack(future);
        if (group == null) {
            return false;
        }
        // Untracked here: a loop shutting down would refuse the listener's notification (an ERROR of Netty's).
        future.removeListener(untrack);
        boolean cancelled;
        try {
            cancelled = future.cancel(false);
        } catch (RejectedExecutionException shuttingDown) {
            // A scheduled task, cancelled first, then asks its loop to take it out of its queue, and a loop
            // shutting down (a swap of the groups, the container stopping) refuses: the task is cancelled all
            // the same and never runs; its loop drops its queue as it ends.
            cancelled = future.isCancelled();
        }
        if (cancelled) {
            group.cancelled(1);
        }
        return cancelled;
    }

    /** Forgets {@code future}, and takes it out of the bundle's count if it was there; its group, or null. */
    private NamedLoopGroup untrack(Future<?> future) {
        NamedLoopGroup group = pending.remove(future);
        if (group != null) {
            account.pendingTasks(-1);
            if (released) {
                letGoIfFinished();
            }
        }
        return group;
    }

    /**
     * Leaves the views a group's stop goes over once this one is released and its last task done: released
     * by a swap, it stayed there until a later group stopped, holding its bundle (an uninstalled one too).
     */
    private void letGoIfFinished() {
        if (finished()) {
            groups.closed(this);
            if (!finished()) {
                groups.opened(this); // a task tracked meanwhile (see track), whose opened() came first
            }
        }
    }

    private static boolean notYetDue(Future<?> future) {
        return future instanceof ScheduledFuture && ((ScheduledFuture<?>) future).getDelay(TimeUnit.NANOSECONDS) > 0;
    }

    private String bundleName() {
        return BundleName.of(user.getSymbolicName(), user.getBundleId()) + " [" + user.getBundleId() + "]";
    }
}
