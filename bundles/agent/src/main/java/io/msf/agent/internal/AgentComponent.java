package io.msf.agent.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.msf.agent.api.Agent;
import io.msf.agent.api.AgentTotals;
import io.msf.agent.api.PeerInfo;
import io.msf.agent.api.TopicInfo;
import io.msf.agent.internal.broker.Broker;
import io.msf.agent.internal.broker.BrokerSettings;
import io.msf.event.api.EventLoopService;
import io.msf.net.api.NetworkService;
import io.msf.timer.api.TimerService;
import java.util.List;
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
 */
@Component(service = {Agent.class, AgentComponent.class}, immediate = true, configurationPid = AgentComponent.PID)
@Designate(ocd = AgentConfiguration.class)
public final class AgentComponent implements Agent {

    static final String PID = "msf.agent";

    private final Broker broker;
    private final Listeners listeners;
    private final Logger log;

    @Activate
    public AgentComponent(AgentConfiguration config, @Reference NetworkService network,
            @Reference TimerService timers, @Reference EventLoopService loops,
            @Reference(service = LoggerFactory.class) Logger log) {
        this.log = log;
        BrokerSettings settings = settings(config, BrokerSettings.DEFAULTS, "the defaults");
        // Each in-container subscription runs its listener on one loop of the worker group, in order.
        this.broker = new Broker(settings, timers, () -> loops.group(EventLoopService.WORKER_GROUP).next(), log);
        this.listeners = new Listeners(network, broker.channelSetup(), log);
        listeners.apply(ListenerSettings.of(config));
        log.info("agent started: {}", settings);
    }

    @Modified
    void modified(AgentConfiguration config) {
        BrokerSettings next = settings(config, broker.settings(), "the current settings");
        broker.settings(next);
        listeners.apply(ListenerSettings.of(config));
        log.info("agent reconfigured: {}", next);
    }

    @Deactivate
    void deactivate() {
        listeners.close();
        broker.close();
    }

    /** The broker, for the handler whiteboard and the bundles' clients. */
    Broker broker() {
        return broker;
    }

    private BrokerSettings settings(AgentConfiguration config, BrokerSettings fallback, String what) {
        try {
            return new BrokerSettings(config.maxFrameBytes(), config.heartbeatMillis(), config.heartbeatMisses(),
                    config.defaultTimeoutMillis(), config.outboundHighWaterBytes(), config.helloTimeoutMillis(),
                    config.token().getBytes(UTF_8));
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
