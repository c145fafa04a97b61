package io.msf.agent.api;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The container's message broker, as the console and the monitor see it. Services don't use this
 * to send: they use the {@code io.msf.client.api.AgentClient} service and offer
 * {@code io.msf.client.api.MessageHandler} services.
 */
@ProviderType
public interface Agent {

    /** Every peer: handlers and bundle clients in the container, processes on the sockets. */
    List<PeerInfo> peers();

    List<TopicInfo> topics();

    AgentTotals totals();
}
