package io.msf.itests.agent;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.msf.agent.api.Agent;
import io.msf.agent.api.PeerInfo;
import io.msf.client.api.AgentClient;
import io.msf.client.api.AgentClients;
import io.msf.client.api.AgentException;
import io.msf.client.api.ClientOptions;
import io.msf.client.api.ConnectedClient;
import io.msf.client.api.MessageHandler;
import io.msf.itests.Await;
import io.msf.itests.MsfTestSupport;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.After;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;

/**
 * What the agent tests share: the agent's addresses, the in-container client of the test bundle,
 * socket clients and raw peers that are closed after each test, and handlers offered as services
 * that are withdrawn after each test.
 */
public abstract class AgentTestSupport extends MsfTestSupport {

    /** Long enough never to run out while the agent works; tests of timeouts pass their own. */
    protected static final Duration PATIENT = Duration.ofSeconds(30);

    private final List<AutoCloseable> connections = new ArrayList<>();
    private final List<ServiceRegistration<?>> handlers = new ArrayList<>();

    @After
    public void closeConnectionsAndWithdrawHandlers() throws Exception {
        for (AutoCloseable connection : connections) {
            connection.close();
        }
        connections.clear();
        for (ServiceRegistration<?> handler : handlers) {
            try {
                handler.unregister();
            } catch (IllegalStateException alreadyGone) {
                // withdrawn by the test itself
            }
        }
        handlers.clear();
    }

    /** The current agent (it changes when the agent bundle or its configuration is restarted). */
    protected Agent agent() {
        return service(Agent.class);
    }

    /** This test bundle's own in-container client. */
    protected AgentClient client() {
        return service(AgentClient.class);
    }

    protected SocketAddress agentSocketFile() {
        return UnixDomainSocketAddress.of(dataDir().resolve(ClientOptions.SOCKET_FILE));
    }

    protected SocketAddress agentTcp() {
        return new InetSocketAddress("127.0.0.1", agentTcpPort());
    }

