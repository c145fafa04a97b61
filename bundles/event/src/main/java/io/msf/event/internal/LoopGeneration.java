package io.msf.event.internal;

/**
 * A service of this bundle that stands for the groups the per-bundle views hand out. The views
 * require it; {@link EventLoopGroups} registers it again when it swaps a group in, so SCR releases
 * every view and restarts their users, who then reach the new group. A user may have pinned a loop of
 * the old one (a channel's loop, a subscription's executor), so it cannot just be swapped under them.
 *
 * <p>The views reach the groups through it, not through a reference to the {@link EventLoopGroups}
 * component: that registers its first generation while SCR is still creating it, and users already
 * waiting (the event bundle started again under them) get a view at once; a view referring to the
 * component then was refused by SCR as a circular reference, and every user failed for good.
 */
public final class LoopGeneration {

    private final long number;
    private final EventLoopGroups groups;

    LoopGeneration(long number, EventLoopGroups groups) {
        this.number = number;
        this.groups = groups;
    }

    /** The groups this generation stands for. */
    EventLoopGroups groups() {
        return groups;
    }

    @Override
    public String toString() {
        return "event-loop generation " + number;
    }
}
