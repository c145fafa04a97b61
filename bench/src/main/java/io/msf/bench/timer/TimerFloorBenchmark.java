package io.msf.bench.timer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The least a schedule + cancel can cost while it keeps {@code TimerService}'s contract, beside the
 * executor the timer's "5x" target is measured against, in the same run. Not a timer: each method
 * does only steps no timer with that contract can leave out, on an object laid out like the msf
 * wheel's entry (64 bytes), so its score bounds from above what a design doing those steps can reach
 * on this machine.
 *
 * <ul>
 *   <li>{@code handleOnly}: the handle {@code schedule()} returns. The caller holds it and may cancel
 *       through it at any later time, so it cannot be a recycled object (a late cancel would hit
 *       another timer) nor live on the stack.
 *   <li>{@code handleAndCas}: plus the cancel's compare-and-set. Cancelling races the timer thread
 *       firing the timer, and {@code cancel()} must say which won: two threads agreeing on that need
 *       an atomic read-modify-write (or a full fence), whatever the structure.
 *   <li>{@code handleSwapAndCas}: plus handing the handle over with one atomic swap, as a
 *       multi-producer queue does. A queue per scheduling thread could store without the swap, but
 *       then a timer thread asleep while nothing is due must be woken, and the store to the queue
 *       and the read of "is it asleep" need a full fence between them: the same cost again.
 *   <li>{@code handleQueuedAndCas}: the same, with a thread of its own taking the handles in at
 *       every 10 ms tick, as the msf wheel's worker does (Netty's too): what sharing every handle
 *       with a second core adds. The handles are garbage once taken in, as a cancelled timer is.
 *   <li>{@code handleLinkedAndCas}: no hand-over: the scheduling thread pushes the handle straight
 *       onto its bucket of a 512-bucket wheel (one CAS, the tick read from the timer thread), and the
 *       cancel counts itself for that thread. A cancelled handle stays linked in its bucket until the
 *       timer thread reclaims it, as it must (or the wheel grows without end): here, at a tick,
 *       once 65536 handles have been cancelled since the last sweep, by walking every bucket. What a
 *       design in which the timer thread never takes timers in can reach.
 * </ul>
 *
 * <p>The executor to compare with is {@link TimerScheduleCancelBenchmark}'s: run both classes in one
 * command (bench/README.md), {@code -p delays=fixed}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
