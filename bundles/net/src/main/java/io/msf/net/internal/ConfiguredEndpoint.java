package io.msf.net.internal;

import io.msf.event.api.EventLoopService;
import io.msf.mempool.api.MemoryPoolAdmin;
import io.msf.net.api.ChannelSetup;
import io.msf.net.api.EndpointInfo;
import io.msf.net.api.EndpointSpec;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
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
 */
@Component(service = {}, configurationPid = ConfiguredEndpoint.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = EndpointConfiguration.class, factory = true)
public final class ConfiguredEndpoint implements ServiceTrackerCustomizer<ChannelSetup, ChannelSetup> {

    static final String FACTORY_PID = "msf.net.endpoint";
    /** How long binding the address this endpoint has just closed is tried again (see {@link #open}). */
    private static final long REBIND_RETRY_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long REBIND_PAUSE_MILLIS = 10;

    private final String pid;
    private final BundleContext context;
    private final Bundle bundle;
    private final EndpointRegistry registry;
    private final EndpointOpener opener;
    private final Logger log;
    private final LongAdder configErrors = new LongAdder();

    // Changed under this object's lock; volatile where info() reads them without it.
    private volatile String name;
    private EndpointRegistry.Registration registration;
    private volatile EndpointSpec spec;
    private String handler;
    private ServiceTracker<ChannelSetup, ChannelSetup> tracker;
    private ChannelSetup setup;
    private volatile NetEndpoint endpoint;
    /** A client that keeps (re)connecting, in place of {@link #endpoint}; null otherwise. */
    private volatile ReconnectingClient client;
    /** Why the endpoint is not open although it could be; null while it is open or waiting for its handler. */
    private volatile String failure;
    private volatile String lastError = "";
    /** The configuration of the endpoint closed last, and when: see {@link #open}. */
    private EndpointSpec closedSpec;
    private long closedAtNanos;

    @Activate
    public ConfiguredEndpoint(EndpointConfiguration config, Map<String, Object> properties, ComponentContext context,
            @Reference EventLoopService loops, @Reference MemoryPoolAdmin pools, @Reference EndpointRegistry registry,
            @Reference(service = LoggerFactory.class) Logger log) {
        this.pid = String.valueOf(properties.getOrDefault(Constants.SERVICE_PID, FACTORY_PID));
        this.context = context.getBundleContext();
        this.bundle = this.context.getBundle();
        this.registry = registry;
        this.log = log;
        this.opener = new EndpointOpener(bundle.getSymbolicName(), pid, loops, pools.poolFor(bundle).allocator(),
                DomainSocketFiles.forContext(this.context), log);
        synchronized (this) {
            apply(config);
        }
    }

    @Modified
    synchronized void modified(EndpointConfiguration config) {
        apply(config);
    }

    @Deactivate
    synchronized void deactivate() {
        stopTracking();
        if (registration != null) {
            registration.remove();
            registration = null;
        }
    }

