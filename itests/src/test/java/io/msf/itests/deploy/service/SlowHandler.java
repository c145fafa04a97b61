package io.msf.itests.deploy.service;

import io.msf.client.api.MessageHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * A service that takes its time: a {@link MessageHandler} named {@value #NAME} that answers
 * {@code done} {@value #DELAY_MILLIS} ms after a request, and, as a service that ends its work as it
 * stops, fails what it has not answered when its bundle stops.
 */
public final class SlowHandler implements BundleActivator {

    public static final String NAME = "itest.slow";
    public static final long DELAY_MILLIS = 6000; // outlasts a config file's way to the deployer on a loaded machine

    private ScheduledExecutorService replies;
    private final Set<CompletableFuture<ByteBuf>> pending = ConcurrentHashMap.newKeySet();

    @Override
    public void start(BundleContext context) {
        replies = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "itest-slow");
            thread.setDaemon(true);
            return thread;
        });
        MessageHandler handler = message -> {
            CompletableFuture<ByteBuf> reply = new CompletableFuture<>();
            pending.add(reply);
            replies.schedule(() -> {
                pending.remove(reply);
                reply.complete(Unpooled.copiedBuffer("done", StandardCharsets.UTF_8));
            }, DELAY_MILLIS, TimeUnit.MILLISECONDS);
            return reply;
        };
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(MessageHandler.NAME, NAME);
        context.registerService(MessageHandler.class, handler, properties);
    }

    @Override
    public void stop(BundleContext context) {
        replies.shutdownNow();
        pending.forEach(reply -> reply.completeExceptionally(new IllegalStateException("stopped before it answered")));
    }
}
