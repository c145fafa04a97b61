package io.msf.monitor.internal;

import io.msf.monitor.internal.http.MetricsServer;
import io.msf.monitor.internal.http.MetricsRegistry;
import io.msf.monitor.internal.http.MsfCollector;
import io.msf.settings.ConfigValues;
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
 * the endpoint and says why. A change refused (a host not allowed, a port out of range or taken, a
 * value that is no number: set through Config Admin, past the config gate) leaves the endpoint on the
 * address it had, the error line naming the key: scrapers and health probes keep finding it.
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

    /**
     * An endpoint serving, and the configuration it was started with: the last good one.
     *
     * @param port the port it listens on, the one picked for {@code port = 0} included
     */
    private record Running(MetricsServer server, MonitorConfiguration config, int port) {

        Running(MetricsServer server, MonitorConfiguration config) {
            this(server, config, server.address().getPort());
        }
    }

    /** Why an endpoint was not started: the message names the key. */
    private static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    private final Logger log;
    private final Monitor monitor;
    private final HealthService health;
    // volatile: a start that falls back to the previous endpoint sets them to its keys, on its own thread
    private volatile Keys keys;
    private CompletableFuture<Running> server;

    @Activate
    public MetricsEndpoint(MonitorConfiguration config, @Reference Monitor monitor, @Reference HealthService health,
            @Reference(service = LoggerFactory.class) Logger log) {
        this.log = log;
        this.monitor = monitor;
        this.health = health;
        MonitorConfiguration named = ConfigValues.naming(MonitorConfiguration.class, config, Monitor.PID);
        Keys first = null;
        CompletableFuture<Running> opened = CompletableFuture.completedFuture(null);
        try {
            first = Keys.of(named);
            opened = open(named, null);
        } catch (IllegalArgumentException e) {
            // as a bad port does: the container goes on without the endpoint, and a good change opens it
            log.error("{}; /metrics and /health are not served", e.getMessage());
        }
        this.keys = first;
        this.server = opened;
    }

    /**
     * A change of the endpoint's keys restarts it on the new ones; if they are refused, or cannot be bound,
     * it starts again on the ones it had.
     */
    @Modified
    synchronized void modified(MonitorConfiguration config) {
        MonitorConfiguration named = ConfigValues.naming(MonitorConfiguration.class, config, Monitor.PID);
        Keys next;
        try {
            next = Keys.of(named);
        } catch (IllegalArgumentException e) {
            log.error("{}; the HTTP endpoint stays as it is", e.getMessage());
            return;
        }
        if (next.equals(keys)) {
            return;
        }
        Running previous = stop();
        keys = next;
        server = open(named, previous);
    }

    @Deactivate
    synchronized void deactivate() {
        stop();
    }

    /**
     * @param previous the endpoint that served until this change, to start again where it was if this
     *     configuration is refused; null at the start, or if none served
     */
    private CompletableFuture<Running> open(MonitorConfiguration config, Running previous) {
        if (!config.httpEnabled()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Running> starting = CompletableFuture.supplyAsync(
                () -> startOrKeep(config, previous), MetricsEndpoint::startThread);
        // startOrKeep() logs every refusal; an Error (a class of the embedded Prometheus client that cannot be
        // loaded, say) would otherwise end the start thread without a word.
        starting.whenComplete((started, error) -> {
            if (error != null) {
                log.error("{}: the HTTP endpoint failed to start; /metrics and /health are not served", Monitor.PID,
                        error instanceof CompletionException ? error.getCause() : error);
            }
        });
        return starting;
    }

    /** Stops the endpoint; returns what was running, or null. */
    private Running stop() {
        // Waits for a start still under way, so that a restart on the same port finds it free.
        try {
            Running started = server.get(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
            if (started != null) {
                started.server().close();
            }
            return started;
        } catch (ExecutionException e) {
            // It failed to start, which was logged then: nothing to close.
            return null;
        } catch (TimeoutException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.warn("{}: the HTTP endpoint {}; it is closed once it has", Monitor.PID,
                    e instanceof InterruptedException ? "was still starting when the stop was interrupted"
                            : "did not finish starting within " + STOP_WAIT_SECONDS + " s");
            server.thenAccept(late -> {
                if (late != null) {
                    late.server().close();
                }
            });
            return null;
        }
    }

    private Running startOrKeep(MonitorConfiguration config, Running previous) {
        try {
            return new Running(start(config, Settings.port(config.port())), config);
        } catch (Refused | IllegalArgumentException refused) {
            String why = refused instanceof Refused ? refused.getMessage() : Monitor.PID + ": " + refused.getMessage();
            if (previous == null) {
                report(why + "; /metrics and /health are not served", refused.getCause());
                return null;
            }
            keys = Keys.of(previous.config());
            try {
                Running kept = new Running(start(previous.config(), previous.port()), previous.config());
                // told once it serves again, so that what the line says is so when it is read
                report(why + "; the HTTP endpoint serves where it was, on port " + previous.port(), refused.getCause());
                return kept;
            } catch (Refused again) {
                report(why, refused.getCause());
                report(again.getMessage() + "; /metrics and /health are not served", again.getCause());
                return null;
            }
        }
    }

    private void report(String message, Throwable cause) {
        if (cause == null) {
            log.error(message);
        } else {
            log.error(message, cause);
        }
    }

    private static void startThread(Runnable start) {
        Thread thread = new Thread(start, Monitor.THREAD_NAME + "-http-start");
        thread.setDaemon(true);
        thread.start();
    }

    private MetricsServer start(MonitorConfiguration config, int port) throws Refused {
        InetAddress host;
        try {
            host = Settings.listenAddress(config.host(), config.allowRemote());
        } catch (IllegalArgumentException e) {
            throw new Refused(Monitor.PID + ": " + e.getMessage(), null);
        }
        try {
            MetricsServer server = new MetricsServer(host, port,
                    MetricsRegistry.create(new MsfCollector(monitor::latest, monitor::openAlerts,
                            health::checkThreadsSetAside),
                            config.jvmAllocationMetrics()), health::all);
            log.info("Metrics at http://{}:{}/metrics, health at /health", server.address().getHostString(),
                    server.address().getPort());
            return server;
        } catch (IOException e) {
            throw new Refused(Monitor.PID + ": cannot listen on " + host.getHostAddress() + ":" + port
                    + " (keys 'host', 'port'): " + e.getMessage(), null);
        } catch (RuntimeException e) {
            throw new Refused(Monitor.PID + ": the metrics could not be set up", e);
        }
    }
}
