package io.msf.agent.internal;

import io.msf.agent.internal.broker.Broker;
import io.msf.agent.internal.broker.HandlerPeer;
import io.msf.agent.internal.broker.HandlerProperties;
import io.msf.client.api.MessageHandler;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * The {@link MessageHandler} whiteboard: every handler service with {@link MessageHandler#NAME}
 * and/or {@link MessageHandler#ID} becomes a peer of the broker, routed to by direct calls. A
 * ranking change re-routes new messages at once; what a handler already has, it finishes.
 */
@Component(service = {}, immediate = true)
public final class HandlerWhiteboard {

    private final Broker broker;
    private final Logger log;
    private final Map<Long, HandlerPeer> peers = new ConcurrentHashMap<>();

    @Activate
    public HandlerWhiteboard(@Reference AgentComponent agent, @Reference(service = LoggerFactory.class) Logger log) {
        this.broker = agent.broker();
        this.log = log;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addHandler(MessageHandler handler, ServiceReference<MessageHandler> reference) {
        HandlerProperties properties;
        try {
            properties = HandlerProperties.of(properties(reference));
        } catch (IllegalArgumentException e) {
            log.error("agent ignores the MessageHandler service {} of {}: {}", serviceId(reference),
                    origin(reference), e.getMessage());
            return;
        }
        peers.put(serviceId(reference), broker.addHandler(handler, properties, origin(reference)));
    }

    void updatedHandler(MessageHandler handler, ServiceReference<MessageHandler> reference) {
        HandlerPeer current = peers.get(serviceId(reference));
        HandlerProperties properties;
        try {
            properties = HandlerProperties.of(properties(reference));
        } catch (IllegalArgumentException e) {
            properties = null;
        }
        if (current != null && properties != null && current.answersTo(properties)) {
            broker.rerank(current, properties.ranking());
            return;
        }
        removeHandler(handler, reference);
        addHandler(handler, reference);
    }

    void removeHandler(MessageHandler handler, ServiceReference<MessageHandler> reference) {
        HandlerPeer removed = peers.remove(serviceId(reference));
        if (removed != null) {
            broker.removeHandler(removed);
        }
    }

    private static Map<String, Object> properties(ServiceReference<?> reference) {
        Map<String, Object> properties = new HashMap<>();
        for (String key : reference.getPropertyKeys()) {
            properties.put(key, reference.getProperty(key));
        }
        return properties;
    }

    private static long serviceId(ServiceReference<?> reference) {
        return (Long) reference.getProperty(Constants.SERVICE_ID);
    }

    /** {@code bundle io.msf.dlna 0.1.0, service 42}. */
    private static String origin(ServiceReference<?> reference) {
        Bundle bundle = reference.getBundle();
        String who = bundle == null ? "a bundle that stopped"
                : "bundle " + bundle.getSymbolicName() + " " + bundle.getVersion();
        return who + ", service " + serviceId(reference);
    }
}