    private void apply(EndpointConfiguration config) {
        ConfiguredSpec next;
        try {
            next = ConfiguredSpec.parse(pid, config);
        } catch (IllegalArgumentException e) {
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
                return;
            }
        }
        if (spec == null || !next.handler.equals(handler)) {
            if (spec != null && switchHandlerAndAddress(next)) {
                return;
            }
            // First good configuration, or another handler: serve with that handler once it is there.
            stopTracking();
            take(next);
            startTracking();
        } else if (endpoint == null && client == null) {
            take(next);
            if (setup != null) {
                openEndpoint();
            }
        } else if (client != null || next.reconnects()) {
            reconnect(next);
        } else {
            rebind(next.spec);
        }
    }

    private void take(ConfiguredSpec next) {
        spec = next.spec;
        handler = next.handler;
        failure = null;
    }

    /**
     * A client that keeps connecting follows a change by connecting anew (a client has no socket to
     * keep serving on), unless only its waits between attempts changed.
     */
    private void reconnect(ConfiguredSpec next) {
        ReconnectingClient current = client;
        if (current != null && next.onlyWaitsChanged(spec)) {
            current.reconnect(next.spec);
            spec = next.spec;
            log.info("{}: waits {} to {} ms between connection attempts from now on", pid,
                    spec.reconnect().minMillis(), spec.reconnect().maxMillis());
            return;
        }
        closeEndpoint();
        take(next);
        openEndpoint();
        if (next.reconnects()) {
            log.info("{}: connects to {} with the new settings", pid, next.spec.address());
        }
    }

    /**
     * Another handler together with another address: the old endpoint serves on until the new one is
     * open, and stays, with its handler, if the new address cannot be used, as when only the address
     * changes. Without the new handler yet, the endpoint waits for it as for any other handler.
     *
     * @return false if this is not such a change, or the new handler is not there; nothing was done
     */
    private boolean switchHandlerAndAddress(ConfiguredSpec next) {
        NetEndpoint current = endpoint;
        if (current == null || next.reconnects() || ConfiguredSpec.sameAddress(spec, next.spec)) {
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
        EndpointSpec previous = spec;
        String from = current.info().address();
        boolean freeFirst = ConfiguredSpec.sharesPort(previous, next.spec);
        if (freeFirst) {
            closeEndpoint();
        }
        NetEndpoint replacement;
        try {
            replacement = open(next.spec, nextSetup);
        } catch (RuntimeException e) {
            closeAside(nextTracker);
            String problem = pid + ": handler, " + ConfiguredSpec.addressKeys(previous, next.spec) + " changed to '"
                    + next.handler + "' on " + next.spec.address() + ", which cannot be used (" + e.getMessage() + ")";
            if (!freeFirst) {
                error(problem + "; keeps serving on " + from + " with handler '" + handler + "'");
                return true;
            }
            try {
                endpoint = open(previous, setup);
            } catch (RuntimeException again) {
                fail(problem + "; and " + from + " cannot be bound again (" + again.getMessage() + ")");
                return true;
            }
            error(problem + "; keeps serving on " + from + " with handler '" + handler
                    + "' (its connections were closed)");
            return true;
        }
        ServiceTracker<ChannelSetup, ChannelSetup> previousTracker = tracker;
        endpoint = replacement;
        setup = nextSetup;
        take(next);
        if (!freeFirst) {
            current.close();
        }
        closeAside(previousTracker);
        tracker = nextTracker;
        log.info("{}: moved from {} to {} with handler '{}'", pid, from, replacement.info().address(), handler);
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
                    + (registration == null ? "this configuration is ignored" : "keeps the last good configuration"));
            return false;
        }
    }

    private void rebind(EndpointSpec next) {
        NetEndpoint current = endpoint;
        EndpointSpec previous = spec;
        String from = current.info().address();
        if (ConfiguredSpec.sameAddress(previous, next) && next.transport().isServer()) {
            // Same socket: keep it, and give new connections the new settings (and TLS key material).
            try {
                current.update(next, setup);
            } catch (IllegalArgumentException e) {
                error(e.getMessage() + "; keeps the last good configuration");
                return;
            }
            spec = next;
            log.info("{}: new settings apply to new connections on {}", pid, from);
            return;
        }
        if (ConfiguredSpec.sharesPort(previous, next)) {
            handOver(from, previous, next);
            return;
        }
        NetEndpoint replacement;
        try {
            replacement = opener.open(next, setup, closed -> { });
        } catch (RuntimeException e) {
            String message = pid + ": " + ConfiguredSpec.addressKeys(previous, next) + " changed to " + next.address()
                    + ", which cannot be used (" + e.getMessage() + "); keeps serving on " + from;
            log.error(message);
            current.recordError(message);
            return;
        }
        endpoint = replacement;
        spec = next;
        current.close();
        log.info("{}: moved from {} to {}", pid, from, replacement.info().address());
    }

    /**
     * Moves the endpoint to an address its own socket holds the port of (a UDP socket with new
     * settings, or another host on the same port, such as 0.0.0.0 for 127.0.0.1): the kernel refuses
     * to bind it while the old socket is open, so that one is closed first, and opened again if the
     * new address cannot be bound either.
     */
    private void handOver(String from, EndpointSpec previous, EndpointSpec next) {
        boolean sameAddress = ConfiguredSpec.sameAddress(previous, next);
        closeEndpoint();
        String problem;
        try {
            endpoint = open(next);
            spec = next;
            if (sameAddress) {
                log.info("{}: reopened on {} with the new settings", pid, from);
            } else {
                log.info("{}: moved from {} to {}", pid, from, endpoint.info().address());
            }
            return;
        } catch (RuntimeException e) {
            problem = pid + ": " + (sameAddress ? next.address() + " cannot be bound again with the new settings"
                    : ConfiguredSpec.addressKeys(previous, next) + " changed to " + next.address()
                            + ", which cannot be used") + " (" + e.getMessage() + ")";
        }
        try {
            endpoint = open(previous);
        } catch (RuntimeException e) {
            fail(problem + "; and " + from + " cannot be bound again (" + e.getMessage() + ")");
            return;
        }
        error(problem + "; keeps serving on " + from + " (its connections were closed)");
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
            log.info("{}: waiting for handler '{}' (a ChannelSetup service with {}={})", pid, handler,
                    ChannelSetup.HANDLER_PROPERTY, handler);
        }
    }

    private void stopTracking() {
        ServiceTracker<ChannelSetup, ChannelSetup> stopping = tracker;
        tracker = null;
        closeEndpoint();
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
        closeEndpoint();
        setup = tracker.getService();
        if (setup != null) {
            openEndpoint();
        } else {
            log.info("{}: handler '{}' went away; the endpoint waits for it", pid, handler);
        }
    }

    private void openEndpoint() {
        if (spec.reconnect() != null) {
            // Connects in the background, again and again: never FAILED for a server that is not there.
            failure = null;
            ReconnectingClient connecting = new ReconnectingClient(bundle.getSymbolicName(), spec, setup, opener,
                    opener.nextLoop(), log, closed -> { });
            client = connecting;
            connecting.start();
            return;
        }
        try {
            endpoint = open(spec);
            failure = null;
        } catch (RuntimeException e) {
            fail(e.getMessage());
        }
    }

    /**
     * Opens the endpoint. A listening socket that NIO closed keeps its port until its event loop's
     * next select, a moment after the close has completed: binding the address (or the port) this
     * endpoint has just closed (another handler, a UDP socket with new settings, another host) is
     * tried again for a short while instead of failing with "address already in use".
     */
    private NetEndpoint open(EndpointSpec opening) {
        return open(opening, setup);
    }

    private NetEndpoint open(EndpointSpec opening, ChannelSetup with) {
        for (;;) {
            try {
                return opener.open(opening, with, closed -> { });
            } catch (UncheckedIOException e) {
                boolean ownAddress = e.getCause() instanceof BindException && closedSpec != null
                        && (opening.address().equals(closedSpec.address())
                                || ConfiguredSpec.sharesPort(closedSpec, opening))
                        && System.nanoTime() - closedAtNanos < REBIND_RETRY_NANOS;
                if (!ownAddress) {
                    throw e;
                }
            }
            try {
                Thread.sleep(REBIND_PAUSE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(pid + ": interrupted while binding " + opening.address() + " again", e);
            }
        }
    }

    private void closeEndpoint() {
        ReconnectingClient stopping = client;
        client = null;
        if (stopping != null) {
            stopping.close();
        }
        NetEndpoint closing = endpoint;
        endpoint = null;
        if (closing != null) {
            closing.close();
            closedSpec = closing.spec();
            closedAtNanos = System.nanoTime();
        }
    }

    private void fail(String message) {
        failure = message;
        error(message);
    }

    private void error(String message) {
        log.error(message.startsWith(pid) ? message : pid + ": " + message);
        configErrors.increment();
        lastError = message;
        NetEndpoint live = endpoint;
        if (live != null) {
            live.recordError(message);
        }
        ReconnectingClient connecting = client;
        if (connecting != null) {
            connecting.recordError(message);
        }
    }

    EndpointInfo info() {
        ReconnectingClient connecting = client;
        if (connecting != null) {
            return connecting.info();
        }
        NetEndpoint live = endpoint;
        if (live != null) {
            return live.info();
        }
        EndpointSpec current = spec;
        return new EndpointInfo(name, bundle.getSymbolicName(), current == null ? null : current.transport(),
                current == null ? "" : current.address(), failure != null ? "FAILED" : "WAITING", 0, 0, 0, 0,
                configErrors.sum(), lastError);
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
