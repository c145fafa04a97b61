package io.msf.monitor.internal;

import io.msf.monitor.internal.http.MetricsServer;
import io.msf.monitor.internal.http.MetricsRegistry;
import io.msf.monitor.internal.http.MsfCollector;
import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * The HTTP endpoint of msf.monitor: {@code /metrics} (JVM, process and msf metrics in the Prometheus
 * text format) and {@code /health} (JSON). A change of its own keys restarts it on the new address;
 * a change of the others (thresholds, sampling) leaves it running where scrapers find it, also on
 * the port picked for {@code port = 0}. If the address cannot be bound the container goes on without
 * the endpoint and says why.
 *
 * <p>Not a service, so it runs as soon as it is satisfied. It starts on a thread of its own: setting up the JVM metrics takes a second or more on a busy
 * machine (class loading, MXBeans), which must not hold up the start level and so the ready line.
 */
@Component(service = {}, configurationPid = Monitor.PID)
public final class MetricsEndpoint {

    private static final long STOP_WAIT_SECONDS = 10;

    /** The keys the endpoint is made from: a change of any other leaves it as it is. */
    private record Keys(boolean httpEnabled, String host, int port, boolean allowRemote, boolean jvmAllocationMetrics) {

        static Keys of(MonitorConfiguration config) {
            return new Keys(config.httpEnabled(), config.host(), config.port(), config.allowRemote(),
                    config.jvmAllocationMetrics());
        }
    }

    private final Logger log;
    private final Monitor monitor;
    private final HealthService health;
    private Keys keys;
    private CompletableFuture<MetricsServer> server;

    @Activate
    public MetricsEndpoint(MonitorConfiguration config, @Reference Monitor monitor, @Reference HealthService health,
            @Reference(service = LoggerFactory.class) Logger log) {
        this.log = log;
        this.monitor = monitor;
        this.health = health;
        this.keys = Keys.of(config);
        this.server = open(config);
    }

    @Modified
    synchronized void modified(MonitorConfiguration config) {
        Keys next = Keys.of(config);
        if (next.equals(keys)) {
            return;
        }
        stop();
        keys = next;
        server = open(config);
    }

    @Deactivate
    synchronized void deactivate() {
        stop();
    }

    private CompletableFuture<MetricsServer> open(MonitorConfiguration config) {
        if (!config.httpEnabled()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<MetricsServer> starting = CompletableFuture.supplyAsync(
                () -> start(config, monitor, health, log), MetricsEndpoint::startThread);
        // start() logs every exception; an Error (a class of the embedded Prometheus client that cannot be
        // loaded, say) would otherwise end the start thread without a word.
        starting.whenComplete((started, error) -> {
            if (error != null) {
                log.error("{}: the HTTP endpoint failed to start; /metrics and /health are not served", Monitor.PID,
                        error instanceof CompletionException ? error.getCause() : error);
            }
        });
        return starting;
    }

    private void stop() {
        // Waits for a start still under way, so that a restart on the same port finds it free.
        try {
            MetricsServer started = server.get(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
            if (started != null) {
                started.close();
            }
        } catch (ExecutionException e) {
            // It failed to start, which was logged then: nothing to close.
        } catch (TimeoutException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.warn("{}: the HTTP endpoint {}; it is closed once it has", Monitor.PID,
                    e instanceof InterruptedException ? "was still starting when the stop was interrupted"
                            : "did not finish starting within " + STOP_WAIT_SECONDS + " s");
            server.thenAccept(late -> {
                if (late != null) {
                    late.close();
                }
            });
        }
    }

    private static void startThread(Runnable start) {
        Thread thread = new Thread(start, Monitor.THREAD_NAME + "-http-start");
        thread.setDaemon(true);
        thread.start();
    }

    private static MetricsServer start(MonitorConfiguration config, Monitor monitor, HealthService health, Logger log) {
        InetAddress host;
        try {
            host = Settings.listenAddress(config.host(), config.allowRemote());
        } catch (IllegalArgumentException e) {
            log.error("{}: {}; /metrics and /health are not served", Monitor.PID, e.getMessage());
            return null;
        }
        try {
            MetricsServer server = new MetricsServer(host, config.port(),
                    MetricsRegistry.create(new MsfCollector(monitor::latest, monitor::openAlerts,
                            health::checkThreadsSetAside),
                            config.jvmAllocationMetrics()), health::all);
            log.info("Metrics at http://{}:{}/metrics, health at /health", server.address().getHostString(),
                    server.address().getPort());
            return server;
        } catch (IOException e) {
            log.error("{}: cannot listen on {}:{} (keys 'host', 'port'): {}; /metrics and /health are not served",
                    Monitor.PID, host.getHostAddress(), config.port(), e.getMessage());
            return null;
        } catch (RuntimeException e) {
            log.error("{}: the metrics could not be set up; /metrics and /health are not served", Monitor.PID, e);
            return null;
        }
    }
}
