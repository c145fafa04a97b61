package io.msf.net.internal;

import io.msf.event.api.BoundEventLoopService;
import io.msf.event.api.EventLoopService;
import io.msf.mempool.api.MemoryPoolAdmin;
import io.msf.net.api.ChannelSetup;
import io.msf.net.api.EndpointInfo;
import io.msf.net.api.EndpointSpec;
import io.msf.problems.Retry;
import io.msf.text.ControlCharacters;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;

/**
 * An endpoint declared by an {@code msf.net.endpoint~<name>} configuration, owned by the network
 * bundle. It opens once its handler service is there, closes while the handler is gone, and
 * follows configuration changes live, keeping the last good state when a change cannot be applied.
 * This class reads the configuration, lists the endpoint and tracks its handler; what it has open
 * and how that moves to new settings is its {@link EndpointSwitch}'s.
 *
 * <p>An endpoint that could not be opened (FAILED: a port another process holds, a socket path that
 * cannot be used, values that cannot be read) is a problem of the container, published as
 * {@link EndpointProblem msf.problems} until it serves. A server that could not be bound is bound again
 * in the background ({@link Retry}: 1 s, doubling up to 30 s), so it serves soon after its address is
 * free, without a configuration change. The attempts run on a thread of the endpoint's own,
 * {@code msf-net-rebind-<pid>}, there only while they go on (and a minute after): a bind waits for its
 * outcome, which neither an io loop (the channel may be registered on that very loop) nor a pool the
 * whole JVM shares should.
 *
 * <p>A TLS server also looks there every {@code tlsStoreCheckMillis} whether its key or trust store was
 * replaced on disk, and reads it again for the connections it accepts next ({@link TlsStoreWatch}): that
 * thread then stays while the server's settings say TLS (a read takes milliseconds, not for an io loop).
 * A client's attempts look its host up and read its TLS stores there too, for the same reason.
 */
