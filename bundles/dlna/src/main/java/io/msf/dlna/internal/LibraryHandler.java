package io.msf.dlna.internal;

import io.msf.client.api.MessageHandler;
import io.msf.dlna.api.Dlna;
import io.msf.dlna.api.MediaLibrary;
import io.msf.event.api.ServiceExecutors;
import io.msf.protocol.api.Message;
import io.msf.rpc.api.Rpc;
import io.msf.rpc.api.RpcHandler;
import io.netty.buffer.ByteBuf;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * dlna's {@link MediaLibrary} over RPC, as the handler named {@value Dlna#LIBRARY}. Its synchronous
 * method ({@code tracks()}, which a real library would read from disk) runs on a pool of this bundle's
 * own ({@value #POOL}, from {@link ServiceExecutors}): never on the agent's event loop a socket caller
 * shares, nor on an in-container caller's thread past its timeout, and counted against dlna.
 */
@Component(service = MessageHandler.class, immediate = true, property = MessageHandler.NAME + "=" + Dlna.LIBRARY)
public final class LibraryHandler implements MessageHandler {

    static final String POOL = "library";

    private final Logger log;
    private final ExecutorService executor;
    private final RpcHandler rpc;
    /** Method names by command, for the log: the RPC handler itself only sees numbers. */
    private final Map<Integer, String> methods = new HashMap<>();
    private final Exchanges calls = new Exchanges();

    @Activate
    public LibraryHandler(@Reference ServiceExecutors executors, @Reference(service = LoggerFactory.class) Logger log) {
        this.log = log;
        this.executor = executors.executor(POOL, 1);
        this.rpc = Rpc.handler(MediaLibrary.class, new DemoLibrary(), executor);
        for (Map.Entry<Integer, Method> operation : Rpc.operations(MediaLibrary.class).entrySet()) {
            methods.put(operation.getKey(), "MediaLibrary." + operation.getValue().getName());
        }
    }

    /**
     * Ends what is in flight: the agent keeps a removed handler's requests, and a call left on the
     * pool or waiting for a stage would keep its caller waiting until its timeout.
     */
    @Deactivate
    void deactivate() {
        rpc.close();
        executor.shutdownNow();
    }

    @Override
    public CompletionStage<ByteBuf> handle(Message message) throws Exception {
        String method = methods.get(message.command());
        if (method == null) {
            method = "command " + Integer.toUnsignedString(message.command()) + " (not MediaLibrary's)";
        }
        if (calls.countFirst()) {
            log.info("{} <- peer {}: RPC call of {} (first call; the following ones are logged at DEBUG)",
                    Dlna.LIBRARY, Integer.toUnsignedString(message.source()), method);
        } else {
            log.debug("{} <- peer {}: RPC call of {}", Dlna.LIBRARY, Integer.toUnsignedString(message.source()), method);
        }
        return rpc.handle(message);
    }
}
