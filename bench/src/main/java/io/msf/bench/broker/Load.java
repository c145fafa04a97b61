package io.msf.bench.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * The three loads, each timed as warm-up then measurement on one clock: closed-loop requests
 * (latency), pipelined async requests with a bounded window (throughput), and publications to
 * one subscriber with a bounded window (throughput). The bounded windows keep every system
 * inside its back-pressure limits (the agent cuts off, and NATS drops, consumers that fall too
 * far behind), so what is measured is the rate the system sustains, not how much it buffers.
 */
final class Load {

    /** Longest wait for a window slot before the run counts as stalled. */
    private static final long STALL_SECONDS = 15;
    private static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final long warmupNanos;
    private final long measureNanos;

    Load(long warmupMillis, long measureMillis) {
        this.warmupNanos = TimeUnit.MILLISECONDS.toNanos(warmupMillis);
        this.measureNanos = TimeUnit.MILLISECONDS.toNanos(measureMillis);
    }

    /** What one load measured: latency (closed loop only, else null) and completed operations per second. */
    record Outcome(Histogram latencyNanos, double opsPerSecond) {
    }

    /** Each connection on its own thread sends a request as soon as it has the previous reply. */
    Outcome closedLoop(List<BenchConnection> clients, int size) throws Exception {
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        long measureFrom = start + warmupNanos;
        long end = measureFrom + measureNanos;
        List<Histogram> histograms = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(clients.size());
        for (BenchConnection client : clients) {
            Histogram histogram = new Histogram(HIGHEST_NANOS, 3);
            histograms.add(histogram);
            Thread thread = new Thread(() -> {
                try {
                    while (System.nanoTime() < start) {
                        Thread.onSpinWait();
                    }
                    while (true) {
                        long sent = System.nanoTime();
                        if (sent >= end) {
                            break;
                        }
                        client.request(size);
                        long answered = System.nanoTime();
                        if (sent >= measureFrom) {
                            histogram.recordValue(Math.min(answered - sent, HIGHEST_NANOS));
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            }, "bench-client");
            thread.setDaemon(true);
            thread.start();
        }
        if (!done.await(TimeUnit.NANOSECONDS.toSeconds(end - System.nanoTime()) + STALL_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("closed loop stalled: a request took over " + STALL_SECONDS + " s");
        }
        rethrow(failure.get());
        Histogram merged = new Histogram(HIGHEST_NANOS, 3);
        histograms.forEach(merged::add);
        return new Outcome(merged, merged.getTotalCount() * 1e9 / measureNanos);
    }

    /** One connection keeps {@code window} requests in flight. */
    Outcome pipelined(BenchConnection client, int size, int window) throws Exception {
        Semaphore slots = new Semaphore(window);
        LongAdder completed = new LongAdder();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        double rate = windowed(slots, completed, failure, window, () -> client.requestAsync(size, error -> {
            if (error != null) {
                failure.compareAndSet(null, error);
            }
            completed.increment();
            slots.release();
        }));
        return new Outcome(null, rate);
    }

    /** One connection publishes, another receives; at most {@code window} publications in flight. */
    Outcome pubSub(BenchConnection publisher, BenchConnection subscriber, int size, int window) throws Exception {
        Semaphore slots = new Semaphore(window);
        LongAdder received = new LongAdder();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        subscriber.subscribe(() -> {
            received.increment();
            slots.release();
        });
        return new Outcome(null, windowed(slots, received, failure, window, () -> publisher.publish(size)));
    }

    /** Sends while a slot is free; returns the completions per second of the measured part. */
    private double windowed(Semaphore slots, LongAdder completed, AtomicReference<Throwable> failure, int window,
            Runnable send) throws Exception {
        long measureFrom = System.nanoTime() + warmupNanos;
        long end = measureFrom + measureNanos;
        long completedBefore = -1;
        while (true) {
            long now = System.nanoTime();
            if (completedBefore < 0 && now >= measureFrom) {
                completedBefore = completed.sum();
                measureFrom = now;
            }
            if (now >= end) {
                break;
            }
            if (!slots.tryAcquire(STALL_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no answer for " + STALL_SECONDS + " s with " + window
                        + " in flight (lost messages?)");
            }
            rethrow(failure.get());
            send.run();
        }
        long measured = completed.sum() - completedBefore;
        double seconds = (System.nanoTime() - measureFrom) / 1e9;
        if (!slots.tryAcquire(window, STALL_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the last " + window + " messages did not all arrive within "
                    + STALL_SECONDS + " s");
        }
        rethrow(failure.get());
        return measured / seconds;
    }

    private static void rethrow(Throwable failure) throws Exception {
        if (failure instanceof Exception e) {
            throw e;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }
}
