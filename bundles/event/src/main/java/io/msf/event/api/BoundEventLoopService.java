package io.msf.event.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The event-loop service bound to one group, for a component that uses that group only: a change of
 * another group's thread count leaves it running, where every user of {@link EventLoopService}
 * restarts on a change of either group (it may hold loops of both). Registered once per group, with
 * the group's name in the service property {@value #GROUP}; reference it with a target:
 *
 * <pre>
 * &#64;Reference(target = "(" + BoundEventLoopService.GROUP + "=" + EventLoopService.IO_GROUP + ")")
 * BoundEventLoopService loops
 * </pre>
 *
 * <p>It is an {@link EventLoopService} in all but this: {@link #group}, {@link #submit} and
 * {@link #schedule} refuse any group but its own with an {@link IllegalArgumentException}, and
 * {@link #groupNames} holds its group alone. Its users restart, as those of {@link EventLoopService}
 * do, when its group is replaced (its thread count or the transport changes). Bundle scoped, like
 * {@link EventLoopService}.
 *
 * <p>A user that restarts on a swap of another group (it also holds the {@link EventLoopService} or a
 * view of that group) releases this view with the swap, and its tasks fare as those of its other view:
 * those queued run, those scheduled and not yet due are cancelled. Released by its bundle otherwise, its
 * pending tasks are cancelled, as ever.
 *
 * <p>The view is its bundle's, not a component's: the framework hands every component of the bundle the
 * same one and releases it only when the last of them lets go, and the tasks it tracks are the bundle's.
 * So when another component of the same bundle holds this view too and keeps running through the swap,
 * the view is not released: the tasks the restarting user scheduled through it and that are not yet due
 * are not cancelled, and run when due, on the instance that stopped, beside those its restart schedules
 * again. A component that can share its bundle's view with another should cancel the futures it holds
 * in its own deactivate method (the container cannot tell its tasks from the other's), or take the
 * {@link EventLoopService} alone, whose tasks on a kept group are cancelled with its restart.
 */
@ProviderType
public interface BoundEventLoopService extends EventLoopService {

    /** The service property naming the group a registration is bound to. */
    String GROUP = "msf.event.group";
}
