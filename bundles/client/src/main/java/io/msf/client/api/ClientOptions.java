package io.msf.client.api;

import io.msf.protocol.api.Protocol;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * How a {@link ConnectedClient} reaches and registers with the agent. Build with {@link #builder};
 * only the agent's address is required.
 */
public final class ClientOptions {

    /** The agent's Unix domain socket, relative to the container's data dir. */
    public static final String SOCKET_FILE = "agent.sock";

    private final SocketAddress agent;
    private final int id;
    private final String name;
    private final byte[] token;
    private final MessageHandler handler;
    private final int maxFrameBytes;
    private final Duration heartbeat;
    private final Duration connectTimeout;
    private final Duration tlsHandshakeTimeout;
    private final Duration reconnectInitial;
    private final Duration reconnectMax;
    private final Consumer<AgentException> onError;
    private final Executor executor;
    private final int maxQueuedMessages;
    private final boolean handlerOnIoThread;
    private final boolean listenersOnIoThread;
    private final SSLContext tls;
    private final boolean replaceOnReconnect;
    private final EventLoopGroup ioThreads;

    private ClientOptions(Builder b) {
        this.agent = Objects.requireNonNull(b.agent, "the agent's address (unixSocket, dataDir or tcp)");
        this.id = b.id;
        this.name = b.name;
        this.token = b.token;
        this.handler = b.handler;
        this.maxFrameBytes = b.maxFrameBytes;
        this.heartbeat = b.heartbeat;
        this.connectTimeout = b.connectTimeout;
        this.tlsHandshakeTimeout = b.tlsHandshakeTimeout;
        this.reconnectInitial = b.reconnectInitial;
        this.reconnectMax = b.reconnectMax;
        this.onError = b.onError;
        this.executor = b.executor;
        this.maxQueuedMessages = b.maxQueuedMessages;
        this.handlerOnIoThread = b.handlerOnIoThread;
        this.listenersOnIoThread = b.listenersOnIoThread;
        this.tls = b.tls;
        this.replaceOnReconnect = b.replaceOnReconnect;
        this.ioThreads = b.ioThreads;
        if (tls != null && !(agent instanceof InetSocketAddress)) {
            throw new IllegalArgumentException("TLS is for the agent's TCP port; its Unix domain socket " + agent
                    + " is owner-only and stays plain");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A {@link UnixDomainSocketAddress}, or an unresolved {@link InetSocketAddress}: its host is
     * looked up at each connection attempt.
     */
    public SocketAddress agent() {
        return agent;
    }

    /** The id to claim; 0: the agent assigns one. */
    public int id() {
        return id;
    }

    /** The name to claim; empty: none. */
    public String name() {
        return name;
    }

    /** The shared secret; empty: none. */
    public byte[] token() {
        return token.clone();
    }

    /** Answers the requests and takes the notifications addressed to this client; null: none. */
    public MessageHandler handler() {
        return handler;
    }

    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    public Duration heartbeat() {
        return heartbeat;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * How long the TLS handshake of each connection may take; see {@link Builder#tlsHandshakeTimeout}.
     *
     * @since 1.5
     */
    public Duration tlsHandshakeTimeout() {
        return tlsHandshakeTimeout;
    }

    public Duration reconnectInitial() {
        return reconnectInitial;
    }

    public Duration reconnectMax() {
        return reconnectMax;
    }

    /**
     * Gets the errors that belong to no call (an undeliverable NOTIFY, a refused re-registration, a
     * dropped publication, a reply of the handler too large for the agent: the requester gets ERROR
     * TOO_LARGE in its place). Publications dropped while the report of an earlier one waits for the
     * {@link #executor} are counted into that report rather than reported each.
     */
    public Consumer<AgentException> onError() {
        return onError;
    }

    /**
     * Runs the handler (unless {@link #handlerOnIoThread}), the subscription listeners, the state
     * listeners, {@link #onError} and the completion of {@link AgentClient#requestAsync} stages;
     * null: a thread of the client's own.
     */
    public Executor executor() {
        return executor;
    }

    /**
     * How many received messages may wait for the handler and the listeners; see
     * {@link Builder#maxQueuedMessages} for the memory they may hold.
     */
    public int maxQueuedMessages() {
        return maxQueuedMessages;
    }

    /** Whether the handler runs on the connection's I/O thread; see {@link Builder#handlerOnIoThread}. */
    public boolean handlerOnIoThread() {
        return handlerOnIoThread;
    }

    /**
     * Whether subscription listeners run on the connection's I/O thread; see
     * {@link Builder#listenersOnIoThread}.
     *
     * @since 1.4
     */
    public boolean listenersOnIoThread() {
        return listenersOnIoThread;
    }

    /**
     * The TLS context the TCP connection uses, or null: plain. The client verifies that the
     * agent's certificate names the host it connects to, and offers TLS 1.3 and 1.2 only.
     */
    public SSLContext tls() {
        return tls;
    }

    /** Whether a reconnect takes the id and name over (REPLACE); see {@link Builder#replaceOnReconnect}. */
    public boolean replaceOnReconnect() {
        return replaceOnReconnect;
    }

    /** The shared I/O threads the connection runs on, or null: a thread of the client's own. */
    public EventLoopGroup ioThreads() {
        return ioThreads;
    }

    /**
     * Collects the options; every setter checks its argument at once. A Duration is at least 1 ms; a longer
     * one than 2^31 - 1 ms (about 24.8 days) is taken as that, and its getter returns that.
     */
    public static final class Builder {
        private static final Duration SHORTEST = Duration.ofMillis(1);
        private static final Duration LONGEST = Duration.ofMillis(Integer.MAX_VALUE);

        private SocketAddress agent;
        private int id;
        private String name = "";
        private byte[] token = new byte[0];
        private MessageHandler handler;
        private int maxFrameBytes = Protocol.DEFAULT_MAX_FRAME_BYTES;
        private Duration heartbeat = Duration.ofSeconds(5);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration tlsHandshakeTimeout = Duration.ofSeconds(10);
        private Duration reconnectInitial = Duration.ofMillis(100);
        private Duration reconnectMax = Duration.ofSeconds(10);
        private Consumer<AgentException> onError = error -> { };
        private Executor executor;
        private int maxQueuedMessages = 1024;
        private boolean handlerOnIoThread;
        private boolean listenersOnIoThread;
        private SSLContext tls;
        private boolean replaceOnReconnect = true;
        private EventLoopGroup ioThreads;

        private Builder() {
        }

        /** The agent's Unix domain socket file. */
        public Builder unixSocket(Path socket) {
            this.agent = UnixDomainSocketAddress.of(Objects.requireNonNull(socket, "socket"));
            return this;
        }

        /** The agent of the container whose data dir this is ({@code <dataDir>/agent.sock}). */
        public Builder dataDir(Path dataDir) {
            return unixSocket(Objects.requireNonNull(dataDir, "dataDir").resolve(SOCKET_FILE));
        }

        /**
         * The agent's TCP port. {@code host} (a name or an IP address) is looked up at each
         * connection attempt, the first and every reconnect, not here: an agent whose address
         * changed (a restarted host or container) is found again. A name that does not resolve
         * fails that attempt, which is tried again after the backoff.
         *
         * @throws IllegalArgumentException if {@code host} is empty (the JDK would take it for the
         *         loopback address) or {@code port} is outside 1..65535 (nothing listens on port 0)
         */
        public Builder tcp(String host, int port) {
            if (Objects.requireNonNull(host, "host").isBlank()) {
                throw new IllegalArgumentException("the agent's host is empty");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("the agent's port " + port + " is outside 1..65535");
            }
            this.agent = InetSocketAddress.createUnresolved(host, port);
            return this;
        }

        /** Claims {@code id} (1 to 0x7FFFFFFF); by default the agent assigns one. */
        public Builder id(int id) {
            if (id < 1) {
                throw new IllegalArgumentException("id " + Integer.toUnsignedString(id)
                        + " is outside 1..2147483647 (ids from 2147483648 up are assigned by the agent)");
            }
            this.id = id;
            return this;
        }

        /** Claims {@code name} (topic rules, no wildcards). */
        public Builder name(String name) {
            this.name = Address.name(name).name();
            return this;
        }

        /** The shared secret the agent requires (UTF-8), at most {@value Protocol#MAX_TOKEN_BYTES} bytes. */
        public Builder token(String token) {
            byte[] bytes = Objects.requireNonNull(token, "token").getBytes(StandardCharsets.UTF_8);
            if (bytes.length > Protocol.MAX_TOKEN_BYTES) {
                throw new IllegalArgumentException(
                        "token of " + bytes.length + " bytes is longer than " + Protocol.MAX_TOKEN_BYTES);
            }
            this.token = bytes;
            return this;
        }

        public Builder handler(MessageHandler handler) {
            this.handler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /** The largest frame accepted from the agent; default {@value Protocol#DEFAULT_MAX_FRAME_BYTES}. */
        public Builder maxFrameBytes(int maxFrameBytes) {
            if (maxFrameBytes < Protocol.SMALLEST_FRAME_LIMIT) {
                throw new IllegalArgumentException("maxFrameBytes " + maxFrameBytes + " is below "
                        + Protocol.SMALLEST_FRAME_LIMIT);
            }
            this.maxFrameBytes = maxFrameBytes;
            return this;
        }

        /** The interval this client pings the agent at; default 5 s. */
        public Builder heartbeat(Duration heartbeat) {
            this.heartbeat = positive(heartbeat, "heartbeat");
            return this;
        }

        /**
         * How long an attempt to connect may take, and then the agent's answer to the HELLO; default
         * 5 s. {@link AgentClients#connect} waits this long for the first registration (and, with
         * {@link #tls}, the {@link #tlsHandshakeTimeout} more), trying again meanwhile. Also how long
         * the agent's acknowledgement of a subscription is waited for ({@link AgentClient#subscribe}).
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = positive(connectTimeout, "connectTimeout");
            return this;
        }

        /**
         * How long the TLS handshake of each connection (the first and every reconnect) may take
         * once it is connected; default 10 s. A slower one fails that connection with
         * {@code handshake timed out after <n>ms}; the agent's answer to the HELLO is waited for
         * after the handshake, for the {@link #connectTimeout}. Only with {@link #tls}.
         *
         * @since 1.5
         */
        public Builder tlsHandshakeTimeout(Duration tlsHandshakeTimeout) {
            this.tlsHandshakeTimeout = positive(tlsHandshakeTimeout, "tlsHandshakeTimeout");
            return this;
        }

        /**
         * The first reconnect delay, doubled after each failure up to {@code max}; default 100 ms to 10 s.
         * A connection lost within a {@link #heartbeat} interval of its registration (or within {@code max},
         * if shorter) counts as a failure: only one that lasted starts the delays over.
         */
        public Builder reconnectBackoff(Duration initial, Duration max) {
            Duration first = positive(initial, "initial backoff");
            Duration most = positive(max, "max backoff");
            if (max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("max backoff " + max + " is below the initial " + initial);
            }
            this.reconnectInitial = first;
            this.reconnectMax = most;
            return this;
        }

        public Builder onError(Consumer<AgentException> onError) {
            this.onError = Objects.requireNonNull(onError, "onError");
            return this;
        }

        /**
         * Where the handler, the listeners and the async callbacks run. By default a single thread
         * of the client's own (named {@code msf-client-<n>[-<name>]-callbacks}), so calls come one at a time
         * in the order received and a slow handler never holds up the connection's I/O thread (its
         * heartbeats stay answered). Give a pool to handle requests in parallel; each subscription
         * still gets its messages one at a time, in order. The client does not shut it down. A
         * handler that never blocks may run on the I/O thread instead: {@link #handlerOnIoThread}.
         * What the executor refuses (a bounded pool that is full, or one shut down) never runs on the
         * I/O thread: a REQUEST is answered with ERROR OVERLOADED and a NOTIFY or publication is
         * dropped, as past {@link #maxQueuedMessages}; a refused {@link #onError} call or state change
         * is logged instead, and a refused completion of an async stage runs on the JDK's common pool.
         * A task it has neither started nor refused within three {@link #heartbeat} intervals, and
         * has shown at two heartbeats in a row that it dropped silently (a plain {@code ThreadPoolExecutor} with {@code DiscardPolicy}
         * no longer holds it; any other executor started a task given to it later, or terminated),
         * counts as refused, so that nothing waits for it for ever; one waiting behind a backlog is
         * not dropped, however long that takes.
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Bounds the received REQUESTs, NOTIFYs and publications waiting for the executor; default
         * 1024. Past it a REQUEST is answered with ERROR OVERLOADED and a NOTIFY or publication is
         * dropped (reported once to {@link #onError} until the queue has drained to half). On the
         * client's own callback thread that report goes ahead of the messages waiting, once the call
         * running returns (state changes keep their place after them); an {@link #executor} of the
         * application's runs it in its own order.
         *
         * <p>It counts messages, not bytes: each message waiting holds a slice of the buffer it was
         * read into, which stays allocated until the message is released, so the memory held is at
         * worst about {@code maxQueuedMessages} x {@link #maxFrameBytes} (1 GiB with the defaults,
         * 1024 x 1 MiB). Lower one of the two where memory is short.
         */
        public Builder maxQueuedMessages(int maxQueuedMessages) {
            if (maxQueuedMessages < 1) {
                throw new IllegalArgumentException("maxQueuedMessages " + maxQueuedMessages + " must be positive");
            }
            this.maxQueuedMessages = maxQueuedMessages;
            return this;
        }

        /**
         * Runs the {@link #handler} on the connection's I/O thread, as each REQUEST or NOTIFY is
         * read, instead of on the {@link #executor}: no thread hop, so a reply leaves sooner and
         * several go out in one write. Default false. Only for a handler that never blocks: it must
         * not wait for I/O, locks held long, or another request's answer (a synchronous
         * {@link AgentClient#request} from it would wait for a reply that this very thread has to
         * read: it throws IllegalStateException at once, as {@link AgentClient#subscribe} does; use
         * {@link AgentClient#requestAsync}), and should return quickly, ideally an
         * already completed stage. While it runs, this connection reads nothing else and answers no
         * PING. Subscription listeners, state listeners and callbacks stay on the executor.
         */
        public Builder handlerOnIoThread(boolean handlerOnIoThread) {
            this.handlerOnIoThread = handlerOnIoThread;
            return this;
        }

        /**
         * Runs the subscription listeners on the connection's I/O thread, as each publication is
         * read, instead of on the {@link #executor}: no hand-off and no wake-up of another thread per
         * burst, which is most of what a small publication costs a subscriber. Default false. Only
         * for listeners that never block, under the same rules as {@link #handlerOnIoThread}; while
         * one runs, this connection reads nothing else. Each listener still gets its publications one
         * at a time, in order; relative to the handler's NOTIFYs they keep their order only if the
         * handler runs on the I/O thread too.
         *
         * @since 1.4
         */
        public Builder listenersOnIoThread(boolean listenersOnIoThread) {
            this.listenersOnIoThread = listenersOnIoThread;
            return this;
        }

        /**
         * Talks TLS to the agent's TCP port (its key {@code tls=true}), trusting what {@code context}
         * trusts: {@code SSLContext.getDefault()} for a certificate from a public authority, or a
         * context of your own. Every connection, the first and each reconnect, checks that the
         * agent's certificate is trusted and names the host given to {@link #tcp} (a name, or an
         * IP address in the certificate's subject alternative names). Not for a Unix socket:
         * {@link #build} refuses that.
         *
         * @throws IllegalArgumentException if {@code context} was never initialised ({@code init})
         */
        public Builder tls(SSLContext context) {
            Objects.requireNonNull(context, "context");
            try {
                // the JDK checks this only when a connection makes an engine: at the first connect
                context.createSSLEngine();
            } catch (IllegalStateException e) {
                throw new IllegalArgumentException("the TLS context (" + context.getProtocol() + ") is not initialised:"
                        + " call its init(...) first, or give SSLContext.getDefault(), or use tlsTrustStore", e);
            }
            this.tls = context;
            return this;
        }

        /**
         * {@link #tls} trusting the certificates in a PKCS12 trust store, such as one made with
         * {@code keytool -importcert -storetype PKCS12 -file agent.crt -keystore trust.p12}.
         *
         * @throws IllegalArgumentException naming the file if it cannot be read or holds no certificate
         */
        public Builder tlsTrustStore(Path trustStore, char[] password) {
            return tls(TrustStores.trusting(Objects.requireNonNull(trustStore, "trustStore"), password));
        }

        /**
         * Whether a reconnect registers with REPLACE, taking its id and name over from whoever holds
         * them (its own lost connection, which the agent may not have noticed yet); default true.
         * False: a reconnect claims them like the first registration, so a peer that took the name
         * meanwhile keeps it and this client is refused and closed (reported to {@link #onError}).
         */
        public Builder replaceOnReconnect(boolean replaceOnReconnect) {
            this.replaceOnReconnect = replaceOnReconnect;
            return this;
        }

        /**
         * Runs the connection on one loop of {@code group} instead of an I/O thread of the client's
         * own, so that many clients of one program share a few threads. The group must run NIO
         * channels ({@code new MultiThreadIoEventLoopGroup(n, NioIoHandler.newFactory())}); the client
         * does not shut it down: close the clients first, then the group.
         */
        public Builder ioThreads(EventLoopGroup group) {
            this.ioThreads = Objects.requireNonNull(group, "group");
            return this;
        }

        /** @throws IllegalArgumentException if TLS is asked for over a Unix domain socket */
        public ClientOptions build() {
            return new ClientOptions(this);
        }

        /**
         * {@code value}, at least 1 ms, and at most 2^31 - 1 ms (about 24.8 days), what a request's timeout
         * may be. The client counts in whole milliseconds: less would be 0, which Netty reads as no limit
         * at all. Longer is taken as the longest, not refused: it used to work (a heartbeat of 30 days), and
         * is meant as "hardly ever" or "never"; a Duration of centuries overflowed when the client started,
         * and the connect and handshake timeouts are added up.
         */
        private static Duration positive(Duration value, String what) {
            Objects.requireNonNull(value, what);
            if (value.compareTo(SHORTEST) < 0) {
                throw new IllegalArgumentException(what + " " + value + " is under 1 ms");
            }
            return value.compareTo(LONGEST) > 0 ? LONGEST : value;
        }
    }
}
