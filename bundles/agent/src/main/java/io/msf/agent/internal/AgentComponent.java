package io.msf.agent.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.msf.agent.api.Agent;
import io.msf.agent.api.AgentListeners;
import io.msf.agent.api.AgentTotals;
import io.msf.agent.api.PeerInfo;
import io.msf.agent.api.TopicInfo;
import io.msf.agent.internal.broker.Broker;
import io.msf.agent.internal.broker.BrokerSettings;
import io.msf.agent.internal.uplink.Uplink;
import io.msf.agent.internal.uplink.UplinkSettings;
import io.msf.client.api.ClientOptions;
import io.msf.event.api.BoundEventLoopService;
import io.msf.event.api.EventLoopService;
import io.msf.files.DataFolder;
import io.msf.net.api.NetworkService;
import io.msf.problems.Problems;
import io.msf.problems.Retry;
import io.msf.settings.ConfigValues;
import io.msf.timer.api.TimerClosedException;
import io.msf.timer.api.TimerService;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The agent of the container, configured by PID {@value #PID}: the {@link Broker} and its
 * listeners. Immediate, so that it listens without anyone asking for the {@link Agent} service.
 *
 * <p>A configuration change is applied in place ({@link Modified}): restarting the component
 * would drop every connection and every bundle's client. A value the broker cannot take is
 * logged with its key and the previous settings stay.
 *
 * <p>{@link AgentListeners} is registered by hand once the listeners were tried, not by SCR: SCR
 * registers an immediate component's services before it activates it, so a service it registered would
 * be there before the listeners' outcome is known (the launcher's ready line waits for this one). A
 * listener that could not be opened is tried again in the background ({@link Retry}, on the timer), and the
 * service's properties follow when it opens.
 *
 * <p>In a child container ({@code parent}, or the property {@value #PARENT_PROPERTY} the supervisor
 * sets) the broker is federated with the parent's agent through an {@link Uplink}.
 */
@Component(service = {Agent.class, AgentComponent.class}, immediate = true, configurationPid = AgentComponent.PID)
@Designate(ocd = AgentConfiguration.class)
public final class AgentComponent implements Agent {

    static final String PID = "msf.agent";
    /** The framework property with the parent's agent socket, set by the supervisor for a child container. */
    static final String PARENT_PROPERTY = "msf.agent.parent";

    private final Broker broker;
    private final Listeners listeners;
    private final Logger log;
    private final BundleContext context;
    /** The link to the parent's agent, or null; replaced as a whole when its keys change. */
    private Uplink uplink;
    /** What the listeners' problems are shown from; updated after each configuration change. */
    private final ServiceRegistration<AgentListeners> listenersRegistration;
    /** Tries the listeners that could not be opened again, until they are or the configuration changes. */
    private final Retry retry;

    @Activate
    public AgentComponent(AgentConfiguration configured, BundleContext context, @Reference NetworkService network,
            @Reference TimerService timers, @Reference(service = BoundEventLoopService.class, target = "(" + BoundEventLoopService.GROUP + "="
                    + EventLoopService.WORKER_GROUP + ")") EventLoopService loops,
            @Reference(service = LoggerFactory.class) Logger log) {
        AgentConfiguration config = ConfigValues.naming(AgentConfiguration.class, configured);
        this.log = log;
        this.context = context;
        BrokerSettings settings = settings(config, BrokerSettings.DEFAULTS, "the defaults");
        // Each in-container subscription runs its listener on one loop of the worker group, in order.
        this.broker = new Broker(settings, timers, () -> loops.group(EventLoopService.WORKER_GROUP).next(), log);
        this.listeners = new Listeners(network, broker.channelSetup(), log);
        ServiceRegistration<AgentListeners> registered = null;
        Retry retrying = null;
        try {
            applyListeners(config);
            AgentListeners shown = listeners::problems;
            registered = context.registerService(AgentListeners.class, shown, listenerProperties());
            listenersRegistration = registered;
            broker.onQueuedBytesWarning(() -> showListenersLater(timers));
            retrying = new Retry(PID, (attempt, delayMillis) -> onTimer(timers, attempt, delayMillis),
                    this::retryListeners,
                    why -> log.warn("msf.agent: cannot schedule the next attempt at the listeners: {}", why),
                    (problem, followed) -> log.error("msf.agent: an attempt at the listeners threw; {}", followed,
                            problem));
            retry = retrying;
            retry.restart(listeners.retrying());
            log.info("agent started: {}", settings);
            applyUplink(config);
        } catch (RuntimeException | Error e) {
            // SCR calls no deactivate for an activation that threw: what began here ends here, or the listeners
            // would hold the socket and the port against the next activation
            endBegun(registered, retrying);
            throw e;
        }
    }

    /** Ends what an activation that failed began: as {@link #deactivate()}, for what there is of it. */
    private synchronized void endBegun(ServiceRegistration<AgentListeners> registered, Retry retrying) {
        if (registered != null) {
            unregister(registered);
        }
        if (retrying != null) {
            retrying.close();
        }
        endUplinkListenersAndBroker();
    }

    @Modified
    void modified(AgentConfiguration configured) {
        AgentConfiguration config = ConfigValues.naming(AgentConfiguration.class, configured);
        BrokerSettings next = settings(config, broker.settings(), "the current settings");
        broker.settings(next);
        applyListeners(config);
        showListeners();
        retry.restart(listeners.retrying());
        log.info("agent reconfigured: {}", next);
        applyUplink(config);
    }

    @Deactivate
    synchronized void deactivate() {
        unregister(listenersRegistration);
        retry.close();
        endUplinkListenersAndBroker();
    }

    private static void unregister(ServiceRegistration<AgentListeners> registration) {
        try {
            registration.unregister();
        } catch (IllegalStateException e) {
            // unregistered with the bundle already
        }
    }

    private void endUplinkListenersAndBroker() {
        if (uplink != null) {
            uplink.close();
            uplink = null;
        }
        listeners.close();
        broker.close();
    }

    /** Opens, reopens or keeps the listeners; a value that cannot be read keeps them as they are (none at start). */
    private void applyListeners(AgentConfiguration config) {
        ListenerSettings next;
        try {
            next = ListenerSettings.of(config);
        } catch (IllegalArgumentException e) {
            log.error("{}: {}; the listeners stay as they are", PID, e.getMessage());
            listeners.refused(e.getMessage());
            return;
        }
        listeners.apply(next);
    }

    /** One background attempt (on the timer's thread); says whether a listener is still to be tried. */
    private boolean retryListeners() {
        if (listeners.retry()) {
            showListeners();
        }
        return listeners.retrying();
    }

    /**
     * Runs {@code attempt} after {@code delayMillis} on the timer ({@link Retry.Scheduler}). Its closed service
     * ends the attempts; its maxPending reached only makes {@link Retry} run that attempt on its own thread.
     */
    private static Runnable onTimer(TimerService timers, Runnable attempt, long delayMillis) {
        try {
            return timers.schedule(attempt, delayMillis, TimeUnit.MILLISECONDS)::cancel;
        } catch (TimerClosedException e) {
            throw new Retry.SchedulerClosedException(e.getMessage(), e);
        }
    }

    /**
     * Shows the budget of queued bytes coming or going, off the event loop that saw it: the framework
     * tells the service's listeners on the thread that sets its properties. The properties are read
     * when it runs, so an earlier change shown late shows the latest state.
     */
    private void showListenersLater(TimerService timers) {
        try {
            timers.schedule(this::showListeners, 0, TimeUnit.MILLISECONDS);
        } catch (TimerClosedException e) {
            // the agent is stopping
        }
    }

    private synchronized void showListeners() {
        try {
            listenersRegistration.setProperties(listenerProperties());
        } catch (IllegalStateException e) {
            // unregistered: the agent is stopping
        }
    }

    private Dictionary<String, Object> listenerProperties() {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(AgentListeners.PROBLEMS, listeners.problems().toArray(String[]::new));
        // Still serving: the peers over the budget are cut off, the others carry on (WARN, not DOWN).
        String budget = broker.queuedBytesWarning();
        if (budget != null) {
            properties.put(Problems.WARNINGS, new String[] {budget});
        }
        return properties;
    }

    /** Joins the parent the configuration names, leaving the one it named before; unchanged keys change nothing. */
    private synchronized void applyUplink(AgentConfiguration config) {
        UplinkSettings next;
        try {
            next = UplinkSettings.of(config.parent(), context.getProperty(PARENT_PROPERTY), config.parentToken(),
                    config.parentTlsTrustStore(), config.parentTlsTrustStorePassword(), config.maxExports(),
                    config.parentConnectTimeoutMillis(), config.parentTlsHandshakeTimeoutMillis(),
                    config.unixSocket() ? dataDir().resolve(ClientOptions.SOCKET_FILE) : null);
        } catch (IllegalArgumentException e) {
            log.error("{}: {}; {}", PID, e.getMessage(), uplink == null ? "no link to a parent agent"
                    : "keeping the link to " + uplink.settings());
            return;
        }
        if (uplink != null && uplink.settings().equals(next)) {
            return;
        }
        if (uplink != null) {
            uplink.close();
            uplink = null;
        }
        if (next != null) {
            try {
                uplink = new Uplink(next, broker, log);
            } catch (IllegalArgumentException e) {
                // The trust store changed since it was read a moment ago.
                log.error("{}: {}; no link to a parent agent", PID, e.getMessage());
            }
        }
    }

    /**
     * msf.data, as the net bundle resolves the agent socket against it. Only compared with the
     * parent's socket: nothing is made or read there, so it is not prepared; the net bundle checks it
     * before it binds the socket.
     */
    private Path dataDir() {
        return DataFolder.of(context::getProperty).path();
    }

    /** The broker, for the handler whiteboard and the bundles' clients. */
    Broker broker() {
        return broker;
    }

    private BrokerSettings settings(AgentConfiguration config, BrokerSettings fallback, String what) {
        try {
            return new BrokerSettings(config.maxFrameBytes(), config.heartbeatMillis(), config.heartbeatMisses(),
                    config.defaultTimeoutMillis(), config.outboundHighWaterBytes(), config.helloTimeoutMillis(),
                    config.token().getBytes(UTF_8), config.maxQueuedBytes());
        } catch (IllegalArgumentException e) {
            log.error("{}: {}; keeping {} ({})", PID, e.getMessage(), what, fallback);
            return fallback;
        }
    }

    @Override
    public List<PeerInfo> peers() {
        return broker.peers();
    }

    @Override
    public List<TopicInfo> topics() {
        return broker.topics();
    }

    @Override
    public AgentTotals totals() {
        return broker.totals();
    }
}
