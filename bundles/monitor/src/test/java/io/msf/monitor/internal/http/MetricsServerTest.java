package io.msf.monitor.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.msf.monitor.api.Health.ServiceHealth;
import io.msf.monitor.api.HealthResult;
import io.msf.monitor.internal.Snapshot;
import io.msf.monitor.internal.alert.Alert;
import io.msf.monitor.internal.alert.AlertKind;
import io.msf.monitor.internal.probe.PeerFigures;
import io.msf.monitor.internal.probe.ProcessFigures;
import io.msf.monitor.internal.probe.ServiceFigures;
import io.msf.monitor.internal.probe.ThreadGroupFigures;
import java.io.IOException;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real server on an ephemeral loopback port, read by a real HTTP client and parsed back. */
class MetricsServerTest {

    private static final Snapshot SAMPLE = new Snapshot(Instant.parse("2026-01-01T00:00:00Z"),
            new ProcessFigures(1, 2, 3, 4, 5, 6, 7, 8, 9),
            List.of(new ThreadGroupFigures("msf-worker", 2, 1.5, 10, "msf-worker-1", 8)),
            List.of(new ServiceFigures("io.msf.itests.leaky", 8192, 2, 3, 1, 4, 1, 42, 0, 7, 0, 12.5, 2, 3.25, 40)),
            List.of(new PeerFigures(9, "player \"one\"", "TCP", "tcp 127.0.0.1:40000", "player \"one\"", 20, 22, 300, 400, 1, 2, 7, 1500,
                    12_500, 12_500)));

    private final List<ServiceHealth> health = new CopyOnWriteArrayList<>();
    private final HttpClient client = HttpClient.newHttpClient();
    private MetricsServer server;

