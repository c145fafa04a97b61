package io.msf.agent.internal;

import io.msf.agent.internal.broker.LocalClient;
import io.msf.client.api.Address;
import io.msf.client.api.AgentClient;
import io.msf.client.api.Subscription;
import io.msf.mempool.api.MemoryPoolAdmin;
import io.msf.protocol.api.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.osgi.framework.Bundle;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;

/**
 * The {@link AgentClient} service: every bundle that gets it gets its own, with an id of its own,
 * buffers charged to it in the memory pool, and an end when the bundle lets go of the service
 * (its subscriptions end, its outstanding requests fail).
 */
@Component(service = AgentClient.class, scope = ServiceScope.BUNDLE)
public final class BundleAgentClient implements AgentClient {

    private final LocalClient client;

    @Activate
    public BundleAgentClient(ComponentContext context, @Reference AgentComponent agent,
            @Reference MemoryPoolAdmin pools) {
        Bundle user = context.getUsingBundle();
        this.client = agent.broker().openClient("bundle " + user.getSymbolicName() + " " + user.getVersion(),
                pools.poolFor(user).allocator());
    }

    @Deactivate
    void deactivate() {
        client.close();
    }

    @Override
    public int id() {
        return client.id();
    }

    @Override
    public String name() {
        return client.name();
    }

    @Override
    public ByteBufAllocator alloc() {
        return client.alloc();
    }

    @Override
    public Message request(Address to, int command, ByteBuf payload, Duration timeout) {
        return client.request(to, command, payload, timeout);
    }

    @Override
    public CompletionStage<Message> requestAsync(Address to, int command, ByteBuf payload, Duration timeout) {
        return client.requestAsync(to, command, payload, timeout);
    }

    @Override
    public CompletionStage<Void> notify(Address to, int command, ByteBuf payload) {
        return client.notify(to, command, payload);
    }

    @Override
    public void publish(String topic, int command, ByteBuf payload) {
        client.publish(topic, command, payload);
    }

    @Override
    public Subscription subscribe(String pattern, Consumer<Message> listener) {
        return client.subscribe(pattern, listener);
    }
}