// As in TimerScheduleCancelBenchmark: every method allocates; a pre-touched heap keeps page faults out.
@Fork(value = 2, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class TimerFloorBenchmark {

    private static final long DELAY_MILLIS = TimeUnit.MINUTES.toMillis(30);
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final int NEW = 0;
    private static final int CANCELLED = 2;
    private static final VarHandle STATE;
    private static final VarHandle SWAPPED_TAIL;
    private static final VarHandle QUEUE_TAIL;
    private static final VarHandle BUCKET = MethodHandles.arrayElementVarHandle(Handle[].class);
    private static final VarHandle CANCELS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(Handle.class, "state", int.class);
            SWAPPED_TAIL = lookup.findVarHandle(Handles.class, "tail", Handle.class);
            QUEUE_TAIL = lookup.findVarHandle(DrainedQueue.class, "tail", Handle.class);
            CANCELS = lookup.findVarHandle(LinkedWheel.class, "cancels", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Laid out like the msf wheel's entry: 12-byte header, 4 references, 4 longs, 1 int = 64 bytes. */
    static final class Handle {
        final Object owner;
        final Runnable task;
        final long periodNanos;
        long deadline;
        volatile int state;
        volatile Handle next;
        long id;
        long dueTick;
        Handle nextInBucket;

        Handle(Object owner, Runnable task, long delayNanos) {
            this.owner = owner;
            this.task = task;
            this.deadline = delayNanos;
            this.periodNanos = 0;
        }
    }

    /** Where the handles go when nothing takes them in: fields the JIT cannot prove unread keep each allocation real. */
    @State(Scope.Thread)
    public static class Handles {
        final Object owner = new Object();
        final Runnable task = () -> { };
        volatile Handle tail = new Handle(null, null, 0);
        Handle last;
    }

    /** A linked multi-producer queue (Vyukov's) and the thread that takes its handles in, tick by tick. */
    @State(Scope.Thread)
    public static class DrainedQueue {
        final Object owner = new Object();
        final Runnable task = () -> { };
        final Handle stub = new Handle(null, null, 0);
        volatile Handle tail = stub;
        volatile boolean running = true;
        Thread drainer;

        @Setup(Level.Trial)
        public void start() {
            drainer = new Thread(this::takeInEveryTick, "floor-drainer");
            drainer.setDaemon(true);
            drainer.start();
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            running = false;
            drainer.join();
        }

        void offer(Handle handle) {
            Handle previous = (Handle) QUEUE_TAIL.getAndSet(this, handle);
            previous.next = handle;
        }

        private void takeInEveryTick() {
            // The head is the drainer's own local: as a field beside the tail, every producer's swap
            // would miss on the line the drainer just wrote (~2.6x slower when measured so).
            Handle head = stub;
            while (running) {
                long now = System.nanoTime();
                Handle end = tail; // what arrived by this tick; later ones wait for the next
                Handle next;
                while (head != end && (next = head.next) != null) {
                    head.next = null; // keeps the garbage from linking to newer handles
                    head = next;
                    next.deadline += now;
                }
                LockSupport.parkNanos(TICK_NANOS - (System.nanoTime() - now));
            }
        }
    }

    /**
     * Buckets the scheduling thread links handles into, and the timer thread that sweeps the cancelled
     * ones out. One scheduling thread (the benchmark's), so its cancel count is a plain field it alone
     * writes (release order), as a striped count's own stripe is.
     */
    @State(Scope.Thread)
    public static class LinkedWheel {
        static final int WHEEL_SIZE = 512;
        static final long SWEEP_AFTER = 65536;
        static final long DELAY_TICKS = TimeUnit.MILLISECONDS.toNanos(DELAY_MILLIS) / TICK_NANOS;
        final Object owner = new Object();
        final Runnable task = () -> { };
        final Handle[] buckets = new Handle[WHEEL_SIZE];
        /** The timer thread's own lists: what a sweep kept of each bucket. */
        final Handle[] resident = new Handle[WHEEL_SIZE];
        volatile long tick;
        @SuppressWarnings("unused") // written through CANCELS
        long cancels;
        volatile boolean running = true;
        /** Handles linked after their bucket's tick had begun: a real wheel would hand them over. */
        long overdue;
        Thread sweeper;

        @Setup(Level.Trial)
        public void start() {
            sweeper = new Thread(this::sweepEveryTick, "floor-sweeper");
            sweeper.setDaemon(true);
            sweeper.start();
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            running = false;
            sweeper.join();
        }

        void link(Handle handle) {
            long due = tick + DELAY_TICKS;
            handle.dueTick = due;
            int index = (int) (due & (WHEEL_SIZE - 1));
            Handle head;
            do {
                head = (Handle) BUCKET.getVolatile(buckets, index);
                handle.nextInBucket = head;
            } while (!BUCKET.compareAndSet(buckets, index, head, handle));
            if (tick >= due) { // its bucket may have been walked already: never so here (30 minutes)
                overdue++;
            }
        }

        void countCancel() {
            CANCELS.setRelease(this, (long) CANCELS.getOpaque(this) + 1);
        }

        private void sweepEveryTick() {
            long swept = 0;
            while (running) {
                long now = System.nanoTime();
                tick = tick + 1;
                long cancelled = (long) CANCELS.getAcquire(this);
                if (cancelled - swept >= SWEEP_AFTER) {
                    swept = cancelled;
                    for (int i = 0; i < WHEEL_SIZE; i++) {
                        // What the bucket holds now; handles pushed meanwhile wait for the next sweep.
                        Handle kept = keepLive(resident[i], null);
                        resident[i] = keepLive((Handle) BUCKET.getAndSet(buckets, i, (Handle) null), kept);
                    }
                }
                LockSupport.parkNanos(TICK_NANOS - (System.nanoTime() - now));
            }
        }

        /**
         * The handles of {@code list} not cancelled, put before {@code kept}. The cancelled ones are only
         * read: swept within a tick or two of their cancel, they all die young together, so their links
         * to each other keep nothing alive for long.
         */
        private static Handle keepLive(Handle list, Handle kept) {
            Handle h = list;
            while (h != null) {
                Handle next = h.nextInBucket;
                if (h.state != CANCELLED) {
                    h.nextInBucket = kept;
                    kept = h;
                }
                h = next;
            }
            return kept;
        }
    }

    @Benchmark
    public boolean handleOnly(Handles handles) {
        Handle handle = new Handle(handles.owner, handles.task, DELAY_MILLIS);
        handles.last = handle;
        return handle.state == NEW;
    }

    @Benchmark
    public boolean handleAndCas(Handles handles) {
        Handle handle = new Handle(handles.owner, handles.task, DELAY_MILLIS);
        handles.last = handle;
        return STATE.compareAndSet(handle, NEW, CANCELLED);
    }

    @Benchmark
    public boolean handleSwapAndCas(Handles handles) {
        Handle handle = new Handle(handles.owner, handles.task, DELAY_MILLIS);
        SWAPPED_TAIL.getAndSet(handles, handle); // the previous one becomes garbage: nothing takes it in
        return STATE.compareAndSet(handle, NEW, CANCELLED);
    }

    @Benchmark
    public boolean handleQueuedAndCas(DrainedQueue queue) {
        Handle handle = new Handle(queue.owner, queue.task, DELAY_MILLIS);
        queue.offer(handle);
        return STATE.compareAndSet(handle, NEW, CANCELLED);
    }

    @Benchmark
    public boolean handleLinkedAndCas(LinkedWheel wheel) {
        Handle handle = new Handle(wheel.owner, wheel.task, DELAY_MILLIS);
        wheel.link(handle);
        boolean cancelled = STATE.compareAndSet(handle, NEW, CANCELLED);
        if (cancelled) {
            wheel.countCancel();
        }
        return cancelled;
    }
}
