package io.msf.monitor.internal;

import io.msf.monitor.api.Health;
import io.msf.monitor.internal.http.MetricsServer;
import io.msf.monitor.internal.http.MetricsRegistry;
import io.msf.monitor.internal.http.MsfCollector;
import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * The HTTP endpoint of msf.monitor: {@code /metrics} (JVM, process and msf metrics in the Prometheus
 * text format) and {@code /health} (JSON). A configuration change restarts it on the new address.
 * If the address cannot be bound the container goes on without the endpoint and says why.
 *
 * <p>Not a service, so it runs as soon as it is satisfied. It starts on a thread of its own: setting up the JVM metrics takes a second or more on a busy
 * machine (class loading, MXBeans), which must not hold up the start level and so the ready line.
 */
@Component(service = {}, configurationPid = Monitor.PID)
public final class MetricsEndpoint {

    private static final long STOP_WAIT_SECONDS = 10;

    private final Logger log;
    private final CompletableFuture<MetricsServer> server;

    @Activate
    public MetricsEndpoint(MonitorConfiguration config, @Reference Monitor monitor, @Reference Health health,
            @Reference(service = LoggerFactory.class) Logger log) {
        this.log = log;
        this.server = config.httpEnabled()
                ? CompletableFuture.supplyAsync(() -> start(config, monitor, health, log), MetricsEndpoint::startThread)
                : CompletableFuture.completedFuture(null);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        // Waits for a start still under way, so that a restart on the same port finds it free.
        try {
            MetricsServer started = server.get(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
            if (started != null) {
                started.close();
            }
        } catch (ExecutionException | TimeoutException e) {
            log.warn("{}: the HTTP endpoint did not finish starting within {} s; it is closed once it has",
                    Monitor.PID, STOP_WAIT_SECONDS);
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

    private static MetricsServer start(MonitorConfiguration config, Monitor monitor, Health health, Logger log) {
        InetAddress host;
        try {
            host = Settings.listenAddress(config.host(), config.allowRemote());
        } catch (IllegalArgumentException e) {
            log.error("{}: {}; /metrics and /health are not served", Monitor.PID, e.getMessage());
            return null;
        }
        try {
            MetricsServer server = new MetricsServer(host, config.port(),
                    MetricsRegistry.create(new MsfCollector(monitor::latest, monitor::openAlerts),
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
