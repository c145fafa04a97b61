package io.msf.bench.broker.probe;

import io.msf.client.api.MessageHandler;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.CompletableFuture;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * The in-container half of the broker benchmark, a bundle that {@code bench/broker/prepare.sh}
 * builds and {@code run.sh} drops into the benchmark's copy of the assembly (deploy/). It offers
 * an echo {@link MessageHandler} (id {@value #ECHO_ID}, name {@value #ECHO_NAME}), reachable from
 * outside over the agent's sockets like any service, and the Gogo command {@code bench:inproc}
 * ({@link InprocCommand}), which calls that same handler from inside the container through the
 * bundle's own {@code AgentClient}: no socket, no encoding.
 *
 * <p>A plain activator rather than DS so the bundle needs nothing but the client API and the
 * framework (it embeds HdrHistogram, outside its {@code javax.xml.bind} import).
 */
public final class InprocProbe implements BundleActivator {

    static final int ECHO_ID = 64001;
    static final String ECHO_NAME = "bench.echo.local";

    @Override
    public void start(BundleContext context) {
        Dictionary<String, Object> handler = new Hashtable<>();
        handler.put(MessageHandler.ID, ECHO_ID);
        handler.put(MessageHandler.NAME, ECHO_NAME);
        MessageHandler echo = message -> CompletableFuture.completedFuture(message.payload().retain());
        context.registerService(MessageHandler.class, echo, handler);

        Dictionary<String, Object> command = new Hashtable<>();
        command.put("osgi.command.scope", "bench");
        command.put("osgi.command.function", new String[] {"inproc"});
        context.registerService(InprocCommand.class, new InprocCommand(context), command);
    }

    @Override
    public void stop(BundleContext context) {
        // the framework unregisters both services
    }
}
