package io.msf.monitor.internal;

import io.msf.monitor.internal.http.MetricsServer;
import io.msf.monitor.internal.http.MetricsRegistry;
import io.msf.monitor.internal.http.MsfCollector;
import io.msf.problems.ProblemMarker;
import io.msf.problems.Retry;
import io.msf.settings.ConfigValues;
import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * The HTTP endpoint of msf.monitor: {@code /metrics} (JVM, process and msf metrics in the Prometheus
 * text format) and {@code /health} (JSON). A change of its own keys moves it to the new address, bound before
 * the old one is closed; a change of the others (thresholds, sampling) leaves it running where scrapers find
 * it, also on the port picked for {@code port = 0}. If the address cannot be bound where nothing served, the
 * container goes on without the endpoint and says why, and it is tried again in the background ({@link Retry})
 * until it can be: the previous container still stopping, or another exporter, held the port. A change refused
 * (a host not allowed, a port out of range or taken, a value that is no number: set through Config Admin, past
 * the config gate) leaves the endpoint serving untouched, its connections open, the error line naming the key:
 * scrapers and health probes keep finding it. Only a change that keeps its address (another
 * {@code jvmAllocationMetrics}) restarts it there, one socket alone being able to listen on it.
 *
 * <p>While it is enabled and nothing serves, that error is also the monitor's problem ({@link ProblemMarker}):
 * the launcher's ready report and msf:health show it, as they show a configured endpoint of the net bundle
 * that cannot listen ({@code /health} cannot: it is this endpoint's).
 *
 * <p>Not a service, so it runs as soon as it is satisfied. It starts on a thread of its own: setting up the JVM metrics takes a second or more on a busy
 * machine (class loading, MXBeans), which must not hold up the start level and so the ready line.
 */
@Component(service = {}, configurationPid = Monitor.PID)
public final class MetricsEndpoint {

    private static final long STOP_WAIT_SECONDS = 10;
    static final String RETRY_THREAD_NAME = "msf-monitor-rebind";

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

    /**
     * Why an endpoint was not started: the message names the key.
     *
     * @param unbound the address could not be bound (a port taken): worth trying again as it is
     */
    private static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean unbound;

        Refused(String message, Throwable cause) {
            this(message, cause, false);
        }

        Refused(String message, Throwable cause, boolean unbound) {
            super(message, cause, false, false);
            this.unbound = unbound;
        }
    }

    /**
     * A change or stop came while the start thread looked a host up: what that thread was about to bind is no longer
     * wanted, and it binds nothing.
     */
    private static final class Abandoned extends Exception {
        private static final long serialVersionUID = 1L;

        Abandoned() {
            super(null, null, false, false);
        }
    }

    /**
     * The start thread looks a host up (a slow DNS may take many seconds); {@code serving}, the endpoint that
     * serves meanwhile, or null.
     */
    private record LookingUp(Running serving) {
    }

    /** An endpoint that could not be bound, to bind in the background; {@code opening} is the open it is of. */
    private record Unbound(MonitorConfiguration config, int port, long opening) {
    }

    private final Settings.HostResolver resolver;
    private final Logger log;
    private final Monitor monitor;
    private final HealthService health;
    // volatile: a start that falls back to the previous endpoint sets them to its keys, on its own thread
    private volatile Keys keys;
    private CompletableFuture<Running> server;
    /**
     * Guards {@link #opening}, {@link #unbound}, {@link #failedBinds}, {@link #lookingUp} and what {@link #notServed}
     * shows: the start thread sets them while {@link #stop()} waits for it, holding the endpoint's lock.
     */
    private final Object rebindLock = new Object();
    /** Counts the opens and stops: an attempt for an earlier open (one that started late) binds nothing. */
    private long opening;
    private Unbound unbound;
    private int failedBinds;
    /** While the start thread looks a host up, else null: a stop does not wait for it (see {@link #stop()}). */
    private LookingUp lookingUp;
    /** Why nothing serves, while the endpoint is enabled: the monitor's msf.problems. */
    private final ProblemMarker notServed;
    private final ScheduledThreadPoolExecutor retryThread = Retry.retryThread(RETRY_THREAD_NAME);
    private final Retry rebind = new Retry(Monitor.PID,
            Retry.on(retryThread, "the monitor is stopping"), this::bindAgain,
            why -> warnUnscheduled(why), (problem, followed) -> reportThrown(problem, followed));

    @Activate
    public MetricsEndpoint(MonitorConfiguration config, BundleContext context, @Reference Monitor monitor,
            @Reference HealthService health, @Reference(service = LoggerFactory.class) Logger log) {
        this(config, context, monitor, health, log, InetAddress::getByName);
    }

    /** @param resolver looks the host up, on the endpoint's own threads */
    MetricsEndpoint(MonitorConfiguration config, BundleContext context, Monitor monitor, HealthService health,
            Logger log, Settings.HostResolver resolver) {
        this.resolver = resolver;
        this.log = log;
        this.monitor = monitor;
        this.health = health;
        this.notServed = new ProblemMarker(context);
        MonitorConfiguration named = ConfigValues.naming(MonitorConfiguration.class, config, Monitor.PID);
        Keys first = null;
        CompletableFuture<Running> opened = CompletableFuture.completedFuture(null);
        try {
            first = Keys.of(named);
            opened = open(named);
        } catch (IllegalArgumentException e) {
            // as a bad port does: the container goes on without the endpoint, and a good change opens it
            log.error("{}; /metrics and /health are not served", e.getMessage());
            if (enabled(named)) {
                notServed.publish(e.getMessage() + "; /metrics and /health are not served");
            }
        }
        this.keys = first;
        this.server = opened;
    }

    /**
     * A change of the endpoint's keys moves it to the new ones, bound before the old ones are closed; refused ones
     * (a host not allowed or unknown, a port out of range or taken) leave it serving as it was. All of it on the
     * endpoint's own thread: looking a host up may wait for a slow DNS, which on Config Admin's thread would hold
     * up every other configuration.
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
        // the same keys leave a running endpoint as it is; none running (it could not start), they start it now
        if (next.equals(keys) && !nothingRuns()) {
            return;
        }
        long itsOpening;
        synchronized (rebindLock) {
            itsOpening = ++opening;
            keys = next;
            unbound = null;
            rebind.restart(false);
            notServed.publish(null);
        }
        // after the changes before it, so that the last one is in force; one that failed left nothing serving
        server = logFailure(server.handle((running, failed) -> running).thenApplyAsync(
                previous -> change(named, next, previous, itsOpening), MetricsEndpoint::startThread), itsOpening);
    }

    @Deactivate
    synchronized void deactivate() {
        stop();
        rebind.close();
        retryThread.shutdown();
    }

    /** Whether the configuration asks for the endpoint; one whose httpEnabled cannot be read does, as by default. */
    private static boolean enabled(MonitorConfiguration config) {
        try {
            return config.httpEnabled();
        } catch (IllegalArgumentException unreadable) {
            return true;
        }
    }

    /** The start is over and left nothing serving (a background attempt may be due). */
    private boolean nothingRuns() {
        return server.isDone() && server.handle((started, error) -> started == null).join();
    }

    private CompletableFuture<Running> open(MonitorConfiguration config) {
        if (!config.httpEnabled()) {
            return CompletableFuture.completedFuture(null);
        }
        long itsOpening;
        synchronized (rebindLock) {
            itsOpening = ++opening;
        }
        return logFailure(CompletableFuture.supplyAsync(() -> startOrKeep(config, null, itsOpening),
                MetricsEndpoint::startThread), itsOpening);
    }

    private CompletableFuture<Running> logFailure(CompletableFuture<Running> starting, long itsOpening) {
        // startOrKeep() and change() log every refusal; an Error (a class of the embedded Prometheus client that
        // cannot be loaded, say) would otherwise end the start thread without a word.
        starting.whenComplete((started, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                log.error("{}: the HTTP endpoint failed to start; /metrics and /health are not served", Monitor.PID,
                        cause);
                showNotServed(Monitor.PID + ": the HTTP endpoint failed to start (" + cause
                        + "); /metrics and /health are not served", itsOpening);
            }
        });
        return starting;
    }

    /**
     * Stops the endpoint and the attempts to bind it. A start or change under way is made moot first, so that it
     * binds nothing from here on; one that binds now is waited for, so that a restart on the same port finds it
     * free. One that looks a host up is not: a slow DNS held up the stop, SCR's deactivate and with it the
     * bundle's stop, for up to {@value #STOP_WAIT_SECONDS} s.
     */
    private void stop() {
        LookingUp abandoned;
        synchronized (rebindLock) {
            opening++;
            unbound = null;
            rebind.restart(false);
            notServed.publish(null);
            abandoned = lookingUp;
        }
        if (abandoned == null) {
            stopServer();
        } else {
            abandon(abandoned.serving());
        }
    }

    /**
     * Closes what serves while the start thread looks a host up, and whatever the starts after it leave open once
     * they are over: the one that looks up binds nothing after its lookup (it is no longer the latest), but a
     * stop cannot tell when that ends.
     */
    private void abandon(Running serving) {
        if (serving != null) {
            serving.server().close();
        }
        server.thenAccept(late -> {
            if (late != null && late != serving) {
                late.server().close();
            }
        });
    }

    private void stopServer() {
        // Waits for a start still under way, so that a restart on the same port finds it free.
        try {
            Running started = server.get(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
            if (started != null) {
                started.server().close();
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
                    late.server().close();
                }
            });
        }
    }

    /**
     * Moves the endpoint that serves, {@code previous}, to {@code config}: the new address is bound first and the
     * old one closed once the new one serves, so that a change refused (a host not allowed or unknown, a port out
     * of range or taken) leaves it, and its connections, untouched. Only the address it listens on itself has to
     * be closed before it can be bound again (the same one with another {@code jvmAllocationMetrics}).
     *
     * @param itsKeys the keys of {@code config}, read when the change came
     */
    private Running change(MonitorConfiguration config, Keys itsKeys, Running previous, long itsOpening) {
        if (!itsKeys.httpEnabled()) {
            if (previous != null) {
                previous.server().close();
            }
            return null;
        }
        if (previous == null) {
            return startOrKeep(config, null, itsOpening);
        }
        if (!isLatest(itsOpening) || itsKeys.equals(Keys.of(previous.config()))) {
            // a later change (or a stop) follows, which moves it; or this one was undone before it was applied
            return previous;
        }
        InetAddress host;
        int port;
        try {
            host = lookUp(config, previous, itsOpening);
            port = Settings.port(config.port());
        } catch (Abandoned abandoned) {
            return previous; // a later change moves it, or the stop has closed it
        } catch (Refused refused) {
            return keep(previous, refused.getMessage(), null, itsOpening);
        } catch (IllegalArgumentException refused) {
            return keep(previous, Monitor.PID + ": " + refused.getMessage(), null, itsOpening);
        } catch (Error e) {
            return failedToMove(previous, e, itsOpening);
        }
        if (bindsTheSameSocket(host, port, previous)) {
            previous.server().close();
            return startOrKeep(config, previous, itsOpening);
        }
        Running moved;
        try {
            moved = new Running(start(config, host, port), config);
        } catch (Refused refused) {
            return keep(previous, refused.getMessage(), refused.getCause(), itsOpening);
        } catch (Error e) {
            return failedToMove(previous, e, itsOpening);
        }
        previous.server().close();
        return moved;
    }

    /**
     * An Error (a class of the embedded Prometheus client that cannot be loaded) while the endpoint that serves is
     * still open: it is kept, since a change that failed would leave it serving where nothing could close it.
     */
    private Running failedToMove(Running previous, Error e, long itsOpening) {
        return keep(previous, Monitor.PID + ": the HTTP endpoint failed to move (" + e + ")", e, itsOpening);
    }

    /** The endpoint that serves stays: its keys are the ones in force again, so that saving the refused ones retries. */
    private Running keep(Running previous, String why, Throwable cause, long itsOpening) {
        restoreKeys(previous, itsOpening);
        report(why + "; the HTTP endpoint serves where it was, on port " + previous.port(), cause);
        return previous;
    }

    private void restoreKeys(Running previous, long itsOpening) {
        synchronized (rebindLock) {
            if (itsOpening == opening) {
                keys = Keys.of(previous.config());
            }
        }
    }

    private boolean isLatest(long itsOpening) {
        synchronized (rebindLock) {
            return itsOpening == opening;
        }
    }

    /** Whether {@code host:port} cannot be bound while {@code running} listens: its own port, on an address that overlaps. */
    private static boolean bindsTheSameSocket(InetAddress host, int port, Running running) {
        InetAddress bound = running.server().address().getAddress();
        return port != 0 && port == running.port()
                && (host.equals(bound) || host.isAnyLocalAddress() || bound.isAnyLocalAddress());
    }

    private Running startOrKeep(MonitorConfiguration config, Running previous, long itsOpening) {
        try {
            return new Running(start(config, Settings.port(config.port()), itsOpening), config);
        } catch (Abandoned abandoned) {
            return null; // a later change starts it, or the stop has come
        } catch (Refused | IllegalArgumentException refused) {
            String why = refused instanceof Refused ? refused.getMessage() : Monitor.PID + ": " + refused.getMessage();
            if (previous == null) {
                reportNotServed(why + "; /metrics and /health are not served" + retriedIfUnbound(refused, config,
                        config.port(), itsOpening), refused.getCause(), itsOpening);
                return null;
            }
            restoreKeys(previous, itsOpening);
            try {
                Running kept = new Running(start(previous.config(), previous.port(), itsOpening), previous.config());
                // told once it serves again, so that what the line says is so when it is read
                report(why + "; the HTTP endpoint serves where it was, on port " + previous.port(), refused.getCause());
                return kept;
            } catch (Abandoned abandoned) {
                return null;
            } catch (Refused again) {
                report(why, refused.getCause());
                reportNotServed(again.getMessage() + "; /metrics and /health are not served" + retriedIfUnbound(again,
                        previous.config(), previous.port(), itsOpening), again.getCause(), itsOpening);
                return null;
            }
        }
    }

    /**
     * Has an address that could not be bound tried again in the background, unless a later open or a stop
     * came first; says so for the error line. A refusal of another kind (a host not allowed) is not.
     */
    private String retriedIfUnbound(Exception refused, MonitorConfiguration config, int port, long itsOpening) {
        if (!(refused instanceof Refused r) || !r.unbound) {
            return "";
        }
        synchronized (rebindLock) {
            if (itsOpening != opening) {
                return "";
            }
            unbound = new Unbound(config, port, itsOpening);
            failedBinds = 1;
            rebind.restart(true);
        }
        return "; tried again in the background until it can be bound";
    }

    /**
     * One background attempt to bind the endpoint that could not be; says whether to try again. The host is looked
     * up and the endpoint set up and bound outside the endpoint's lock, which a change on Config Admin's thread
     * waits for: setting up the JVM metrics takes a second or more on a busy machine. Under it, the endpoint bound
     * becomes the one in force if it is still wanted; if a change or stop came meanwhile, it is closed at once. One
     * made moot during the lookup binds nothing.
     */
    private boolean bindAgain() {
        Unbound wanted = wantedUnbound();
        if (wanted == null) {
            return false;
        }
        Running started;
        try {
            InetAddress host = resolve(wanted.config());
            if (wanted != wantedUnbound()) {
                // a stop (or change) came during the lookup, and waited for none: bound now, the port would be
                // taken and the JVM metrics set up past the bundle's stop
                return false;
            }
            started = new Running(start(wanted.config(), host, wanted.port()), wanted.config());
        } catch (Refused refused) {
            return refusedAgain(wanted, refused);
        }
        synchronized (this) {
            if (wanted == wantedUnbound()) {
                int failed;
                synchronized (rebindLock) {
                    unbound = null;
                    failed = failedBinds;
                    notServed.publish(null);
                }
                server = CompletableFuture.completedFuture(started);
                log.info("{}: the HTTP endpoint is bound after {} failed attempt(s)", Monitor.PID, failed);
                return false;
            }
        }
        // the change binds what it asks for, on the port this one holds too, perhaps: not under the lock it waits for
        started.server().close();
        log.info("{}: the HTTP endpoint bound in the background is closed again: a change or stop came meanwhile",
                Monitor.PID);
        return false;
    }

    /** The endpoint to bind in the background, if a change or stop has not made it moot; else null. */
    private Unbound wantedUnbound() {
        synchronized (rebindLock) {
            return unbound != null && unbound.opening() == opening ? unbound : null;
        }
    }

    /** A background attempt failed: one that could not bind is tried again; any other is told, unless moot by now. */
    private boolean refusedAgain(Unbound wanted, Refused refused) {
        if (wanted != wantedUnbound()) {
            return false;
        }
        if (!refused.unbound) {
            reportNotServed(refused.getMessage() + "; /metrics and /health are not served", refused.getCause(),
                    wanted.opening());
            return false;
        }
        synchronized (rebindLock) {
            failedBinds++;
        }
        log.debug("{}; tried again later", refused.getMessage());
        return true;
    }

    private void warnUnscheduled(String why) {
        log.warn("{}: cannot schedule the next attempt to bind the HTTP endpoint: {}", Monitor.PID, why);
    }

    private void reportThrown(Throwable problem, String followed) {
        log.error("{}: an attempt to bind the HTTP endpoint threw; {}", Monitor.PID, followed, problem);
    }

    /** Says why nothing serves, and shows it as the monitor's problem unless a later open or a stop came first. */
    private void reportNotServed(String message, Throwable cause, long itsOpening) {
        report(message, cause);
        showNotServed(message, itsOpening);
    }

    private void showNotServed(String message, long itsOpening) {
        synchronized (rebindLock) {
            if (itsOpening == opening) {
                notServed.publish(message);
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

    /** Looks the host up (on the thread that calls: not Config Admin's), and binds, unless a change or stop came first. */
    private MetricsServer start(MonitorConfiguration config, int port, long itsOpening) throws Refused, Abandoned {
        return start(config, lookUp(config, null, itsOpening), port);
    }

    /**
     * Looks the host of {@code config} up for the start or change {@code itsOpening}, {@code serving} meanwhile;
     * abandoned if a later change or a stop came before the lookup or during it, whether the host was found or not.
     */
    private InetAddress lookUp(MonitorConfiguration config, Running serving, long itsOpening) throws Refused, Abandoned {
        synchronized (rebindLock) {
            if (itsOpening != opening) {
                throw new Abandoned();
            }
            lookingUp = new LookingUp(serving);
        }
        InetAddress host = null;
        Refused refused = null;
        try {
            host = resolve(config);
        } catch (Refused e) {
            refused = e;
        } finally {
            synchronized (rebindLock) {
                lookingUp = null;
            }
        }
        // A stop that came meanwhile has closed what serves and waits for nothing: binding now would outlive it,
        // and a refusal told now would say the endpoint it closed serves where it was.
        if (!isLatest(itsOpening)) {
            throw new Abandoned();
        }
        if (refused != null) {
            throw refused;
        }
        return host;
    }

    private InetAddress resolve(MonitorConfiguration config) throws Refused {
        try {
            return Settings.listenAddress(config.host(), config.allowRemote(), resolver);
        } catch (IllegalArgumentException e) {
            throw new Refused(Monitor.PID + ": " + e.getMessage(), null);
        }
    }

    private MetricsServer start(MonitorConfiguration config, InetAddress host, int port) throws Refused {
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
                    + " (keys 'host', 'port'): " + e.getMessage(), null, true);
        } catch (RuntimeException e) {
            throw new Refused(Monitor.PID + ": the metrics could not be set up", e);
        }
    }
}