    @BeforeEach
    void start() throws Exception {
        MsfCollector msf = new MsfCollector(() -> SAMPLE,
                () -> List.of(new Alert(AlertKind.MEMORY, "io.msf.itests.leaky", 8192, 4096, SAMPLE.time())), () -> 2);
        server = new MetricsServer(InetAddress.getLoopbackAddress(), 0, MetricsRegistry.create(msf, false),
                () -> List.copyOf(health));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /**
     * HttpServer.create binds at once: a failure after it (no thread for the server's dispatcher, say)
     * left the port bound until the JVM exited, and every later start of the endpoint found it in use.
     */
    @Test
    void aServerThatFailsAfterItsBindLetsItsPortGo() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        PrometheusRegistry registry = MetricsRegistry.create(() -> new MetricSnapshots(), false);

        assertThatThrownBy(() -> new MetricsServer(InetAddress.getLoopbackAddress(), port, registry, List::of,
                bound -> {
                    throw new IllegalStateException("no thread for the dispatcher");
                })).isInstanceOf(IllegalStateException.class).hasMessage("no thread for the dispatcher");

        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void servesMsfAndJvmMetricsInTheTextFormat() throws Exception {
        HttpResponse<String> response = get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
        Map<String, Double> samples = TextFormat.parse(response.body());
        assertThat(samples).containsEntry("msf_service_pooled_bytes{service=\"io.msf.itests.leaky\"}", 8192.0)
                .containsEntry("msf_service_timers_pending{service=\"io.msf.itests.leaky\"}", 3.0)
                .containsEntry("msf_service_agent_messages_total{service=\"io.msf.itests.leaky\"}", 42.0)
                .containsEntry("msf_service_agent_latency_p99_seconds{service=\"io.msf.itests.leaky\"}", 0.0125)
                .containsEntry("msf_thread_cpu_seconds_total{group=\"msf-worker\"}", 1.5)
                .containsEntry("msf_alert_active{kind=\"memory\",subject=\"io.msf.itests.leaky\"}", 1.0)
                .containsEntry("msf_health_check_threads_set_aside", 2.0)
                .containsEntry("msf_peer_messages_received_total{kind=\"TCP\","
                        + "peer=\"player \\\"one\\\"\",service=\"player \\\"one\\\"\",version=\"\"}", 20.0)
                .containsEntry("msf_peer_latency_seconds{kind=\"TCP\","
                        + "peer=\"player \\\"one\\\"\",quantile=\"0.99\",service=\"player \\\"one\\\"\",version=\"\"}", 0.0125);
        assertThat(samples.keySet()).anyMatch(name -> name.startsWith("jvm_memory_used_bytes{area=\"heap\""))
                .anyMatch(name -> name.startsWith("process_cpu_seconds_total"))
                .anyMatch(name -> name.startsWith("jvm_threads_current"))
                .anyMatch(name -> name.startsWith("jvm_gc_collection_seconds_count"))
                .noneMatch(name -> name.startsWith("jvm_native_memory"));
    }

    /**
     * {@code name[]}, the Prometheus client's filter of its HTTP exporter (and a scrape job's {@code params}),
     * was ignored: every metric was served. It selects metrics by name, a counter's by its name with or
     * without {@code _total}; the two names measured with a stop-the-world pause stay out even if asked for.
     */
    @Test
    void servesOnlyTheMetricsNamedByNameParameters() throws Exception {
        HttpResponse<String> one = get("/metrics?name%5B%5D=msf_health_check_threads_set_aside");
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(TextFormat.parse(one.body())).containsOnlyKeys("msf_health_check_threads_set_aside");

        Map<String, Double> two = TextFormat.parse(get("/metrics?name%5B%5D=msf_health_check_threads_set_aside"
                + "&name%5B%5D=msf_service_agent_messages_total&name%5B%5D=jvm_threads_deadlocked").body());
        assertThat(two).containsOnlyKeys("msf_health_check_threads_set_aside",
                "msf_service_agent_messages_total{service=\"io.msf.itests.leaky\"}");

        // as curl -g sends it: the brackets unencoded
        String answer = sentAsItIs("/metrics?name[]=msf_health_check_threads_set_aside");
        assertThat(answer).startsWith("HTTP/1.1 200 ");
        assertThat(TextFormat.parse(answer.substring(answer.indexOf("\r\n\r\n") + 4)))
                .containsOnlyKeys("msf_health_check_threads_set_aside");
    }

    /** The answer to a GET of {@code target} written as it is: an HTTP client would encode it, or refuse it. */
    private String sentAsItIs(String target) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.address().getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void servesHealthAsJsonWith503WhenAServiceIsDown() throws Exception {
        HttpResponse<String> healthy = get("/health");
        assertThat(healthy.statusCode()).isEqualTo(200);
        assertThat(healthy.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(healthy.body()).isEqualTo("{\"status\":\"UP\",\"services\":[]}");

        health.add(new ServiceHealth("io.x", HealthResult.down("no database"), List.of()));
        HttpResponse<String> down = get("/health");
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body()).contains("\"status\":\"DOWN\"", "\"service\":\"io.x\"", "no database");
    }

    @Test
    void answersOnlyGetAndHeadOnItsTwoPaths() throws Exception {
        assertThat(get("/nothing").statusCode()).isEqualTo(404);
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(uri("/metrics"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        HttpResponse<String> head = client.send(HttpRequest.newBuilder(uri("/metrics"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void listensWhereItWasTold() {
        assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
        assertThat(server.address().getPort()).isPositive();
    }

    /**
     * A handful of clients that connect and stop halfway through a request: each holds a thread until its
     * deadline, and /health answers meanwhile. (With two threads, two such clients held it up for as long as
     * they stayed connected.)
     */
    @Test
    void aHandfulOfClientsThatStopHalfwayThroughARequestHoldNobodyUp() throws Exception {
        List<Socket> stalled = stall(8);
        try {
            HttpResponse<String> health = client.send(HttpRequest.newBuilder(uri("/health"))
                    .timeout(Duration.ofSeconds(RequestDeadlines.REQUEST_SECONDS * 4)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(health.statusCode()).isEqualTo(200);
            stalled.get(0).setSoTimeout(1);
            assertThatThrownBy(() -> stalled.get(0).getInputStream().read())
                    .as("answered while the stalled clients were still connected, not once they were cut off")
                    .isInstanceOf(SocketTimeoutException.class);
        } finally {
            close(stalled);
        }
    }

    /**
     * More such clients than the server has threads and queued requests together: those beyond are refused
     * at once, those it took are cut off at the request deadline, and /health answers again then. (Without
     * a deadline they held it up for as long as they stayed connected.)
     */
    @Test
    void clientsBeyondWhatTheServerHoldsAreRefusedAndTheOthersCutOffAtTheDeadline() throws Exception {
        List<Socket> stalled = stall(MetricsServer.THREADS + MetricsServer.MAX_QUEUED_REQUESTS + 8);
        try {
            assertThat(stalled.get(0).getInputStream().read()).as("the first stalled client, cut off").isEqualTo(-1);
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(RequestDeadlines.REQUEST_SECONDS * 4);
            HttpResponse<String> health = null;
            while (health == null) {
                try {
                    health = get("/health");
                } catch (IOException refusedMeanwhile) {
                    assertThat(System.nanoTime()).as("answered again in time").isLessThan(giveUp);
                    Thread.sleep(100);
                }
            }
            assertThat(health.statusCode()).isEqualTo(200);
        } finally {
            close(stalled);
        }
    }

    /** Clients that each send the start of a request and no more. */
    private List<Socket> stall(int clients) throws IOException {
        List<Socket> stalled = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Socket socket = new Socket();
            socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(RequestDeadlines.REQUEST_SECONDS * 4));
            socket.connect(server.address(), 5000);
            socket.getOutputStream().write("GET /hea".getBytes(StandardCharsets.US_ASCII));
            stalled.add(socket);
        }
        return stalled;
    }

    private static void close(List<Socket> sockets) throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.address().getPort() + path);
    }
}
