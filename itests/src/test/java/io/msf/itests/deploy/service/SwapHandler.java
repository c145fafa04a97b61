package io.msf.itests.deploy.service;

import io.msf.client.api.MessageHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * The service of the deploy tests, as a tiny bundle: a {@link MessageHandler} named {@value #NAME}
 * that answers every request with its bundle's version, after {@value #DELAY_MILLIS} ms on its own
 * thread, so that a swap always finds requests in flight at the old version.
 */
public final class SwapHandler implements BundleActivator {

    public static final String NAME = "itest.swap";
    public static final long DELAY_MILLIS = 2;

    private ScheduledExecutorService replies;

    @Override
    public void start(BundleContext context) {
        String version = context.getBundle().getVersion().toString();
        replies = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "itest-swap-" + version);
            thread.setDaemon(true);
            return thread;
        });
        MessageHandler handler = message -> {
            CompletableFuture<ByteBuf> reply = new CompletableFuture<>();
            replies.schedule(() -> reply.complete(Unpooled.copiedBuffer(version, StandardCharsets.UTF_8)),
                    DELAY_MILLIS, TimeUnit.MILLISECONDS);
            return reply;
        };
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(MessageHandler.NAME, NAME);
        context.registerService(MessageHandler.class, handler, properties);
    }

    /** Replies already scheduled still go out: the executor runs its delayed tasks after shutdown. */
    @Override
    public void stop(BundleContext context) {
        replies.shutdown();
    }
}
