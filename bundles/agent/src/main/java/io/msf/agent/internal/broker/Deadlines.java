package io.msf.agent.internal.broker;

import io.netty.util.concurrent.AbstractScheduledEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.concurrent.Ticker;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The deadlines of one connection's outstanding requests, kept and checked on its event loop.
 *
 * <p>Requests with the same timeout run out in the order they were made. So the requests of each
 * timeout are linked in that order (a {@link Lane}, through fields of {@link PendingRequest}: adding
 * and removing one is a few field writes) and each lane has one check scheduled on the loop, due
 * when its oldest request runs out. A check that finds its oldest request answered (the usual case)
 * moves on to the next oldest; a lane found empty by its check, or emptied while another timeout is
 * in use, is dropped with its check, and a connection that leaves drops all of them. This replaces a timer-service timeout per request,
 * scheduled on the requester's loop, cancelled on the responder's, and ticking on a thread of its
 * own while any was pending (bench/RESULTS.md, 2026-11-29 15:52). Connections use one or a few
 * timeouts; one whose requests each name another (an uplink forwarding what is left of its callers'
 * timeouts) gets one lane per distinct value, each checked once per request it held at most.
 *
 * <p>Time is the loop's ticker, so a test's loop with a mock ticker drives the checks. On a loop
 * with the system ticker, deadlines count from the request's {@link PendingRequest#startNanos}
 * instead of a second read of the clock: on a virtual machine a read costs some 40 ns, a request's
 * whole routing a few hundred.
 */
final class Deadlines {

    private final EventExecutor loop;
    private final Ticker ticker;
    /** Whether the ticker is the system clock, in which case System.nanoTime() is read directly. */
    private final boolean systemClock;
    private final Consumer<PendingRequest> expired;
    private final Map<Long, Lane> lanes = new HashMap<>();
    /** The lane used last: a connection mostly uses one timeout, so this saves the map's lookup. */
    private Lane recent;

    /** @param expired told about each request whose deadline passed, after it left its lane */
    Deadlines(EventExecutor loop, Consumer<PendingRequest> expired) {
        this.loop = loop;
        this.ticker = loop instanceof AbstractScheduledEventExecutor
                ? ((AbstractScheduledEventExecutor) loop).ticker() : Ticker.systemTicker();
        this.systemClock = ticker == Ticker.systemTicker();
        this.expired = expired;
    }

    /** Times {@code pending}: it expires {@code delayNanos} from now unless {@link #remove}d first. */
    void add(PendingRequest pending, long delayNanos) {
        Lane lane = recent;
        if (lane == null || lane.delayNanos != delayNanos) {
            lane = lanes.computeIfAbsent(delayNanos, Lane::new);
            Lane previous = recent;
            recent = lane;
            if (previous != null) {
                dropIfIdle(previous);
            }
        }
        lane.append(pending, (systemClock ? pending.startNanos : ticker.nanoTime()) + delayNanos);
    }

    /** The clock deadlines are counted on: System.nanoTime() itself, or the loop's (mock) ticker. */
    private long now() {
        return systemClock ? System.nanoTime() : ticker.nanoTime();
    }

    /** Stops timing {@code pending}; nothing if it is not timed here. */
    void remove(PendingRequest pending) {
        Lane lane = pending.lane;
        if (lane != null) {
            lane.unlink(pending);
            dropIfIdle(lane);
        }
    }

    /** Drops every lane and its check: the connection left, its requests are settled. */
    void clear() {
        lanes.values().forEach(Lane::cancelCheck);
        lanes.clear();
        recent = null;
    }

    /**
     * Drops a lane left empty, with its check, unless it is the one in use: what is kept grows with
     * the requests outstanding and the timeouts in use, not with every timeout ever seen (requests
     * that each name another timeout, answered at once, would otherwise leave a lane and a scheduled
     * check each until its timeout).
     */
    private void dropIfIdle(Lane lane) {
        if (lane.oldest == null && lane != recent) {
            lane.cancelCheck();
            lanes.remove(lane.delayNanos);
        }
    }

    /** Lanes with a check scheduled: for tests. */
    int lanes() {
        return lanes.size();
    }

    /** The requests of one timeout, oldest first, and the check due when the oldest runs out. */
    final class Lane implements Runnable {

        final long delayNanos;
        private PendingRequest oldest;
        private PendingRequest newest;
        private ScheduledFuture<?> check;

        Lane(long delayNanos) {
            this.delayNanos = delayNanos;
        }

        void append(PendingRequest pending, long deadlineNanos) {
            pending.deadlineNanos = deadlineNanos;
            pending.lane = this;
            pending.older = newest;
            if (newest == null) {
                oldest = pending;
            } else {
                newest.newer = pending;
            }
            newest = pending;
            if (check == null) {
                // Any check already scheduled is due no later than this request's deadline: it is the newest.
                schedule(deadlineNanos);
            }
        }

        void unlink(PendingRequest pending) {
            if (pending.older == null) {
                oldest = pending.newer;
            } else {
                pending.older.newer = pending.newer;
            }
            if (pending.newer == null) {
                newest = pending.older;
            } else {
                pending.newer.older = pending.older;
            }
            pending.lane = null;
            pending.older = null;
            pending.newer = null;
        }

        /** The check: expires what has run out, then waits for the next oldest, or drops the lane. */
        @Override
        public void run() {
            check = null;
            long now = now();
            List<PendingRequest> due = new ArrayList<>(0);
            while (oldest != null && oldest.deadlineNanos - now <= 0) {
                PendingRequest request = oldest;
                unlink(request);
                due.add(request);
            }
            if (oldest != null) {
                schedule(oldest.deadlineNanos);
            } else {
                lanes.remove(delayNanos);
                if (recent == this) {
                    recent = null;
                }
            }
            // Told last: settling a request may add or remove others of this lane.
            due.forEach(expired);
        }

        void cancelCheck() {
            if (check != null) {
                check.cancel(false);
                check = null;
            }
        }

        private void schedule(long deadlineNanos) {
            check = loop.schedule(this, Math.max(0, deadlineNanos - now()), TimeUnit.NANOSECONDS);
        }
    }
}
