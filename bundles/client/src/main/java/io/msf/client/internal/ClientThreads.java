package io.msf.client.internal;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.util.concurrent.Executor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client's threads: one NIO event loop for its connection (one connection needs no more, and a
 * process may hold several clients) and, unless the application gave an executor, one thread for
 * its callbacks. Both are daemon threads named {@code msf-client-<n>[-<name>]-io} and
 * {@code ...-callbacks}, so they never keep a program alive and show up clearly in a thread dump.
 *
 * <p>NIO rather than epoll: it needs no native library (the client runs in any JVM) and speaks
 * Unix domain sockets since JDK 16; one connection gains nothing from epoll.
 */
final class ClientThreads {

    private static final AtomicInteger CLIENTS = new AtomicInteger();

    /** Long enough for a clean shutdown of an idle loop; bounded so that close() cannot hang. */
    private static final long SHUTDOWN_WAIT_SECONDS = 5;

    /** The client's own loop group; null when it runs on a shared one. */
    private final MultiThreadIoEventLoopGroup group;
    private final EventLoop loop;
    private final ExecutorService ownCallbacks;
    private final WatchedExecutor callbacks;
    private final Arrivals arrivals;
    /** Takes back what the application's executor neither ran nor refused; null for the client's own. */
    private final ScheduledFuture<?> watch;
    private volatile Thread callbackThread;
    /**
     * When waiting for the threads to end gives up (System.nanoTime), set by {@link #shutdown}: one bound
     * for the whole of close(), whose steps each wait, so that a stuck callback costs it 5 s, not 5 s a step.
     */
    private volatile long waitDeadline;

    /**
     * @param callbacks the application's executor, or null for a thread of the client's own
     * @param shared the application's I/O threads, or null for a loop of the client's own
     * @param heartbeatNanos the client's heartbeat interval (a test's shorter watch): the application's
     *     executor is held to the standard the agent is, a task it has not started within
     *     {@link Heartbeat#MISSES} intervals counts as dropped ({@link WatchedExecutor})
     */
    ClientThreads(String clientName, Executor callbacks, EventLoopGroup shared, long heartbeatNanos) {
        String prefix = "msf-client-" + CLIENTS.incrementAndGet() + (clientName.isEmpty() ? "" : "-" + clientName);
        this.group = shared != null ? null
                : new MultiThreadIoEventLoopGroup(1, daemon(prefix + "-io"), NioIoHandler.newFactory());
        this.loop = shared != null ? shared.next() : group.next();
        if (callbacks == null) {
            // Unbounded queue: what enters it is bounded by InboundBudget, by the callers' own calls, and
            // by ClientEvents for the reports that come as fast as the application sends (dropped
            // publications, the agent's ERRORs for no call): one of a kind waits, the rest counted into it.
            ThreadFactory daemon = daemon(prefix + "-callbacks");
            this.ownCallbacks = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new AheadFirstQueue(),
                    task -> callbackThread = daemon.newThread(task));
            this.callbacks = WatchedExecutor.trusted(ownCallbacks);
            this.watch = null;
        } else {
            this.ownCallbacks = null;
            this.callbacks = new WatchedExecutor(callbacks, Heartbeat.MISSES * heartbeatNanos);
            this.watch = loop.scheduleAtFixedRate(this.callbacks::reclaimStalled, heartbeatNanos, heartbeatNanos,
                    TimeUnit.NANOSECONDS);
        }
        this.arrivals = new Arrivals(this.callbacks);
    }

    /** The event loop of every connection of this client. */
    EventLoop loop() {
        return loop;
    }

    /** Where application code runs. */
    WatchedExecutor callbacks() {
        return callbacks;
    }

    /** The outcomes of the async calls on their way to complete their stages. */
    Arrivals arrivals() {
        return arrivals;
    }

    /**
     * Stops the loop once it has run what it was given (the channel's last events, which fail the
     * outstanding calls), then lets the callback thread finish its queue, and waits for both
     * ({@link #awaitTermination}).
     */
    void shutdown() {
        waitDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SHUTDOWN_WAIT_SECONDS);
        if (watch != null) {
            watch.cancel(false); // on a shared loop it would outlive the client
        }
        if (group != null) {
            group.shutdownGracefully(0, SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
            if (!loop.inEventLoop()) {
                // the loop's last events hand over callbacks (failed calls): they still run on the callback thread
                awaitTermination(group);
            }
        }
        if (ownCallbacks != null) {
            ownCallbacks.shutdown();
        }
        awaitTermination();
    }

    /**
     * Waits for the loop and the callback thread to end, once shut down, until {@link #SHUTDOWN_WAIT_SECONDS}
     * after the shutdown, but not on one of them:
     * the loop would wait for itself, or for application code that may wait for the loop; the
     * callback thread would wait for itself.
     */
    void awaitTermination() {
        if (loop.inEventLoop()) {
            return;
        }
        if (group != null) {
            awaitTermination(group);
        }
        if (ownCallbacks != null && Thread.currentThread() != callbackThread) {
            awaitTermination(ownCallbacks);
        }
    }

    /**
     * Waits until the shutdown's deadline through interrupts, and keeps the interrupt for the
     * caller: close() is often called on a thread that is interrupted (a try-with-resources block left
     * by an interrupt), and giving up there left the callback thread running for good.
     */
    private void awaitTermination(ExecutorService threads) {
        long deadline = waitDeadline;
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    threads.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether application code runs on the client's own single callback thread, not the application's executor. */
    boolean ownCallbackThread() {
        return ownCallbacks != null;
    }

    /**
     * Whether this thread runs application code of the client now: it is the client's own callback
     * thread, or runs a task the client gave the application's executor.
     */
    boolean runsCallbacks() {
        return Thread.currentThread() == callbackThread || callbacks.runsTaskHere();
    }

    /** Whether this is the client's I/O thread or its own callback thread. */
    boolean isOwnThread() {
        return loop.inEventLoop() || Thread.currentThread() == callbackThread;
    }

    /**
     * The own callback thread's queue: the client's errors ({@link SerialExecutor.Ahead}, one drain at a
     * time) go ahead of the received messages waiting, which may be as many as {@code maxQueuedMessages}.
     */
    private static final class AheadFirstQueue extends LinkedBlockingDeque<Runnable> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean offer(Runnable task) {
            return task instanceof SerialExecutor.Ahead ? offerFirst(task) : offerLast(task);
        }
    }

    private static ThreadFactory daemon(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