@Component(service = {}, configurationPid = ConfiguredEndpoint.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = EndpointConfiguration.class, factory = true)
public final class ConfiguredEndpoint implements ServiceTrackerCustomizer<ChannelSetup, ChannelSetup>,
        EndpointSwitch.Problems {

    static final String FACTORY_PID = "msf.net.endpoint";
    /** Names the thread that binds again: {@code msf-net-rebind-<pid>}. */
    static final String RETRY_THREAD_PREFIX = "msf-net-rebind-";

    private final String pid;
    private final BundleContext context;
    private final Bundle bundle;
    private final EndpointRegistry registry;
    private final EndpointSwitch serving;
    private final DomainSocketFiles socketFiles;
    private final Logger log;
    private final LongAdder configErrors = new LongAdder();
    private final EndpointProblem problem;
    /** Binds a server that could not be bound again, until it is or the configuration changes. */
    private final Retry rebind;
    /**
     * Where {@link #rebind} waits and binds, {@link #storeWatch} checks and a client prepares its attempts; shut
     * down with the component.
     */
    private final ScheduledThreadPoolExecutor retryThread;
    /** Reads a TLS server's replaced stores again, every {@link #storeCheckMillis} while its settings say TLS. */
    private final TlsStoreWatch storeWatch;

    // Changed under this object's lock; volatile where info() reads them without it.
    private volatile String name;
    private EndpointRegistry.Registration registration;
    private volatile EndpointSpec spec;
    private String handler;
    private ServiceTracker<ChannelSetup, ChannelSetup> tracker;
    private ChannelSetup setup;
    /** Why the endpoint is not open although it could be; null while it is open or waiting for its handler. */
    private volatile String failure;
    private volatile String lastError = "";
    /**
     * The address (and handler) a change asked for that could not be bound, nor the old one again: the
     * retry binds the old one, the last that served, and says this change is not applied. Null otherwise.
     */
    private String changeNotApplied;
    /** A configuration refused for its name, which another configuration has, while it waits for it. */
    private EndpointConfiguration waitingConfig;
    private EndpointRegistry.Registration nameWait;
    /** The attempts to bind that failed since the endpoint could last be bound, the first included, and since when. */
    private int failedBinds;
    private long failingSinceNanos;
    /** The configured tlsStoreCheckMillis (0: the stores are read again only on a change). */
    private int storeCheckMillis;

    @Activate
    public ConfiguredEndpoint(EndpointConfiguration config, Map<String, Object> properties, ComponentContext context,
            @Reference(service = BoundEventLoopService.class, target = EndpointOpener.IO_LOOPS) EventLoopService loops, @Reference MemoryPoolAdmin pools, @Reference EndpointRegistry registry,
            @Reference(service = LoggerFactory.class) Logger log) {
        // As every line shows it: a file name (factory~name) may hold a line feed, which split the line it was in.
        this.pid = ControlCharacters.escapedOnOneLine(String.valueOf(properties.getOrDefault(Constants.SERVICE_PID,
                FACTORY_PID)));
        this.context = context.getBundleContext();
        this.bundle = this.context.getBundle();
        this.registry = registry;
        this.log = log;
        this.socketFiles = DomainSocketFiles.forContext(this.context, loops.transport());
        EndpointOpener opener = new EndpointOpener(bundle.getSymbolicName(), pid, loops,
                pools.poolFor(bundle).allocator(), socketFiles, log);
        // a thread of its own for the attempts: one that may block for a bind (or a client's host lookup), not
        // crowded out by other bundles
        this.retryThread = Retry.retryThread(RETRY_THREAD_PREFIX + pid);
        this.serving = new EndpointSwitch(pid, bundle.getSymbolicName(), opener, retryThread, this, log);
        this.problem = new EndpointProblem(this.context, pid);
        this.storeWatch = new TlsStoreWatch(pid, log, retryThread, this, () -> name, serving::bound,
                warning -> problem.warn(name, warning));
        this.rebind = new Retry(pid, Retry.on(retryThread, "the endpoint is being deactivated"), this::bindAgain,
                why -> log.warn("{}: cannot schedule the next attempt to bind: {}", pid, why),
                (problem, followed) -> log.error("{}: an attempt to bind threw; {}", pid, followed, problem));
        synchronized (this) {
            try {
                apply(config);
            } catch (RuntimeException | Error e) {
                // SCR calls no deactivate for an activation that threw: end what apply began (the retry
                // thread, a tracker, a published problem) before it goes
                close();
                throw e;
            }
        }
    }

    @Modified
    synchronized void modified(EndpointConfiguration config) {
        apply(config);
    }

    /**
     * Closes the endpoint. Its configuration deleted, a service it uses gone (or changed: SCR deactivates for a
     * static reference's update) or its component disabled each say so in one INFO line when something was
     * open, naming the endpoint, where it was, why, and the connections closed with it: the open one said where
     * it listens, and a peer whose connection is cut should leave a trace on this side. The bundle or the
     * container stopping (and a changed configuration SCR cannot apply live) stay quiet: they close or reopen
     * every endpoint, as expected.
     */
    @Deactivate
    synchronized void deactivate(int reason) {
        EndpointInfo open = serving.info();
        EndpointSpec closing = spec;
        close();
        String why = switch (reason) {
            case ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED -> "its configuration deleted";
            case ComponentConstants.DEACTIVATION_REASON_REFERENCE -> "a service it uses went away or changed"
                    + " (msf.event's io loops, msf.mempool or the endpoint registry), until it is back";
            case ComponentConstants.DEACTIVATION_REASON_DISABLED -> "its component disabled";
            default -> null;
        };
        if (open != null && closing != null && why != null) {
            int connections = open.connections();
            log.info("{}: {} on {} closed, {}{}", pid, EndpointSwitch.what(closing), open.address(), why,
                    connections == 0 ? "" : "; its " + connections + " open connection(s) closed with it");
        }
    }

    /** Ends everything the component began: its endpoint, the attempts, the tracker, a published problem. */
    private void close() {
        rebind.close();
        storeWatch.stop();
        retryThread.shutdown();
        stopWaitingForName();
        stopTracking();
        if (registration != null) {
            registration.remove();
            registration = null;
        }
        failure(null);
    }


    /**
     * One background attempt to bind the server that could not be bound; says whether to try again. Its
     * failure is not logged as an error again (the first one was): the problem shown says why as of now.
     */
    private synchronized boolean bindAgain() {
        if (failure == null || spec == null || setup == null || serving.isOpen() || !canListen(spec)) {
            return false;
        }
        String why = serving.bindAgain(spec, setup);
        if (why != null) {
            failedBinds++;
            log.debug("{}: still cannot bind {}: {}", pid, spec.address(), why);
            failure(why);
            return true;
        }
        failure(null);
        // The one line that says it serves (the opener's is DEBUG here): which endpoint, where, after how long.
        String what = EndpointSwitch.what(spec);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - failingSinceNanos);
        if (changeNotApplied != null) {
            log.info("{}: {} listening on {} again after {} failed attempt(s) in {} s; the change to {} is not"
                    + " applied, see the ERROR above", pid, what, serving.info().address(), failedBinds, seconds,
                    oneLine(changeNotApplied));
        } else {
            log.info("{}: {} listening on {} now, as configured, after {} failed attempt(s) in {} s", pid, what,
                    serving.info().address(), failedBinds, seconds);
        }
        return false;
    }

    /** Binds in the background what could not be bound just now: the first failed attempt. */
    private void bindInBackground() {
        failedBinds = 1;
        failingSinceNanos = System.nanoTime();
        rebind.restart(true);
    }

    /** Checks a TLS server's stores while its settings say TLS (whether it serves at the moment is the check's to see). */
    private void watchStores() {
        storeWatch.every(spec != null && spec.tls() != null && spec.transport().isServer() ? storeCheckMillis : 0);
    }

    /** A server or a UDP socket: what is bound, not connected. */
    private static boolean canListen(EndpointSpec spec) {
        return !ConfiguredSpec.isClient(spec.transport());
    }

    /** Sets why the endpoint does not serve (null: it does, or waits for its handler), and shows it. */
    private void failure(String message) {
        failure = message;
        problem.show(name, message);
    }

    /** Takes a configuration, then checks the TLS stores as it says: the two always go together. */
    private void apply(EndpointConfiguration config) {
        follow(config);
        watchStores();
    }

    private void follow(EndpointConfiguration config) {
        stopWaitingForName();
        ConfiguredSpec next;
        try {
            next = ConfiguredSpec.parse(pid, config, socketFiles);
        } catch (IllegalArgumentException e) {
            // keeps the last good interval too
            if (spec == null) {
                // Nothing good to keep: show the endpoint as FAILED with the reason.
                register(ConfiguredSpec.name(pid, config));
                fail(e.getMessage());
            } else {
                error(e.getMessage() + "; keeps the last good configuration");
            }
            return;
        }
        if (!next.spec.name().equals(name) || registration == null) {
            if (!register(next.spec.name())) {
                waitForName(next.spec.name(), config);
                return;
            }
        }
        // only once the configuration is taken: one refused for its name keeps the interval in force
        storeCheckMillis = next.tlsStoreCheckMillis;
        if (spec == null || !next.handler.equals(handler)) {
            if (spec != null && switchHandlerAndAddress(next)) {
                return;
            }
            // First good configuration, or another handler: serve with that handler once it is there.
            stopTracking();
            take(next);
            startTracking();
        } else if (!serving.isOpen()) {
            take(next);
            if (setup != null) {
                openEndpoint();
            }
        } else if (serving.isClient() || next.isClient()) {
            reconnect(next);
        } else {
            spec = serving.rebind(spec, next.spec, setup);
            if (!serving.isOpen()) {
                // neither the new address nor the old one again (FAILED): the old one is bound once it can be
                changeNotApplied = next.spec.address();
                bindInBackground();
            }
        }
    }

    private void take(ConfiguredSpec next) {
        serving.configured(next.spec);
        spec = next.spec;
        handler = next.handler;
        changeNotApplied = null;
        failure(null);
        rebind.restart(false);
    }

    /**
     * A client follows a change by connecting anew, in the background (a client has no socket to keep
     * serving on), unless only its waits between attempts changed; so does a server that becomes a
     * client.
     */
    private void reconnect(ConfiguredSpec next) {
        if (next.onlyWaitsChanged(spec) && serving.newWaits(next.spec)) {
            spec = next.spec;
            return;
        }
        serving.close();
        take(next);
        openEndpoint();
        if (next.isClient()) {
            log.info("{}: connects to {} with the new settings", pid, oneLine(next.spec.address()));
        }
    }

    /**
     * Another handler together with another address: the old endpoint serves on until the new one is
     * open, and stays, with its handler, if the new address cannot be used, as when only the address
     * changes ({@link EndpointSwitch#moveWithHandler}). Without the new handler yet, the endpoint
     * waits for it as for any other handler.
     *
     * @return false if this is not such a change, or the new handler is not there; nothing was done
     */
    private boolean switchHandlerAndAddress(ConfiguredSpec next) {
        if (!serving.isBound() || next.isClient() || ConfiguredSpec.sameAddress(spec, next.spec)) {
            return false;
        }
        ServiceTracker<ChannelSetup, ChannelSetup> nextTracker;
        try {
            nextTracker = tracker(next.handler);
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            return false;
        }
        // This endpoint has its setup: handlerArrived() leaves the new handler to this method.
        nextTracker.open();
        ChannelSetup nextSetup = nextTracker.getService();
        if (nextSetup == null) {
            closeAside(nextTracker);
            return false;
        }
        if (!serving.moveWithHandler(spec, setup, handler, next.spec, nextSetup, next.handler)) {
            closeAside(nextTracker);
            if (!serving.isOpen()) {
                // neither the new address nor the old one again (FAILED): the old one, with its handler, once it can be
                changeNotApplied = "'" + next.handler + "' on " + next.spec.address();
                bindInBackground();
            }
            return true;
        }
        ServiceTracker<ChannelSetup, ChannelSetup> previousTracker = tracker;
        setup = nextSetup;
        take(next);
        closeAside(previousTracker);
        tracker = nextTracker;
        return true;
    }

    /**
     * Closes a tracker that is not (or no longer) this endpoint's: handlerLeft() must not take its
     * service for the endpoint's own (one service may carry both handler names).
     */
    private void closeAside(ServiceTracker<ChannelSetup, ChannelSetup> aside) {
        ServiceTracker<ChannelSetup, ChannelSetup> own = tracker;
        tracker = null;
        try {
            aside.close();
        } finally {
            tracker = own;
        }
    }

    /** Lists the endpoint under a (new) name; a name in use keeps the old one. */
    private boolean register(String newName) {
        if (registration != null && newName.equals(name)) {
            return true;
        }
        // info() reads the name: set it before the entry becomes visible to net:list.
        String previousName = name;
        name = newName;
        try {
            EndpointRegistry.Registration added = registry.register(bundle, newName, this::info);
            if (registration != null) {
                registration.remove();
            }
            registration = added;
            return true;
        } catch (IllegalArgumentException e) {
            name = previousName;
            error("name: " + e.getMessage() + " (another msf.net.endpoint configuration); "
                    + (registration == null ? "this configuration is applied" : "keeps the last good configuration")
                    + " once that name is free");
            return false;
        }
    }

    /**
     * A configuration refused for its name is applied when the other configuration lets the name go
     * (deleted, or renamed), not only when it is changed itself. That runs on the thread that frees
     * the name, holding the other endpoint's lock while it takes this one's: configuration changes
     * and deletions come one at a time (from Configuration Admin, or as the bundle stops), so no two
     * endpoints free names for each other at once.
     */
    private void waitForName(String wanted, EndpointConfiguration config) {
        EndpointRegistry.Registration wait = registry.whenFree(bundle, wanted, () -> nameFreed(wanted, config));
        if (wait == null) {
            // Freed since the refusal: apply(), which called this, checks the stores after.
            follow(config);
            return;
        }
        waitingConfig = config;
        nameWait = wait;
    }

    private synchronized void nameFreed(String wanted, EndpointConfiguration config) {
        if (waitingConfig != config) {
            return;
        }
        waitingConfig = null;
        nameWait = null;
        log.info("{}: the name '{}' is free now; the configuration refused for it is applied", pid, oneLine(wanted));
        apply(config);
    }

    private void stopWaitingForName() {
        waitingConfig = null;
        if (nameWait != null) {
            nameWait.remove();
            nameWait = null;
        }
    }

    private ServiceTracker<ChannelSetup, ChannelSetup> tracker(String handlerName)
            throws org.osgi.framework.InvalidSyntaxException {
        String filter = "(&(" + Constants.OBJECTCLASS + "=" + ChannelSetup.class.getName() + ")("
                + ChannelSetup.HANDLER_PROPERTY + "=" + escape(handlerName) + "))";
        return new ServiceTracker<>(context, context.createFilter(filter), this);
    }

    private void startTracking() {
        try {
            tracker = tracker(handler);
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            fail("handler: '" + handler + "' cannot be looked up: " + e.getMessage());
            return;
        }
        tracker.open();
        if (setup == null) {
            log.info("{}: waiting for handler '{}' (a ChannelSetup service with {}={})", pid, oneLine(handler),
                    ChannelSetup.HANDLER_PROPERTY, oneLine(handler));
        }
    }

    private void stopTracking() {
        ServiceTracker<ChannelSetup, ChannelSetup> stopping = tracker;
        tracker = null;
        rebind.restart(false);
        serving.close();
        setup = null;
        if (stopping != null) {
            stopping.close();
        }
    }

    @Override
    public ChannelSetup addingService(ServiceReference<ChannelSetup> reference) {
        ChannelSetup service = context.getService(reference);
        if (service != null) {
            handlerArrived(service);
        }
        return service;
    }

    @Override
    public void modifiedService(ServiceReference<ChannelSetup> reference, ChannelSetup service) {
        // The filter keeps only services with the right handler name; nothing else matters.
    }

    @Override
    public void removedService(ServiceReference<ChannelSetup> reference, ChannelSetup service) {
        handlerLeft(service);
        context.ungetService(reference);
    }

    private synchronized void handlerArrived(ChannelSetup service) {
        if (setup == null && tracker != null) {
            setup = service;
            openEndpoint();
        }
    }

    private synchronized void handlerLeft(ChannelSetup service) {
        if (service != setup || tracker == null) {
            return;
        }
        serving.close();
        setup = tracker.getService();
        if (setup != null) {
            openEndpoint();
        } else {
            // Waiting for a handler is not failing: nothing to bind until it is back.
            failure(null);
            rebind.restart(false);
            log.info("{}: handler '{}' went away; the endpoint waits for it", pid, oneLine(handler));
        }
    }

    private void openEndpoint() {
        if (serving.open(spec, setup)) {
            failure(null);
            rebind.restart(false);
        } else if (canListen(spec)) {
            bindInBackground();
        } else {
            rebind.restart(false);
        }
    }

    @Override
    public void lost(NetEndpoint endpoint, String reason) {
        try {
            retryThread.execute(() -> lostOnItsOwn(endpoint, reason)); // off the event loop: the lock, then a bind
        } catch (RejectedExecutionException deactivating) {
            // the component is going: nothing to bind again
        }
    }

    private synchronized void lostOnItsOwn(NetEndpoint endpoint, String reason) {
        if (!serving.forget(endpoint)) {
            return;
        }
        fail(reason + "; bound again in the background");
        bindInBackground();
    }

    @Override
    public void fail(String reason) {
        failure(reason);
        error(reason);
    }

    /**
     * Logs {@code reason} after the PID, which says whose it is, on one line (a reason quotes configured
     * texts, a path, a host, a handler's name, whose line feed started a line of its own); net:list,
     * msf:services and the published problem show it bare, beside or after the endpoint's name.
     */
    @Override
    public void error(String reason) {
        log.error(oneLine(pid + ": " + reason));
        configErrors.increment();
        lastError = reason;
        serving.recordError(reason);
    }

    /**
     * The open endpoint's figures; else WAITING for its handler, or FAILED with why as of now (the last
     * background attempt's reason, not a later refused change's), as its published problem says it, so
     * net:list and msf:services give the reason the ready report and /health give.
     */
    EndpointInfo info() {
        EndpointInfo live = serving.info();
        if (live != null) {
            return live;
        }
        EndpointSpec current = spec;
        String failed = failure;
        return new EndpointInfo(name, bundle.getSymbolicName(), current == null ? null : current.transport(),
                current == null ? "" : current.address(), failed != null ? "FAILED" : "WAITING", 0, 0, 0, 0,
                configErrors.sum(), failed != null ? failed : lastError);
    }

    /** A configured text as a log line shows it: its control characters, a line feed too, escaped. */
    private static String oneLine(String configured) {
        return ControlCharacters.escapedOnOneLine(configured);
    }

    /** Escapes the characters that have a meaning in an LDAP filter value. */
    private static String escape(String value) {
        StringBuilder escaped = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            if (c == '\\' || c == '*' || c == '(' || c == ')') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }
}
