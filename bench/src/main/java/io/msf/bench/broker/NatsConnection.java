package io.msf.bench.broker;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/** A {@link BenchConnection} through jnats to nats-server: request/reply on a subject, pub/sub. */
final class NatsConnection implements BenchConnection {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Connection connection;

    private NatsConnection(Connection connection) {
        this.connection = connection;
    }

    static NatsConnection connect(String url) throws IOException, InterruptedException {
        return new NatsConnection(open(url));
    }

    /** The responder: answers every request on {@link #ECHO_SUBJECT} with its own payload. */
    static Connection respond(String url) throws IOException, InterruptedException, TimeoutException {
        Connection connection = open(url);
        Dispatcher dispatcher = connection.createDispatcher(
                message -> connection.publish(message.getReplyTo(), message.getData()));
        dispatcher.subscribe(ECHO_SUBJECT);
        connection.flush(TIMEOUT);
        return connection;
    }

    private static Connection open(String url) throws IOException, InterruptedException {
        return Nats.connect(new Options.Builder().server(url).connectionTimeout(Duration.ofSeconds(5))
                .maxReconnects(0).build());
    }

    @Override
    public void request(int size) throws InterruptedException {
        Message reply = connection.request(ECHO_SUBJECT, Payloads.array(size), TIMEOUT);
        if (reply == null) {
            throw new IllegalStateException("no reply from " + ECHO_SUBJECT + " within " + TIMEOUT);
        }
        Payloads.checkReply(size, reply.getData().length);
    }

    @Override
    public void requestAsync(int size, Consumer<Throwable> done) {
        connection.requestWithTimeout(ECHO_SUBJECT, Payloads.array(size), TIMEOUT)
                .whenComplete((reply, failure) -> done.accept(failure));
    }

    @Override
    public void publish(int size) {
        connection.publish(TOPIC, Payloads.array(size));
    }

    @Override
    public void subscribe(Runnable onMessage) throws TimeoutException, InterruptedException {
        Dispatcher dispatcher = connection.createDispatcher(message -> onMessage.run());
        dispatcher.subscribe(TOPIC);
        connection.flush(TIMEOUT);
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
