package io.msf.bench.broker.probe;

import io.msf.client.api.Address;
import io.msf.client.api.AgentClient;
import io.msf.protocol.api.Message;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * {@code bench:inproc <payloadBytes> <warmupMillis> <measureMillis>}: a closed loop of requests
 * from this bundle's {@link AgentClient} to the in-container echo handler, on the console thread,
 * timed like the socket clients of the benchmark (one clock read before and one after each
 * request). Prints one line the driver parses:
 * {@code inproc bytes=64 count=... ops_per_s=... p50_ns=... p99_ns=... p999_ns=... mean_ns=...}.
 */
public final class InprocCommand {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final BundleContext context;

    InprocCommand(BundleContext context) {
        this.context = context;
    }

    public String inproc(int payloadBytes, long warmupMillis, long measureMillis) {
        ServiceReference<AgentClient> reference = context.getServiceReference(AgentClient.class);
        if (reference == null) {
            return "inproc failed: no io.msf.client.api.AgentClient service (is the agent running?)";
        }
        AgentClient client = context.getService(reference);
        try {
            return run(client, payloadBytes, warmupMillis, measureMillis);
        } finally {
            context.ungetService(reference);
        }
    }

    private static String run(AgentClient client, int size, long warmupMillis, long measureMillis) {
        byte[] bytes = new byte[size];
        Address echo = Address.id(InprocProbe.ECHO_ID);
        Histogram histogram = new Histogram(HIGHEST_NANOS, 3);
        long measureFrom = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(warmupMillis);
        long end = measureFrom + TimeUnit.MILLISECONDS.toNanos(measureMillis);
        while (true) {
            long sent = System.nanoTime();
            if (sent >= end) {
                break;
            }
            Message reply = client.request(echo, 1, client.alloc().buffer(size).writeBytes(bytes), TIMEOUT);
            long answered = System.nanoTime();
            int replied = reply.payload().readableBytes();
            reply.release();
            if (replied != size) {
                return "inproc failed: reply of " + replied + " bytes to a request of " + size;
            }
            if (sent >= measureFrom) {
                histogram.recordValue(Math.min(answered - sent, HIGHEST_NANOS));
            }
        }
        return String.format("inproc bytes=%d count=%d ops_per_s=%.0f p50_ns=%d p99_ns=%d p999_ns=%d mean_ns=%.0f",
                size, histogram.getTotalCount(), histogram.getTotalCount() * 1000.0 / measureMillis,
                histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(99),
                histogram.getValueAtPercentile(99.9), histogram.getMean());
    }
}
