package io.msf.event.internal;

/**
 * A service of this bundle that stands for one group the per-bundle views hand out, registered once
 * per group with the group's name in {@link io.msf.event.api.BoundEventLoopService#GROUP}. A view
 * requires the generation of each group it gives; {@link EventLoopGroups} registers a group's again
 * when it swaps that group in, so SCR releases the views that give it and restarts their users, who
 * then reach the new group, while the views bound to another group and their users keep running. A
 * user may have pinned a loop of the old group (a channel's loop, a subscription's executor), so it
 * cannot just be swapped under them.
 *
 * <p>The views reach the groups through it, not through a reference to the {@link EventLoopGroups}
 * component: that registers its first generation while SCR is still creating it, and users already
 * waiting (the event bundle started again under them) get a view at once; a view referring to the
 * component then was refused by SCR as a circular reference, and every user failed for good.
 */
public final class LoopGeneration {

    private final long number;
    private final String group;
    private final EventLoopGroups groups;

    LoopGeneration(long number, String group, EventLoopGroups groups) {
        this.number = number;
        this.group = group;
        this.groups = groups;
    }

    /** The groups this generation stands for. */
    EventLoopGroups groups() {
        return groups;
    }

    /** The bundles' accounts, which the views reach through this rather than by a reference of their own. */
    BundleAccounts accounts() {
        return groups.accounts();
    }

    @Override
    public String toString() {
        return "event-loop generation " + number + " of group '" + group + "'";
    }
}
