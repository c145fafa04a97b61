package io.msf.bench.hotswap;

import io.msf.client.api.Address;
import io.msf.client.api.AgentClient;
import io.msf.client.api.AgentException;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Requests at a fixed rate, open loop: request {@code i} is due at {@code start + i / rate}
 * whatever became of the ones before, and its latency runs from that due time to its reply, so a
 * stall of the service or of the sender shows in full (no coordinated omission). Every request's
 * outcome is kept by its index, so the caller can ask afterwards for the latencies of the
 * requests due inside given time windows.
 */
final class OpenLoopLoad implements AutoCloseable {

    static final long PENDING = 0;
    static final long FAILED = -1;
    static final long LOST = -2;
    private static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(60);

    static String outcomeName(long outcome) {
        return outcome == LOST ? "lost" : outcome == FAILED ? "failed" : outcome == PENDING ? "pending" : "answered";
    }

    private final AgentClient client;
    private final Address target;
    private final double periodNanos;
    private final byte[] payload;
    private final Duration timeout;
    /** Latency in ns (at least 1), or PENDING, FAILED, LOST, by request index. */
    private final AtomicLongArray outcomes;
    private final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
    private final AtomicLong completed = new AtomicLong();
    private final Thread sender;
    private volatile boolean running = true;
    private volatile long startNanos;
    private volatile int sent;

    OpenLoopLoad(AgentClient client, String name, int ratePerSecond, int payloadBytes, Duration timeout,
            Duration longest) {
        this.client = client;
        this.target = Address.name(name);
        this.periodNanos = 1e9 / ratePerSecond;
        this.payload = new byte[payloadBytes];
        this.timeout = timeout;
        this.outcomes = new AtomicLongArray((int) Math.min(Integer.MAX_VALUE - 8,
                longest.toNanos() / periodNanos + 1));
        this.sender = new Thread(this::sendLoop, "hotswap-load");
    }

    void start() {
        startNanos = System.nanoTime();
        sender.start();
    }

    private void sendLoop() {
        int i = 0;
        while (running && i < outcomes.length()) {
            long due = dueNanos(i);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
                continue;
            }
            send(i++, due);
            sent = i;
        }
    }

    private void send(int index, long due) {
        try {
            client.requestAsync(target, 1, client.alloc().buffer(payload.length).writeBytes(payload), timeout)
                    .whenComplete((reply, error) -> complete(index, due, reply, error));
        } catch (RuntimeException e) {
            complete(index, due, null, e);
        }
    }

    private void complete(int index, long due, Message reply, Throwable error) {
        long latency = System.nanoTime() - due;
        if (error == null) {
            int size = reply.payload().readableBytes();
            reply.release();
            if (size == payload.length) {
                outcomes.set(index, Math.max(1, latency));
            } else {
                fail(index, "WRONG_REPLY (" + size + " bytes)");
            }
        } else {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof AgentException agent && agent.code() == ErrorCode.TIMEOUT) {
                outcomes.set(index, LOST);
            } else {
                fail(index, cause instanceof AgentException agent ? agent.code().name() : cause.toString());
            }
        }
        completed.incrementAndGet();
    }

    private void fail(int index, String kind) {
        outcomes.set(index, FAILED);
        errors.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
    }

    long dueNanos(int index) {
        return startNanos + (long) (index * periodNanos);
    }

    /** Stops sending, then waits until every request sent has an outcome, at most the timeout plus 3 s. */
    void stop() throws InterruptedException {
        running = false;
        sender.join();
        long deadline = System.nanoTime() + timeout.plusSeconds(3).toNanos();
        while (completed.get() < sent && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    int sent() {
        return sent;
    }

    /** Requests without a reply: timed out at the agent, or never completed at all. */
    long lost() {
        long lost = 0;
        for (int i = 0; i < sent; i++) {
            long outcome = outcomes.get(i);
            if (outcome == LOST || outcome == PENDING) {
                lost++;
            }
        }
        return lost;
    }

    long failed() {
        return errors.values().stream().mapToLong(AtomicLong::get).sum();
    }

    Map<String, Long> errorsByKind() {
        Map<String, Long> copy = new TreeMap<>();
        errors.forEach((kind, count) -> copy.put(kind, count.get()));
        return copy;
    }

    /** Achieved send rate, requests per second. */
    double rate() {
        return sent == 0 ? 0 : sent * 1e9 / (dueNanos(sent - 1) - startNanos + periodNanos);
    }

    /** The slowest answered request: {latency ns, due time ns}, or zeros if none was answered. */
    long[] slowest() {
        long[] slowest = {0, 0};
        for (int i = 0; i < sent; i++) {
            long outcome = outcomes.get(i);
            if (outcome > slowest[0]) {
                slowest[0] = outcome;
                slowest[1] = dueNanos(i);
            }
        }
        return slowest;
    }

    long startNanos() {
        return startNanos;
    }

    /** Adds the latencies of the answered requests due in {@code [fromNanos, toNanos)} to {@code histogram}. */
    void record(long fromNanos, long toNanos, Histogram histogram) {
        forEachDue(fromNanos, toNanos, (due, outcome) -> {
            if (outcome > 0) {
                histogram.recordValue(Math.min(outcome, HIGHEST_NANOS));
            }
        });
    }

    /** What became of one request: its due time and its outcome (latency in ns, or PENDING, FAILED, LOST). */
    interface OutcomeConsumer {
        void accept(long dueNanos, long outcome);
    }

    /** Hands the outcome of every request due in {@code [fromNanos, toNanos)} to {@code consumer}, in order. */
    void forEachDue(long fromNanos, long toNanos, OutcomeConsumer consumer) {
        int first = (int) Math.max(0, Math.ceil((fromNanos - startNanos) / periodNanos));
        int end = (int) Math.min(sent, Math.ceil((toNanos - startNanos) / periodNanos));
        for (int i = first; i < end; i++) {
            consumer.accept(dueNanos(i), outcomes.get(i));
        }
    }

    static Histogram histogram() {
        return new Histogram(HIGHEST_NANOS, 3);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        sender.join();
    }
}
