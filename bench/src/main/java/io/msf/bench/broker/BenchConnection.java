package io.msf.bench.broker;

import java.util.function.Consumer;

/**
 * One client connection of the benchmark, the same operations on every system: the msf client
 * (to the agent or to the forwarder) or jnats. Each call sends a payload of {@code size} bytes
 * from {@link Payloads} the way the library's users do.
 */
interface BenchConnection extends AutoCloseable {

    /** The responder answers requests on this id (msf) and subject (NATS). */
    int ECHO_ID = 64000;
    String ECHO_SUBJECT = "bench.echo";
    /** The in-container echo handler of the probe bundle (msf only). */
    int LOCAL_ECHO_ID = 64001;
    String TOPIC = "bench.topic";
    int COMMAND = 1;

    /** Sends a request and waits for its reply; throws if it failed or the reply has the wrong size. */
    void request(int size) throws Exception;

    /** Sends a request; {@code done} gets null or the failure, on a client thread. */
    void requestAsync(int size, Consumer<Throwable> done);

    void publish(int size);

    /** Subscribes to {@link #TOPIC}; the subscription is in force when this returns. */
    void subscribe(Runnable onMessage) throws Exception;

    @Override
    void close();
}
