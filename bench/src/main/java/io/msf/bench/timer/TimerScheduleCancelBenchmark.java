package io.msf.bench.timer;

import io.msf.timer.api.TimerService;
import io.msf.timer.internal.OwnerTimerService;
import io.msf.timer.internal.TaskHold;
import io.msf.timer.internal.TimerEvents;
import io.msf.timer.internal.Timers;
import io.msf.timer.internal.WheelSettings;
import io.netty.util.HashedWheelTimer;
import io.netty.util.TimerTask;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.SplittableRandom;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Schedule one timer and cancel it at once, with {@code pending} other timers waiting: the life of
 * a typical I/O timeout (armed per request, disarmed by the answer). One operation is one
 * schedule plus one cancel; each timer's own thread runs beside the benchmark thread.
 *
 * <p>Three timers, on equal terms: the msf wheel through its public {@link TimerService}, Netty's
 * {@link HashedWheelTimer} with the same tick (10 ms) and wheel size (512), and a one-thread
 * {@link ScheduledThreadPoolExecutor} with {@code removeOnCancelPolicy = true} (without it
 * cancelled tasks stay in its heap until their delay ends, so the heap grows without bound in
 * this benchmark). One difference is by design: Netty and the executor read the clock on every
 * call, while the msf wheel counts a delay from when its worker takes the timer in (at its next
 * tick), one clock read per tick; see {@code io.msf.timer.internal.TimerWheel}.
 *
 * <p>{@code delays}: {@code fixed} gives every timer the same delay (one timeout per connection,
 * so each new deadline is the latest: the heap's best case); {@code mixed} draws delays between
 * 1 s and 1 h for the waiting timers and the new ones alike.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
// AlwaysPreTouch: every contender allocates one object per operation, ~1 GB/s; until the first
// collection each TLAB lands on heap pages never touched before, and the kernel's page faults then
// cost more than the operation itself (iterations ~5x slower until the first GC, then steady).
@Fork(value = 2, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class TimerScheduleCancelBenchmark {

    private static final long TICK_MILLIS = 10;
    private static final int WHEEL_SIZE = 512;
    private static final long MAX_PENDING = 1_000_000;
    private static final long FIXED_DELAY_MILLIS = TimeUnit.MINUTES.toMillis(30);
    private static final long MIN_MIXED_DELAY_MILLIS = TimeUnit.SECONDS.toMillis(1);
    private static final long MAX_MIXED_DELAY_MILLIS = TimeUnit.HOURS.toMillis(1);
    /** Delays are drawn ahead of time so that the random generator is not measured. */
    private static final int DELAY_TABLE_SIZE = 4096;

    /** What every timer state shares: the pending count and the delays to use. */
    @State(Scope.Benchmark)
    public abstract static class Delays {
        @Param("100000")
        public int pending;

        @Param({"fixed", "mixed"})
        public String delays;

        private final long[] table = new long[DELAY_TABLE_SIZE];
        private int next;

        void drawDelays() {
            SplittableRandom random = new SplittableRandom(42);
            for (int i = 0; i < table.length; i++) {
                table[i] = delays.equals("fixed")
                        ? FIXED_DELAY_MILLIS
                        : random.nextLong(MIN_MIXED_DELAY_MILLIS, MAX_MIXED_DELAY_MILLIS);
            }
        }

        final long nextDelay() {
            return table[next++ & (DELAY_TABLE_SIZE - 1)];
        }
    }

    public static class MsfWheel extends Delays {
        Timers timers;
        TimerService service;
        final Runnable task = () -> { };

        @Setup(Level.Trial)
        public void start() {
            drawDelays();
            timers = new Timers(new WheelSettings(TICK_MILLIS, WHEEL_SIZE, MAX_PENDING), System::nanoTime, new QuietEvents());
            service = new OwnerTimerService(timers, "bench");
            for (int i = 0; i < pending; i++) {
                service.schedule(task, nextDelay(), TimeUnit.MILLISECONDS);
            }
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            timers.stop(5000);
        }
    }

    public static class NettyWheel extends Delays {
        HashedWheelTimer timer;
        final TimerTask task = timeout -> { };

        @Setup(Level.Trial)
        public void start() {
            drawDelays();
            // Unbounded (Netty's default): Netty frees a cancelled timer's place only when its
            // worker gets to it, so on a busy machine a bound fails this benchmark outright.
            timer = new HashedWheelTimer(new DefaultThreadFactory("netty-timer", true),
                    TICK_MILLIS, TimeUnit.MILLISECONDS, WHEEL_SIZE, true, -1);
            for (int i = 0; i < pending; i++) {
                timer.newTimeout(task, nextDelay(), TimeUnit.MILLISECONDS);
            }
        }

        @TearDown(Level.Trial)
        public void stop() {
            timer.stop();
        }
    }

    public static class Stpe extends Delays {
        ScheduledThreadPoolExecutor executor;
        final Runnable task = () -> { };

        @Setup(Level.Trial)
        public void start() {
            drawDelays();
            executor = new ScheduledThreadPoolExecutor(1);
            executor.setRemoveOnCancelPolicy(true);
            for (int i = 0; i < pending; i++) {
                executor.schedule(task, nextDelay(), TimeUnit.MILLISECONDS);
            }
        }

        @TearDown(Level.Trial)
        public void stop() {
            executor.shutdownNow();
        }
    }

    @Benchmark
    public boolean msfWheel(MsfWheel state) {
        return state.service.schedule(state.task, state.nextDelay(), TimeUnit.MILLISECONDS).cancel();
    }

    @Benchmark
    public boolean nettyHashedWheelTimer(NettyWheel state) {
        return state.timer.newTimeout(state.task, state.nextDelay(), TimeUnit.MILLISECONDS).cancel();
    }

    @Benchmark
    public boolean scheduledThreadPoolExecutor(Stpe state) {
        return state.executor.schedule(state.task, state.nextDelay(), TimeUnit.MILLISECONDS).cancel(false);
    }

    /** The benchmark's timers never fail; anything reported is printed. */
    static final class QuietEvents implements TimerEvents {
        @Override
        public void taskFailed(String owner, Runnable task, boolean periodicCancelled, Throwable error) {
            error.printStackTrace();
        }

        @Override
        public void workerFailed(Throwable error) {
            error.printStackTrace();
        }

        @Override
        public void taskLeftInterrupt(String owner, Runnable task) {
        }

        @Override
        public void taskHeldWorker(String owner, Runnable task, long heldNanos) {
        }

        @Override
        public void ownerClosed(String owner, long cancelledTimers) {
        }

        @Override
        public void ownerSweepLeft(String owner, TaskHold hold) {
        }

        @Override
        public void ownerSweepLate(String owner, RuntimeException cause) {
            cause.printStackTrace();
        }

        @Override
        public void reconfigured(WheelSettings settings, long pendingTimers) {
        }
    }
}
