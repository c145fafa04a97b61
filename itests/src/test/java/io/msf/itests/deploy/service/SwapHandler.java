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
import org.osgi.framework.Constants;

/**
 * The service of the deploy tests, as a tiny bundle: a {@link MessageHandler} named {@value #NAME}
 * that answers every request with its bundle's version, after {@value #DELAY_MILLIS} ms on its own
 * thread, so that a swap always finds requests in flight at the old version. A bundle with the
 * header {@value #RANKING_HEADER} registers it with that {@code service.ranking}; one with
 * {@value #DELAY_HEADER} answers after that many ms instead.
 */
public final class SwapHandler implements BundleActivator {

    public static final String NAME = "itest.swap";
    public static final long DELAY_MILLIS = 2;
    public static final String RANKING_HEADER = "Itest-Service-Ranking";
    public static final String DELAY_HEADER = "Itest-Reply-Delay-Millis";

    private ScheduledExecutorService replies;

    @Override
    public void start(BundleContext context) {
        String version = context.getBundle().getVersion().toString();
        String delayHeader = context.getBundle().getHeaders().get(DELAY_HEADER);
        long delay = delayHeader == null ? DELAY_MILLIS : Long.parseLong(delayHeader);
        replies = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "itest-swap-" + version);
            thread.setDaemon(true);
            return thread;
        });
        MessageHandler handler = message -> {
            CompletableFuture<ByteBuf> reply = new CompletableFuture<>();
            replies.schedule(() -> reply.complete(Unpooled.copiedBuffer(version, StandardCharsets.UTF_8)),
                    delay, TimeUnit.MILLISECONDS);
            return reply;
        };
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(MessageHandler.NAME, NAME);
        String ranking = context.getBundle().getHeaders().get(RANKING_HEADER);
        if (ranking != null) {
            properties.put(Constants.SERVICE_RANKING, Integer.valueOf(ranking));
        }
        context.registerService(MessageHandler.class, handler, properties);
    }

    /** Replies already scheduled still go out: the executor runs its delayed tasks after shutdown. */
    @Override
    public void stop(BundleContext context) {
        replies.shutdown();
    }
}
