package io.msf.itests.deploy;

import io.msf.client.api.Address;
import io.msf.client.api.AgentClient;
import io.msf.protocol.api.Message;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends requests to a service name at a steady rate through an in-container client and counts
 * what comes back: replies by the version that answered, errors (with the first one kept), and
 * requests never answered.
 */
final class RequestLoad implements AutoCloseable {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final AgentClient client;
    private final Address target;
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<Throwable> firstError = new AtomicReference<>();
    private final Map<String, AtomicLong> byVersion = new ConcurrentHashMap<>();
    private volatile long startNanos;
    private volatile long stopNanos;

    RequestLoad(AgentClient client, String name) {
        this.client = client;
        this.target = Address.name(name);
    }

    /** Sends {@code perMillisecond} requests every millisecond until {@link #stop}. */
    void start(int perMillisecond) {
        startNanos = System.nanoTime();
        sender.scheduleAtFixedRate(() -> {
            for (int i = 0; i < perMillisecond; i++) {
                send();
            }
        }, 0, 1, TimeUnit.MILLISECONDS);
    }

    private void send() {
        sent.incrementAndGet();
        client.requestAsync(target, 1, Unpooled.EMPTY_BUFFER, REQUEST_TIMEOUT).whenComplete(this::completed);
    }

    private void completed(Message reply, Throwable error) {
        if (error != null) {
            failed.incrementAndGet();
            firstError.compareAndSet(null, error);
            return;
        }
        try {
            byVersion.computeIfAbsent(reply.payload().toString(StandardCharsets.UTF_8), v -> new AtomicLong())
                    .incrementAndGet();
        } finally {
            reply.release();
        }
        answered.incrementAndGet();
    }

    /** Stops sending and waits until every request sent is answered or failed (at most the request timeout). */
    void stop() throws InterruptedException {
        sender.shutdown();
        sender.awaitTermination(5, TimeUnit.SECONDS);
        stopNanos = System.nanoTime();
        long deadline = System.nanoTime() + REQUEST_TIMEOUT.plusSeconds(5).toNanos();
        while (answered.get() + failed.get() < sent.get() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    long sent() {
        return sent.get();
    }

    long failed() {
        return failed.get();
    }

    /** Requests that got neither a reply nor an error. */
    long lost() {
        return sent.get() - answered.get() - failed.get();
    }

    Throwable firstError() {
        return firstError.get();
    }

    Map<String, AtomicLong> byVersion() {
        return byVersion;
    }

    /** Requests per second over the time it ran. */
    long rate() {
        long nanos = Math.max(1, stopNanos - startNanos);
        return sent.get() * 1_000_000_000L / nanos;
    }

    @Override
    public void close() {
        sender.shutdownNow();
    }
}
