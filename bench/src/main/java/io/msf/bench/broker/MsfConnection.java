package io.msf.bench.broker;

import io.msf.client.api.Address;
import io.msf.client.api.AgentClients;
import io.msf.client.api.AgentException;
import io.msf.client.api.ClientOptions;
import io.msf.client.api.ConnectedClient;
import io.msf.client.api.MessageHandler;
import io.msf.protocol.api.Message;
import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** A {@link BenchConnection} through the msf client library, to the agent or to the forwarder. */
final class MsfConnection implements BenchConnection {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CONNECT_PATIENCE = Duration.ofSeconds(30);

    private final ConnectedClient client;
    private final Address target;

    private MsfConnection(ConnectedClient client, Address target) {
        this.client = client;
        this.target = target;
    }

    /** A client that sends its requests to the peer with id {@code targetId}. */
    static MsfConnection connect(SocketAddress agent, int targetId) {
        return new MsfConnection(connect(options(agent)), Address.id(targetId));
    }

    /**
     * The responder: claims {@code id} and answers every request with its own payload. The echo
     * never blocks, so it runs on the client's I/O thread ({@code handlerOnIoThread}), as a user
     * would run such a handler; the forwarder's sessions use the same responder.
     */
    static ConnectedClient respond(SocketAddress agent, int id) {
        MessageHandler echo = message -> CompletableFuture.completedFuture(message.payload().retain());
        return connect(options(agent).id(id).handler(echo).handlerOnIoThread(true));
    }

    /**
     * Connects, retrying while the agent is not listening yet (it opens its sockets after the
     * container's ready line).
     */
    private static ConnectedClient connect(ClientOptions.Builder options) {
        long deadline = System.nanoTime() + CONNECT_PATIENCE.toNanos();
        while (true) {
            try {
                return AgentClients.connect(options.build());
            } catch (AgentException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                sleep(200);
            }
        }
    }

    /**
     * The bench's listeners only count and release a window permit, they never block: so they run on
     * the client's I/O thread ({@code listenersOnIoThread}), as a user would run such a listener.
     * {@code -Dbench.listenersOnIoThread=false} (in CLIENT_JVM_OPTS) runs them on the client's
     * callback thread instead, to compare.
     */
    private static final boolean LISTENERS_ON_IO_THREAD =
            Boolean.parseBoolean(System.getProperty("bench.listenersOnIoThread", "true"));

    private static ClientOptions.Builder options(SocketAddress agent) {
        ClientOptions.Builder options = ClientOptions.builder().connectTimeout(Duration.ofSeconds(2))
                .listenersOnIoThread(LISTENERS_ON_IO_THREAD);
        if (agent instanceof UnixDomainSocketAddress uds) {
            return options.unixSocket(uds.getPath());
        }
        InetSocketAddress tcp = (InetSocketAddress) agent;
        return options.tcp(tcp.getHostString(), tcp.getPort());
    }

    private ByteBuf payload(int size) {
        return client.alloc().buffer(size).writeBytes(Payloads.source(), 0, size);
    }

    @Override
    public void request(int size) {
        Message reply = client.request(target, COMMAND, payload(size), TIMEOUT);
        try {
            Payloads.checkReply(size, reply.payload().readableBytes());
        } finally {
            reply.release();
        }
    }

    @Override
    public void requestAsync(int size, Consumer<Throwable> done) {
        client.requestAsync(target, COMMAND, payload(size), TIMEOUT).whenComplete((reply, failure) -> {
            if (reply != null) {
                reply.release();
            }
            done.accept(failure);
        });
    }

    @Override
    public void publish(int size) {
        client.publish(TOPIC, COMMAND, payload(size));
    }

    @Override
    public void subscribe(Runnable onMessage) {
        client.subscribe(TOPIC, message -> onMessage.run());
    }

    @Override
    public void close() {
        client.close();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting", e);
        }
    }
}
