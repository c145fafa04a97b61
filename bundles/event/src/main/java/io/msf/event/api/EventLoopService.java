package io.msf.event.api;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The container's named Netty event-loop groups.
 *
 * <p>The service is bundle scoped: each bundle gets its own view. Tasks a bundle submits or
 * schedules through its view are tracked, and those still pending are cancelled when the bundle
 * stops (when it releases the service), so a stopped bundle leaves no code queued on a shared
 * loop. Groups themselves are shared; channels registered on them are the business of their
 * owner (the network service closes the endpoints it opened for a bundle).
 *
 * <p>A group is replaced when its thread count (or the transport) changes: the service is
 * registered again, so its users restart and reach the new group, and the old one is shut down
 * gracefully, running what it already queued. A group whose settings did not change keeps running,
 * with its loops, channels and tasks, but for the scheduled tasks not yet due of the users that
 * restart: those are cancelled, as they end with a replaced group (those scheduled through a
 * {@link BoundEventLoopService} that another component of the same bundle holds and keeps are not: see
 * there); a change of the shutdown timings or of the pending-task bound replaces nothing.
 * A component that uses one group only can reference {@link BoundEventLoopService} for that group
 * instead: a change of the other group leaves it running.
 * Hold the service, not a group, and ask for the group when you need it.
 */
@ProviderType
public interface EventLoopService {

    /** The group for network I/O; always present. */
    String IO_GROUP = "io";

    /** The group for short non-blocking service work kept off the I/O loops; always present. */
    String WORKER_GROUP = "worker";

    /**
     * Returns the named group. It is shared by the whole container: its {@code shutdownGracefully},
     * {@code shutdown} and {@code shutdownNow} throw {@link UnsupportedOperationException} (msf shuts
     * its groups down itself), and so do those of its loops ({@code next()}, a channel's event loop)
     * and of the group a loop gives as its {@code parent()}. Tasks given to the group or its loops
     * directly (their {@code execute}, {@code submit} or {@code schedule}, a channel's event loop) are
     * Netty's alone: not counted (toward the bundle's bound, in its {@link BundleUsage}) nor cancelled
     * when it stops. Use {@link #submit} and {@link #schedule} for tasks that must end with the bundle.
     *
     * @throws IllegalArgumentException if no group has that name
     * @throws IllegalStateException if this view was released (the bundle stopped or ungot the service);
     *     get the service again
     */
    EventLoopGroup group(String name);

    /** The names of all groups, in configuration order. */
    Set<String> groupNames();

    /** The I/O transport every group uses. */
    Transport transport();

    /**
     * Runs a task on the named group; the task is cancelled if this bundle stops first. It is cancelled too
     * in the rare case that it reaches a loop of its group as the group stops (it is replaced, or the event
     * bundle stops) after the loop's last run of tasks: Netty drops such a task, and msf cancels its future
     * (a WARN names the bundle and the group) so that a caller blocked on it ({@code get}, {@code await},
     * {@code sync}) is not left waiting for ever: it gets a CancellationException. A listener added to that
     * future is not called, though: Netty notifies listeners on the future's loop, which has ended (Netty
     * logs an ERROR for it).
     *
     * @throws java.util.concurrent.RejectedExecutionException if this bundle already has as many tasks
     *     submitted or scheduled and not yet run as the container allows (msf.event
     *     maxPendingTasksPerBundle, 100,000 by default)
     * @throws NullPointerException if {@code task} is null (the message names it)
     * @throws IllegalArgumentException if no group has that name
     * @throws IllegalStateException if this view was released, as {@link #group}
     */
    Future<?> submit(String group, Runnable task);

    /**
     * Runs a task on the named group after a delay; cancelled if this bundle stops first.
     * Use the timer service for many or long timeouts; this suits a few short delays.
     *
     * @throws java.util.concurrent.RejectedExecutionException as {@link #submit}, past the same bound
     * @throws NullPointerException if {@code task} or {@code unit} is null (the message names it)
     * @throws IllegalArgumentException if no group has that name, or {@code delay} is negative
     * @throws IllegalStateException if this view was released, as {@link #group}
     */
    ScheduledFuture<?> schedule(String group, Runnable task, long delay, TimeUnit unit);

    /** A snapshot of every group's figures. */
    List<EventLoopStats> stats();
}
