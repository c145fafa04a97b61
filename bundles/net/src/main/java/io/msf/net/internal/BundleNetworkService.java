package io.msf.net.internal;

import io.msf.event.api.BoundEventLoopService;
import io.msf.event.api.EventLoopService;
import io.msf.mempool.api.MemoryPoolAdmin;
import io.msf.net.api.ChannelSetup;
import io.msf.net.api.Endpoint;
import io.msf.net.api.EndpointInfo;
import io.msf.net.api.EndpointSpec;
import io.msf.net.api.NetworkService;
import io.msf.problems.Retry;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.osgi.framework.Bundle;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * One bundle's network service: the endpoints it opens are its own, allocate from its account in
 * the memory pool, and are closed when it releases the service.
 */
@Component(service = NetworkService.class, scope = ServiceScope.BUNDLE)
public final class BundleNetworkService implements NetworkService {

    /**
     * Names the thread where a client it keeps connecting prepares its attempts:
     * {@code msf-net-connect-<bundle>-<endpoint>}.
     */
    static final String CONNECT_THREAD_PREFIX = "msf-net-connect-";

    private final Bundle owner;
    private final EndpointRegistry registry;
    private final EndpointOpener opener;
    private final Logger log;
    /** The endpoints this bundle opened and has not closed, with their entries in the registry. */
    private final Map<Endpoint, EndpointRegistry.Registration> open = new ConcurrentHashMap<>();
    private volatile boolean released;

    @Activate
    public BundleNetworkService(ComponentContext context, @Reference(service = BoundEventLoopService.class, target = EndpointOpener.IO_LOOPS) EventLoopService loops,
            @Reference MemoryPoolAdmin pools, @Reference EndpointRegistry registry,
            @Reference(service = LoggerFactory.class) Logger log) {
        this.owner = context.getUsingBundle();
        this.registry = registry;
        this.log = log;
        this.opener = new EndpointOpener(owner.getSymbolicName(), "", loops, pools.poolFor(owner).allocator(),
                DomainSocketFiles.forContext(context.getBundleContext(), loops.transport()), log);
    }

    @Deactivate
    void deactivate() {
        released = true;
        int closed = 0;
        for (Endpoint endpoint : open.keySet()) {
            endpoint.close();
            closed++;
        }
        if (closed > 0) {
            log.info("closed {} endpoint(s) of bundle {}, which released the network service", closed,
                    owner.getSymbolicName());
        }
    }

    @Override
    public Endpoint open(EndpointSpec spec, ChannelSetup setup) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(setup, "setup");
        if (released) {
            throw new IllegalStateException("the network service of bundle " + owner.getSymbolicName()
                    + " was released; get the service again");
        }
        if (registry.contains(owner, spec.name())) {
            throw new IllegalArgumentException("bundle " + owner.getSymbolicName()
                    + " already has an endpoint named '" + spec.name() + "'");
        }
        if (spec.reconnect() == null) {
            opener.checkNotOnALoop(spec);
        }
        // A path no attempt could use: refused here, as a client that keeps connecting would try it for ever.
        opener.checkSocketPath(spec);
        Endpoint endpoint = spec.reconnect() != null ? reconnecting(spec, setup) : opener.open(spec, setup, this::closed);
        try {
            open.put(endpoint, registry.register(owner, spec.name(), endpoint::info));
        } catch (IllegalArgumentException raced) {
            endpoint.close();
            throw raced;
        }
        if (released) {
            // Lost a race with deactivate(), which may have missed this endpoint.
            endpoint.close();
            throw new IllegalStateException("the network service of bundle " + owner.getSymbolicName()
                    + " was released while the endpoint '" + spec.name() + "' opened");
        }
        if (endpoint instanceof ReconnectingClient) {
            // Listed first: its first attempt may fail (and show) before open() returns.
            ((ReconnectingClient) endpoint).start();
        }
        return endpoint;
    }

    /**
     * A client that keeps connecting, as configured ones do; not started yet. What no attempt could
     * change (a frame limit too large, TLS stores that cannot be read) is refused here.
     */
    private ReconnectingClient reconnecting(EndpointSpec spec, ChannelSetup setup) {
        EndpointOpener.checkFrameLimit(spec);
        TlsContexts.of(spec);
        // Its own thread for what may block before each attempt (a host lookup, a TLS store read), never an io
        // loop: one client's DNS server gone or store on a hung mount must not hold the bundle's other clients.
        // There only while attempts come (and a minute after); shut down as the client closes.
        ScheduledThreadPoolExecutor connectThread = Retry.retryThread(
                CONNECT_THREAD_PREFIX + owner.getSymbolicName() + "-" + spec.name());
        return new ReconnectingClient(owner.getSymbolicName(), spec, setup, opener, opener.nextLoop(), connectThread,
                log, client -> {
                    connectThread.shutdown();
                    closed(client);
                });
    }

    private void closed(Endpoint endpoint) {
        EndpointRegistry.Registration registration = open.remove(endpoint);
        if (registration != null) {
            registration.remove();
        }
    }

    @Override
    public List<EndpointInfo> endpoints() {
        return registry.endpoints();
    }
}
