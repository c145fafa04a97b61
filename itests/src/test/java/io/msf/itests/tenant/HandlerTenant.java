package io.msf.itests.tenant;

import io.msf.client.api.MessageHandler;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.CompletableFuture;
import org.osgi.framework.BundleContext;

/**
 * Offers a message handler as an application bundle would: a {@link MessageHandler} service with
 * a name and an id. It answers {@code <NAME> got <request text>}.
 */
public final class HandlerTenant extends Tenant {

    public static final String NAME = "itest.tenant";
    public static final int ID = 7001;

    @Override
    public void start(BundleContext context) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(MessageHandler.NAME, NAME);
        properties.put(MessageHandler.ID, ID);
        MessageHandler handler = message -> CompletableFuture.completedFuture(Unpooled.copiedBuffer(
                NAME + " got " + message.payload().toString(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
        context.registerService(MessageHandler.class, handler, properties);
    }
}
