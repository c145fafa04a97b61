package io.msf.itests.deploy.service;

import io.msf.client.api.Address;
import io.msf.client.api.AgentClient;
import io.msf.client.api.MessageHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * A service that calls another: a {@link MessageHandler} named {@value #NAME} that keeps each request
 * until the {@link Runnable} it offers (with the property {@value #CALL_ON}) is run, then asks the
 * swap service ({@value SwapHandler#NAME}) and answers {@code relayed <its answer>}. The test decides
 * when the call is made: once the container's stop has begun. It fails what it has when it stops.
 */
public final class RelayHandler implements BundleActivator {

    public static final String NAME = "itest.relay";
    public static final String CALL_ON = "itest.relay.callOn";

    private final Queue<CompletableFuture<ByteBuf>> kept = new ConcurrentLinkedQueue<>();

    @Override
    public void start(BundleContext context) {
        AgentClient client = context.getService(context.getServiceReference(AgentClient.class));
        MessageHandler handler = message -> {
            CompletableFuture<ByteBuf> reply = new CompletableFuture<>();
            kept.add(reply);
            return reply;
        };
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(MessageHandler.NAME, NAME);
        context.registerService(MessageHandler.class, handler, properties);
        Runnable callOn = () -> {
            for (CompletableFuture<ByteBuf> reply = kept.poll(); reply != null; reply = kept.poll()) {
                relay(client, reply);
            }
        };
        context.registerService(Runnable.class, callOn, new Hashtable<>(Map.of(CALL_ON, true)));
    }

    private static void relay(AgentClient client, CompletableFuture<ByteBuf> reply) {
        client.requestAsync(Address.name(SwapHandler.NAME), 1, Unpooled.EMPTY_BUFFER, Duration.ofSeconds(10))
                .whenComplete((answer, failure) -> {
                    if (failure != null) {
                        reply.completeExceptionally(failure);
                        return;
                    }
                    try {
                        reply.complete(Unpooled.copiedBuffer("relayed " + answer.payload().toString(
                                StandardCharsets.UTF_8), StandardCharsets.UTF_8));
                    } finally {
                        answer.release();
                    }
                });
    }

    @Override
    public void stop(BundleContext context) {
        kept.forEach(reply -> reply.completeExceptionally(new IllegalStateException("stopped before it answered")));
    }
}
