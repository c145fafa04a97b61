package io.msf.monitor.internal.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.msf.monitor.api.Health.ServiceHealth;
import io.msf.monitor.api.HealthStatus;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Serves {@code GET /metrics} (Prometheus text format 0.0.4; {@code ?name[]=} selects metrics, as for the
 * Prometheus client's own exporter: {@link NameParameters}) and {@code GET /health} (JSON; 503 when a
 * service is DOWN) with the JDK's HTTP server: two short read-only resources need no pipeline, and
 * it adds no bundle to the runtime (Netty's HTTP codec would). A client that stops halfway through its
 * request is cut off at a deadline ({@link RequestDeadlines}), so none can hold the endpoints up.
 */
public final class MetricsServer implements AutoCloseable {

    /**
     * The JDK's server reads each request on a thread of its executor, blocking: a client that stops halfway
     * through its request holds one until the request deadline ({@link RequestDeadlines}). So there are enough
     * for a handful of such clients to leave /health unaffected; made when wanted, ended after
     * {@link #IDLE_THREAD_SECONDS} without a request.
     */
    static final int THREADS = 16;
    /**
     * How long, from the end of a request, the server waits to have written its answer before it closes the
     * connection ({@link RequestDeadlines}): the handler's own time (/health waiting for its checks) counts.
     */
    public static final long RESPONSE_DEADLINE_SECONDS = RequestDeadlines.RESPONSE_SECONDS;
    static final int MAX_QUEUED_REQUESTS = 64;
    private static final long IDLE_THREAD_SECONDS = 30;
    private static final int BACKLOG = 16;
    private static final String TEXT = "text/plain; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;
    private final PrometheusRegistry registry;
    private final Supplier<List<ServiceHealth>> health;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    /**
     * Binds at once. The server {@linkplain MetricsRegistry#release releases} the registry when it is
     * closed, or at once if it cannot bind or start.
     *
     * @throws IOException if the address cannot be bound
     */
    public MetricsServer(InetAddress host, int port, PrometheusRegistry registry,
            Supplier<List<ServiceHealth>> health) throws IOException {
        this(host, port, registry, health, HttpServer::start);
    }

    /** How the bound server is started: {@link HttpServer#start}, but in tests that fail after the bind. */
    @FunctionalInterface
    interface Start {
        void start(HttpServer bound);
    }

    /**
     * As {@link #MetricsServer(InetAddress, int, PrometheusRegistry, Supplier)}, the bound server started by
     * {@code start}.
     */
    MetricsServer(InetAddress host, int port, PrometheusRegistry registry, Supplier<List<ServiceHealth>> health,
            Start start) throws IOException {
        this.registry = registry;
        this.health = health;
        try {
            RequestDeadlines.applyUnlessSet();
            this.server = HttpServer.create(new InetSocketAddress(host, port), BACKLOG);
        } catch (IOException | RuntimeException e) {
            MetricsRegistry.release(registry);
            throw e;
        }
        AtomicInteger number = new AtomicInteger(1);
        // Bounded: past the threads and the queue, the server closes the connections its executor refuses. (Had
        // its accepting thread run the overflow itself, one client stopped halfway would stop it accepting.)
        ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, IDLE_THREAD_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(MAX_QUEUED_REQUESTS), task -> {
                    Thread thread = new Thread(task, "msf-monitor-http-" + number.getAndIncrement());
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
        this.executor = pool;
        try {
            server.setExecutor(executor);
            server.createContext("/", this::handle);
            start.start(server);
        } catch (RuntimeException | Error e) {
            // The port is bound since create: no one would close it (the caller has no server to close), and
            // every later start of the endpoint found it in use until the JVM exited.
            try {
                letGo(server);
            } catch (RuntimeException | Error again) {
                e.addSuppressed(again);
            }
            executor.shutdownNow();
            MetricsRegistry.release(registry);
            throw e;
        }
    }

    /**
     * Closes a server bound but not started. Its stop alone does not let the port go: the JDK's server
     * registers its channel with a selector as it is created, and a channel so registered is closed at the
     * selector's next select only, which the server's dispatcher, made by start, makes. So it is started to
     * be stopped. Where start itself failed (no thread for the dispatcher) a second start is refused, and
     * the port stays bound until the JVM exits: nothing in the JDK's API closes it then.
     */
    private static void letGo(HttpServer bound) {
        try {
            bound.start();
        } finally {
            bound.stop(0);
        }
    }

    /** The address actually bound (the port when 0 was asked for). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                respond(exchange);
            } catch (RuntimeException e) {
                // A 500 if nothing was sent yet; otherwise this throws and the connection is closed.
                send(exchange, 500, TEXT, (e + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private void respond(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            send(exchange, 405, TEXT, "only GET and HEAD\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        switch (exchange.getRequestURI().getPath()) {
            case "/metrics" -> {
                Predicate<String> named = NameParameters.filter(exchange.getRequestURI().getRawQuery());
                ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
                writer.write(body, registry.scrape(named.and(MetricsRegistry::served)));
                send(exchange, 200, writer.getContentType(), body.toByteArray());
            }
            case "/health" -> {
                List<ServiceHealth> services = health.get();
                int status = HealthJson.overall(services) == HealthStatus.DOWN ? 503 : 200;
                send(exchange, status, "application/json", HealthJson.render(services).getBytes(StandardCharsets.UTF_8));
            }
            default -> send(exchange, 404, TEXT, "not found: try /metrics or /health\n".getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        MetricsRegistry.release(registry);
    }
}
