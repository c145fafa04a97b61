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
 */
@ProviderType
public interface BoundEventLoopService extends EventLoopService {

    /** The service property naming the group a registration is bound to. */
    String GROUP = "msf.event.group";
}
