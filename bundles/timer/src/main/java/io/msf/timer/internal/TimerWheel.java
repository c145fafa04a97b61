package io.msf.timer.internal;

import io.msf.timer.api.PendingTimers;
import io.msf.timer.api.Timeout;
import io.msf.timer.api.TimerClosedException;
import io.msf.timer.api.TimerInfo;
import io.msf.timer.api.TimerStats;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * A hashed timing wheel (Varghese and Lauck): {@code wheelSize} buckets, one per tick, and a timer
 * sits in the bucket of its due tick modulo the wheel size, so scheduling and cancelling cost O(1)
 * whatever the number of pending timers.
 *
 * <p>Threads: {@link TimerOwner#schedule} and {@link Timeout#cancel} may be called from any thread
 * and never lock or wait. Scheduling counts the timer in the {@link PendingCount} (no atomic
 * instruction for up to eight threads), allocates it and swaps it into an {@link InboundQueue};
 * cancelling is one CAS on the timer and a decrement of the count. Every method marked <em>worker
 * only</em> must run on a single thread at a time (the {@link TimerWorker} thread, or a test
 * driving a fake ticker); that thread alone touches the buckets, so they need no locks. It takes
 * new timers in (dropping those already cancelled, the usual fate of a timeout), fires due ones
 * and drops cancelled ones when it meets them. When cancelled entries outnumber live ones it
 * purges them all, so the buckets stay within about twice the live timers, which maxPending
 * bounds.
 *
 * <p>A timer cancelled before the worker took it in gives its place under maxPending back at once,
 * though it stays in the inbound queue until the worker gets to it: a worker that falls behind (a
 * busy machine) catches up, and keeping the place until then would refuse timers on a busy machine
 * for no want of memory. A task that blocks the worker (one that sleeps) keeps it from getting there
 * at all, though, and a caller that schedules and cancels in a loop would then grow the queue without
 * end. So once a task has run for {@link #HELD_NANOS}, far longer than a task that is merely
 * preempted waits for a core, the bound counts the cancelled timers not taken in yet as well, until
 * the task returns. What a loop queues within that first second is not bounded. While no task runs
 * the check costs a schedule one read (acquire order, a plain load on x86); the clock is read only
 * while one does.
 *
 * <p>A timer's delay counts from the moment the worker takes it in, not from {@code schedule()}:
 * at once if the worker was sleeping past its next tick (nothing pending, or nothing due for a
 * while: the call wakes it), else at its next tick. Reading the
 * clock on every call would cost about as much as all the rest of scheduling and cancelling (on a
 * virtual machine's clock, more under load), while taking timers in at each tick costs the worker
 * one clock read per tick. A timer therefore never fires before its delay has passed since the call,
 * and fires at most two ticks after that (one to be taken in, one of resolution) when the worker
 * keeps up.
 *
 * <p>Periodic timers are fixed-rate: each deadline is the previous one plus the period. A run that
 * is a whole period or more behind skips the runs whose tick has come already and keeps the
 * original grid, so a periodic timer runs at most once per tick and never in a burst.
 */
final class TimerWheel {

    /** {@link #nanosToNextTick} when nothing is pending: sleep until woken. */
    static final long IDLE = Long.MAX_VALUE;
    /** Below this many cancelled entries a purge is not worth a walk over the wheel. */
    private static final long MIN_GARBAGE_TO_PURGE = 1024;
    /**
     * A task that has run this long blocks the worker rather than runs late: from then on maxPending
     * counts the cancelled timers waiting in the inbound queue too.
     */
    static final long HELD_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** {@link #taskStartedAt} while no task runs. */
    private static final long NO_TASK = Long.MIN_VALUE;
    /** Timers taken in per turn of the worker loop, so that a flood cannot hold up the ticks. */
    private static final int MAX_TAKEN_IN_PER_ADVANCE = 65536;
    private static final VarHandle IDLE_FLAG;
    /**
     * Plain stores with release order for {@link #taskStartedAt}: the worker writes it twice per task run,
     * and a volatile store's fence there would cost every timer's firing; a schedule() reads it with acquire
     * order, which is as cheap as a plain load.
     */
    private static final VarHandle TASK_STARTED_AT;
    /** Listing order: by deadline, then by id, the order in which the wheel took them in. */
    private static final Comparator<WheelTimer> SOONEST =
            Comparator.<WheelTimer>comparingLong(t -> t.deadline).thenComparingLong(t -> t.id);

    static {
        try {
            IDLE_FLAG = MethodHandles.lookup().findVarHandle(TimerWheel.class, "idle", boolean.class);
            TASK_STARTED_AT = MethodHandles.lookup().findVarHandle(TimerWheel.class, "taskStartedAt", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final LongSupplier ticker;
    private final long origin;
    private final TimerEvents events;
    private final InboundQueue inbound = new InboundQueue();
    /** Timers scheduled and not yet cancelled or expired: what maxPending bounds. */
    private final PendingCount pending = new PendingCount();
    private final ConcurrentMap<String, OwnerStats> statsByOwner = new ConcurrentHashMap<>();
    private volatile long maxPending;
    /** The worker sleeps until woken: the next schedule() must unpark it. */
    private volatile boolean idle;
    private volatile Thread worker;
    /**
     * When the task the worker runs now started, or {@link #NO_TASK}; written by the worker only, through
     * {@link #TASK_STARTED_AT}.
     */
    @SuppressWarnings("unused") // accessed through TASK_STARTED_AT
    private long taskStartedAt = NO_TASK;
    /**
     * The owner of that task, for the refusal's message: written before {@link #taskStartedAt}, which
     * publishes it. Left set after the task: an owner holds none of its bundle's classes.
     */
    private TimerOwner taskOwner;
    /** That task, for {@link #heldBy}: published as {@link #taskOwner}, and cleared after it, as it is the bundle's. */
    private Runnable runningTask;

    // Worker thread only.
    private BucketRing ring;
    private long lastId;
    /** One-shot timers that expired since the worker last settled the shared count. */
    private long expiredSinceSettled;
    /** The last drain stopped at its limit: more timers wait in the inbound queue. */
    private boolean backlog;
    /** The last tick took no timer in: the worker may sleep through the empty ticks ahead. */
    private boolean quiet;
    /** The timer whose task ran last in this turn, until {@link #lastRunEnded} has measured it; else null. */
    private WheelTimer lastRun;
    /** When that task started. */
    private long lastRunStart;

    /**
     * @param ticker a monotonic nanosecond clock ({@code System::nanoTime}, or a fake in tests)
     */
    TimerWheel(LongSupplier ticker, WheelSettings settings, TimerEvents events) {
        this.ticker = ticker;
        this.origin = ticker.getAsLong();
        this.events = events;
        this.maxPending = settings.maxPending();
        this.ring = new BucketRing(settings.tickNanos(), settings.wheelSize(), 0);
    }

    /** A new activation of {@code name}; its figures add to those of its earlier activations. */
    TimerOwner open(String name) {
        return new TimerOwner(name, statsByOwner.computeIfAbsent(name, n -> new OwnerStats()), this);
    }

    /** Figures of every owner. */
    TimerStats stats() {
        return OwnerStats.sum(statsByOwner.values());
    }

    /** Figures by owner name. */
    Map<String, TimerStats> statsByOwner() {
        Map<String, TimerStats> figures = new TreeMap<>();
        statsByOwner.forEach((name, stats) -> figures.put(name, stats.snapshot()));
        return figures;
    }

    Timeout schedule(TimerOwner owner, Runnable task, long delayNanos, long periodNanos) {
        if (owner.isClosed()) {
            throw new TimerClosedException(owner.name);
        }
        long bound = maxPending;
        long taskStart = (long) TASK_STARTED_AT.getAcquire(this);
        boolean held = taskStart != NO_TASK && now() - taskStart >= HELD_NANOS;
        if (!pending.tryAdd(bound, held)) {
            throw held ? refusedWhileHeld(owner, bound, taskStart) : refused(owner, bound);
        }
        WheelTimer timer = new WheelTimer(owner, task, delayNanos, periodNanos);
        inbound.offer(timer);
        if (idle && IDLE_FLAG.compareAndSet(this, true, false)) {
            LockSupport.unpark(worker);
        }
        return timer;
    }

    private static IllegalStateException refused(TimerOwner owner, long bound) {
        return new IllegalStateException("Cannot schedule a timer for " + owner.name + ": " + bound
                + " timers are pending already, the maxPending limit of msf.timer (timer:stats shows which"
                + " bundles hold them)");
    }

    private IllegalStateException refusedWhileHeld(TimerOwner owner, long bound, long taskStart) {
        return new IllegalStateException("Cannot schedule a timer for " + owner.name + ": a task of " + taskOwner
                + " has held the timer thread " + TimerWorker.THREAD_NAME + " for "
                + TimeUnit.NANOSECONDS.toMillis(now() - taskStart) + " ms, and " + bound + " timers are pending or"
                + " cancelled but not yet taken in by that thread, the maxPending limit of msf.timer (until the task"
                + " returns, cancelled timers keep their place: they wait in memory for the thread)");
    }

    /** Timers scheduled and not yet cancelled or expired, wheel-wide. */
    long pendingCount() {
        return Math.max(0, pending.sum());
    }

    /** Stripes of the pending count free for the next thread to claim (see {@link PendingCount}). */
    int freeCountStripes() {
        return pending.freeStripes();
    }

    /** Worker only: entries in the buckets, cancelled ones not yet dropped included. */
    long entries() {
        return ring.entries;
    }

    void released(long timers) {
        pending.subtract(timers);
    }

    /** A timer not taken in yet was cancelled: its place is free, but it waits in the inbound queue. */
    void cancelledHandedOver() {
        pending.cancelledBeforeTakenIn();
    }

    /** Names the thread that {@link #schedule} wakes when the wheel is idle. */
    void bindWorker(Thread thread) {
        worker = thread;
    }

    /** Worker only: takes new timers in, runs every tick whose time has come, purges if due. */
    void advance() {
        lastRun = null; // one left by a turn that failed: the time since then is not its task's
        long target = now() / ring.tickNanos;
        quiet = drainInbound() == 0; // only a tick's own drain: jobs that drain do not count
        if (ring.entries == 0) {
            ring.currentTick = Math.max(ring.currentTick, target); // nothing to fire in between
        }
        if (target - ring.currentTick > ring.size()) {
            // Far behind (a long pause): one turn visits every bucket, and a bucket fires all
            // entries due up to its tick, so the skipped turns lose nothing.
            ring.currentTick = target - ring.size();
        }
        while (ring.currentTick < target) {
            long tick = ++ring.currentTick;
            expire(ring.bucketOf(tick), tick);
        }
        if (lastRun != null) {
            lastRunEnded(now());
        }
        if (expiredSinceSettled != 0) {
            released(expiredSinceSettled); // once per turn: one stripe look-up, not one per timer
            expiredSinceSettled = 0;
        }
        pending.retireEnded();
        long entries = ring.entries;
        if (entries - pending.sum() > Math.max(MIN_GARBAGE_TO_PURGE, entries / 2)) {
            ring.retain(TimerWheel::isWanted);
        }
    }

    /** Worker only: how long until the next tick is due, or {@link #IDLE}. */
    long nanosToNextTick() {
        if (backlog) {
            return 0;
        }
        if (ring.entries == 0 && inbound.isEmpty()) {
            return IDLE;
        }
        return (ring.currentTick + 1) * ring.tickNanos - now();
    }

    /**
     * Worker only: how long until the first tick whose bucket holds an entry (at most one turn or
     * {@link BucketRing#MAX_LOOK_AHEAD} ticks: a timer a turn or more away, or a cancelled one still
     * in its bucket, ends the sleep early), if the worker may sleep that long; else
     * {@link #nanosToNextTick}. It may once a tick passed with no timer arriving: timers are then
     * few and far between, and the one that comes next wakes the worker (declared
     * {@link #goIdle idle} for the sleep) rather than wait for a tick to be taken in. While timers
     * keep arriving, the worker ticks and nobody has to wake it.
     *
     * @param nanosToNextTick what {@link #nanosToNextTick} returned just now: counted on from it,
     *     without reading the clock again
     */
    long nanosToNextTimer(long nanosToNextTick) {
        if (!quiet || nanosToNextTick == IDLE || nanosToNextTick <= 0) {
            return nanosToNextTick;
        }
        long nextTick = ring.currentTick + 1;
        return nanosToNextTick + (ring.nextOccupiedTick(nextTick) - nextTick) * ring.tickNanos;
    }

    /**
     * Worker only: declares the worker idle, so that the next {@link #schedule} wakes it.
     *
     * @return false if a timer arrived meanwhile and the worker must not sleep
     */
    boolean goIdle() {
        idle = true;
        if (inbound.isEmpty()) {
            return true;
        }
        idle = false;
        return false;
    }

    /** Worker only. */
    void leaveIdle() {
        idle = false;
    }

    /**
     * Worker only; safe from inside a task. Cancels every pending timer of {@code owner}, which
     * must be closed already (so that none can be added meanwhile).
     *
     * @return how many timers of this owner the worker has cancelled because it was closed
     */
    long sweep(TimerOwner owner) {
        drainAll();
        ring.forEach(timer -> {
            if (timer.owner == owner) {
                cancelIfOwnerClosed(timer);
            }
        });
        return owner.cancelledOnClose;
    }

    /** Worker only; safe from inside a task. The pending timers of every owner, soonest first. */
    List<TimerInfo> snapshot() {
        drainAll();
        List<WheelTimer> live = new ArrayList<>();
        ring.forEach(timer -> {
            if (timer.isPending() && !timer.owner.isClosed()) {
                live.add(timer);
            }
        });
        live.sort(SOONEST);
        return infos(live);
    }

    /**
     * Worker only; safe from inside a task. The soonest {@code limit} pending timers of {@code owner}
     * (every owner if null) and how many match. One walk over the buckets keeps the soonest in a heap of
     * at most {@code limit}, latest on top, so a listing of 100 among a million timers neither sorts nor
     * describes (the task's {@code toString()}, which may cost anything) the million while no timer runs.
     */
    PendingTimers soonest(String owner, int limit) {
        drainAll();
        PriorityQueue<WheelTimer> kept = new PriorityQueue<>(Math.min(limit, 1024), SOONEST.reversed());
        long[] matching = {0};
        ring.forEach(timer -> {
            if (timer.isPending() && !timer.owner.isClosed() && (owner == null || owner.equals(timer.owner.name))) {
                matching[0]++;
                if (kept.size() < limit) {
                    kept.add(timer);
                } else if (SOONEST.compare(timer, kept.peek()) < 0) {
                    kept.poll();
                    kept.add(timer);
                }
            }
        });
        List<WheelTimer> soonest = new ArrayList<>(kept);
        soonest.sort(SOONEST);
        return new PendingTimers(infos(soonest), matching[0]);
    }

    private List<TimerInfo> infos(List<WheelTimer> timers) {
        long now = now();
        List<TimerInfo> infos = new ArrayList<>(timers.size());
        for (WheelTimer timer : timers) {
            infos.add(new TimerInfo(timer.id, timer.owner.name,
                    Math.floorDiv(timer.deadline - now, TimeUnit.MILLISECONDS.toNanos(1)),
                    periodMillis(timer.periodNanos), describe(timer.task)));
        }
        return infos;
    }

    /**
     * Worker only, not from inside a task. Applies new settings; a new tick or wheel size
     * rebuilds the buckets and carries every pending timer over (their deadlines are absolute).
     */
    void reconfigure(WheelSettings settings) {
        maxPending = settings.maxPending();
        if (settings.tickNanos() != ring.tickNanos || settings.wheelSize() != ring.size()) {
            drainAll();
            ring = ring.rebuilt(settings.tickNanos(), settings.wheelSize(), TimerWheel::isWanted);
        }
    }

    /**
     * Takes in every timer handed over before this call, and none handed over after it. A listing, a sweep or a
     * rebuild must see every timer scheduled before it was asked for, not more: taking in until the queue is empty,
     * threads that schedule (and cancel) faster than this thread takes timers in would keep it here for as long as
     * they do, no timer firing meanwhile, while a tick takes in a bounded number at a time for that reason. So a
     * mark goes into the queue first, behind every timer handed over so far, and the take-in ends at it.
     */
    private void drainAll() {
        WheelTimer mark = WheelTimer.mark();
        inbound.offer(mark);
        long now = now();
        int cancelled = 0;
        try {
            for (WheelTimer timer; (timer = inbound.poll()) != mark; ) {
                if (timer == null) {
                    // A timer handed over before the mark is still being linked, by a thread maybe preempted
                    // between its two steps: let it run.
                    Thread.yield();
                } else if (!timer.isMark() && !takeIn(timer, now)) {
                    cancelled++;
                }
            }
        } finally {
            settleTakenInCancelled(cancelled);
        }
    }

    /** Takes in what the inbound queue holds, up to a limit; returns how many timers it took. */
    private int drainInbound() {
        int taken = 0;
        int cancelled = 0;
        WheelTimer timer = null;
        long now = now();
        while (taken < MAX_TAKEN_IN_PER_ADVANCE && (timer = inbound.poll()) != null) {
            if (timer.isMark()) {
                continue; // left by a drainAll that failed half-way
            }
            taken++;
            if (!takeIn(timer, now)) {
                cancelled++;
            }
        }
        settleTakenInCancelled(cancelled);
        backlog = timer != null;
        return taken;
    }

    /** Takes a handed-over timer into the wheel; false if it was cancelled first (or its owner closed), and dropped. */
    private boolean takeIn(WheelTimer timer, long now) {
        timer.deadline = saturatedAdd(now, timer.deadline); // it held the delay until now
        OwnerStats stats = timer.owner.stats;
        stats.handedOver();
        cancelIfOwnerClosed(timer);
        if (timer.enterWheel()) {
            timer.id = ++lastId;
            ring.link(timer);
            return true;
        }
        stats.cancelledHandedOver(); // cancelled before it got here: the usual fate of a timeout
        return false;
    }

    private void settleTakenInCancelled(int cancelled) {
        if (cancelled != 0) {
            pending.takenInCancelled(cancelled);
        }
    }

    private void expire(Bucket bucket, long tick) {
        WheelTimer previous = null;
        WheelTimer timer = bucket.head;
        while (timer != null) {
            boolean wanted = isWanted(timer);
            if (wanted && timer.dueTick > tick) {
                previous = timer; // a later turn
                timer = timer.nextInBucket;
                continue;
            }
            ring.unlink(bucket, previous, timer); // fired or garbage: out before the task can run
            if (wanted) {
                fire(timer);
            }
            timer = bucket.after(previous);
        }
    }

    private void fire(WheelTimer timer) {
        long now = now();
        if (lastRun != null) {
            lastRunEnded(now);
        }
        // Looked at again, as late as can be: expire() found the timer wanted, but a cancel on another thread (a
        // component's deactivate) or the close of its owner (its bundle stopping) may have landed since, while the
        // task before it was told of, say. Timeout.cancel() promises that no later run starts, and a periodic timer
        // has no claim of its own to fail as a one-shot timer's expire() does. Unlinked already: nothing to drop.
        if (!isWanted(timer)) {
            return;
        }
        long tickNanos = ring.tickNanos;
        // Late is measured from the tick the timer was due at, not from its deadline: that tick may
        // come almost a tick after the deadline, and a run at it is as early as the wheel can be.
        boolean late = now - timer.dueTick * tickNanos > tickNanos;
        if (timer.isPeriodic()) {
            // A deadline the clock passed within the current tick is due at the next tick, not
            // missed: measured from now, a period of one tick would run only every other tick.
            timer.deadline = nextDeadline(timer.deadline, timer.periodNanos, now - now % tickNanos);
            ring.link(timer); // before the run, so that the task may cancel or list it like any timer
        } else if (timer.expire()) {
            timer.owner.stats.expired();
            expiredSinceSettled++;
        } else {
            return; // cancelled a moment ago
        }
        OwnerStats stats = timer.owner.stats;
        stats.ran(late);
        Throwable failure = run(timer, now);
        if (failure != null) {
            stats.failed();
            reportFailure(timer, failure);
        }
    }

    /**
     * Runs the timer's task, marked as holding the worker since {@code now}; what it threw, or null. An interrupt
     * flag the task leaves set (it interrupted its own thread, or was a {@code FutureTask} cancelled with
     * {@code cancel(true)} as it ran) is cleared: left set, it would fail the next task that waits with an
     * InterruptedException it did not cause, and make every park of the worker return at once.
     */
    private Throwable run(WheelTimer timer, long now) {
        taskOwner = timer.owner;
        runningTask = timer.task;
        TASK_STARTED_AT.setRelease(this, now);
        try {
            timer.task.run();
            return null;
        } catch (Throwable e) { // a task's failure must never stop the wheel
            return e;
        } finally {
            TASK_STARTED_AT.setRelease(this, NO_TASK);
            runningTask = null;
            // Its end is measured at the next clock read the worker makes anyway (see lastRunEnded), not here:
            // a read per task would cost every timer's firing.
            lastRun = timer;
            lastRunStart = now;
            if (Thread.interrupted()) {
                reportInterrupt(timer);
            }
        }
    }

    /**
     * Any thread: the task that runs now if it has held the worker for {@code atLeastNanos} or more, else null.
     * Named by its class: its {@code toString()} is the task's own code and runs on the worker only.
     */
    TaskHold heldBy(long atLeastNanos) {
        long taskStart = (long) TASK_STARTED_AT.getAcquire(this);
        if (taskStart == NO_TASK) {
            return null;
        }
        long held = now() - taskStart;
        Runnable task = runningTask;
        TimerOwner owner = taskOwner;
        if (held < atLeastNanos || task == null) { // null: it has just returned
            return null;
        }
        return new TaskHold(owner.name, task.getClass().getName(), held);
    }

    /**
     * Tells of the task that ran last, once per owner, if it held the worker for {@link #HELD_NANOS} or more:
     * the timers due meanwhile ran late, and the operator should know which bundle's task made them.
     *
     * @param now a clock read after the task returned
     */
    private void lastRunEnded(long now) {
        WheelTimer ran = lastRun;
        lastRun = null;
        long held = now - lastRunStart;
        if (held < HELD_NANOS || ran.owner.holdReported) {
            return;
        }
        ran.owner.holdReported = true;
        try {
            events.taskHeldWorker(ran.owner.name, ran.task, held);
        } catch (Throwable reportFailed) {
            reportQuietly(reportFailed);
        }
    }

    /** Tells, once per owner, of a task that left the worker's interrupt flag set. */
    private void reportInterrupt(WheelTimer timer) {
        if (timer.owner.interruptReported) {
            return;
        }
        timer.owner.interruptReported = true;
        try {
            events.taskLeftInterrupt(timer.owner.name, timer.task);
        } catch (Throwable reportFailed) {
            reportQuietly(reportFailed);
        }
    }

    /**
     * Tells of a task that threw, cancelling it if periodic. The report reads the task's {@code toString()}
     * and the error's message, which may throw as well: let out, that would end the walk of the bucket, and
     * the timers after this one in it would fire a turn late.
     */
    private void reportFailure(WheelTimer timer, Throwable error) {
        boolean periodicCancelled = timer.isPeriodic() && timer.cancel();
        try {
            events.taskFailed(timer.owner.name, timer.task, periodicCancelled, error);
        } catch (Throwable reportFailed) {
            reportQuietly(reportFailed);
        }
    }

    /** Tells of a report on a task that threw itself: let out, it would end the walk of the bucket too. */
    private void reportQuietly(Throwable reportFailed) {
        try {
            events.workerFailed(reportFailed);
        } catch (Throwable ignored) {
            // that report's error threw as well: nothing sound left to tell it with, and the walk goes on
        }
    }

    /** False if the timer is cancelled; cancels it first if its owner has been closed. */
    private static boolean isWanted(WheelTimer timer) {
        cancelIfOwnerClosed(timer);
        return timer.isPending();
    }

    private static void cancelIfOwnerClosed(WheelTimer timer) {
        if (timer.owner.isClosed() && timer.cancel()) {
            timer.owner.cancelledOnClose++;
        }
    }

    private long now() {
        return ticker.getAsLong() - origin;
    }

    /**
     * The deadline after {@code deadline} on its fixed-rate grid, skipping those at or before
     * {@code tickStart}, the start of the tick in progress: their tick has come already.
     */
    static long nextDeadline(long deadline, long period, long tickStart) {
        long next = saturatedAdd(deadline, period);
        if (next > tickStart) {
            return next;
        }
        long missed = (tickStart - deadline) / period;
        return deadline + (missed + 1) * period;
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < a ? Long.MAX_VALUE : sum; // both are never negative
    }

    /** Rounded up: a period under a millisecond is 1, never the 0 that means a one-shot timer. */
    private static long periodMillis(long periodNanos) {
        long millis = TimeUnit.NANOSECONDS.toMillis(periodNanos);
        return millis == 0 && periodNanos > 0 ? 1 : millis;
    }

    /** The task's {@code toString()}, or its class and why not if that throws. */
    static String describe(Runnable task) {
        try {
            return String.valueOf(task);
        } catch (RuntimeException | StackOverflowError e) {
            // a toString() that names the task through itself overflows the stack: one task, not the listing
            return task.getClass().getName() + " (toString() threw " + e + ")";
        }
    }
}
