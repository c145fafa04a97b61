package io.msf.event.internal;

/**
 * A service of this bundle that stands for the groups the per-bundle views hand out. The views
 * require it; {@link EventLoopGroups} registers it again when it swaps a group in, so SCR releases
 * every view and restarts their users, who then reach the new group. A user may have pinned a loop of
 * the old one (a channel's loop, a subscription's executor), so it cannot just be swapped under them.
 */
public final class LoopGeneration {

    private final long number;

    LoopGeneration(long number) {
        this.number = number;
    }

    @Override
    public String toString() {
        return "event-loop generation " + number;
    }
}