    /** Options of a client over the agent's Unix domain socket, reconnecting quickly. */
    protected ClientOptions.Builder overSocketFile() {
        return ClientOptions.builder().dataDir(dataDir())
                .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(500));
    }

    protected ClientOptions.Builder overTcp() {
        return ClientOptions.builder().tcp("127.0.0.1", agentTcpPort())
                .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(500));
    }

    /** Connects a socket client that is closed after the test. */
    protected ConnectedClient connect(ClientOptions.Builder options) {
        ConnectedClient client = AgentClients.connect(options.build());
        connections.add(client);
        return client;
    }

    /** Opens a raw connection that is closed after the test. */
    protected RawPeer rawPeer(SocketAddress agent) throws IOException {
        return rawPeer(agent, 0);
    }

    protected RawPeer rawPeer(SocketAddress agent, int receiveBufferBytes) throws IOException {
        RawPeer peer = RawPeer.connect(agent, receiveBufferBytes);
        connections.add(peer);
        return peer;
    }

    /**
     * Offers {@code handler} as a service under {@code name} and/or {@code id} (null: none) and
     * waits until the agent lists it.
     */
    protected ServiceRegistration<MessageHandler> offer(String name, Integer id, MessageHandler handler) {
        return offer(name, id, 0, handler);
    }

    /** As {@link #offer(String, Integer, MessageHandler)}, with a {@code service.ranking}. */
    protected ServiceRegistration<MessageHandler> offer(String name, Integer id, int ranking, MessageHandler handler) {
        Dictionary<String, Object> properties = new Hashtable<>();
        if (name != null) {
            properties.put(MessageHandler.NAME, name);
        }
        if (id != null) {
            properties.put(MessageHandler.ID, id);
        }
        properties.put(Constants.SERVICE_RANKING, ranking);
        ServiceRegistration<MessageHandler> registration =
                context.registerService(MessageHandler.class, handler, properties);
        handlers.add(registration);
        awaitPeer(name != null ? name : "#" + id);
        return registration;
    }

    /** Waits until the agent lists a peer named {@code nameOrHashId} ({@code #42} for an id); returns it. */
    protected PeerInfo awaitPeer(String nameOrHashId) {
        return Await.value("peer " + nameOrHashId + " listed by the agent", () -> peer(nameOrHashId),
                Optional::isPresent).get();
    }

    protected Optional<PeerInfo> peer(String nameOrHashId) {
        return agent().peers().stream()
                .filter(p -> nameOrHashId.equals(p.name()) || nameOrHashId.equals("#" + Integer.toUnsignedString(p.id())))
                .findFirst();
    }

    /** A handler answering every request with {@code prefix} followed by the request's text. */
    protected static MessageHandler replying(String prefix) {
        return message -> CompletableFuture.completedFuture(utf8(prefix + text(message.payload())));
    }

    protected static ByteBuf utf8(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }

    protected static String text(ByteBuf payload) {
        return payload.toString(StandardCharsets.UTF_8);
    }

    /** The text of a reply, which is released. */
    protected static String textOf(Message reply) {
        try {
            return text(reply.payload());
        } finally {
            reply.release();
        }
    }

    /** The next element of {@code queue}, waiting for it. */
    protected static <T> T next(BlockingQueue<T> queue) throws InterruptedException {
        T element = queue.poll(Await.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        if (element == null) {
            throw new AssertionError("nothing came within " + Await.TIMEOUT_MILLIS + " ms");
        }
        return element;
    }

    /** Waits for a stage that must complete. */
    protected static <T> T await(CompletionStage<T> stage) throws Exception {
        try {
            return stage.toCompletableFuture().get(Await.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("expected to complete, failed with " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("not completed within " + Await.TIMEOUT_MILLIS + " ms");
        }
    }

    /** Waits for a stage that must fail with an {@link AgentException} of {@code code}; returns it. */
    protected static AgentException awaitFailure(ErrorCode code, CompletionStage<?> stage) throws Exception {
        Object result;
        try {
            result = stage.toCompletableFuture().get(Await.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return assertAgentException(code, e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("expected " + code + ", but nothing came within " + Await.TIMEOUT_MILLIS + " ms");
        }
        if (result instanceof Message reply) {
            throw new AssertionError("expected " + code + ", got the reply '" + textOf(reply) + "'");
        }
        throw new AssertionError("expected " + code + ", completed with " + result);
    }

    /** Runs a call that must fail with an {@link AgentException} of {@code code}; returns it. */
    protected static AgentException failure(ErrorCode code, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            return assertAgentException(code, e);
        }
        throw new AssertionError("expected " + code + ", the call succeeded");
    }

    private static AgentException assertAgentException(ErrorCode code, Throwable thrown) {
        if (!(thrown instanceof AgentException agentException)) {
            throw new AssertionError("expected an AgentException " + code + ", got " + thrown, thrown);
        }
        assertEquals("error code of " + thrown.getMessage(), code, agentException.code());
        assertTrue("message for people: " + thrown.getMessage(), thrown.getMessage().length() > code.name().length());
        return agentException;
    }

    /** The agent's TCP port, as the test configuration set it. */
    protected int agentTcpPort() {
        return Integer.parseInt(context.getProperty(AGENT_TCP_PORT));
    }

    /**
     * The class path of a program in another JVM: the client and protocol jars, Netty, and these
     * tests' classes (system property {@code msf.itests.external.classpath}, set by failsafe).
     */
    protected static String externalClasspath() {
        String classpath = System.getProperty("msf.itests.external.classpath");
        if (classpath == null) {
            throw new IllegalStateException("system property msf.itests.external.classpath is not set (failsafe sets it)");
        }
        for (String entry : classpath.split(File.pathSeparator)) {
            assertTrue("class path entry " + entry + " exists", Files.exists(Paths.get(entry)));
        }
        return classpath;
    }
}
