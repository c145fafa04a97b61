package io.msf.bench.hotswap.service;

import io.msf.client.api.MessageHandler;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.CompletableFuture;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * The service the hot-swap benchmark swaps: a bundle ({@code bench/hotswap/run.sh} builds two
 * versions of it, same classes, different Bundle-Version) whose {@link MessageHandler}
 * {@value #NAME} answers every request with its payload.
 *
 * <p>A plain activator, so that a Felix {@code update} restarts it exactly as it restarts any
 * bundle, and the deployer finds no components to wait for.
 */
public final class SwapEcho implements BundleActivator {

    public static final String NAME = "bench.swap";

    @Override
    public void start(BundleContext context) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(MessageHandler.NAME, NAME);
        MessageHandler echo = message -> CompletableFuture.completedFuture(message.payload().retain());
        context.registerService(MessageHandler.class, echo, properties);
    }

    @Override
    public void stop(BundleContext context) {
        // the framework unregisters the handler
    }
}
