package io.msf.dlna.internal;

import io.msf.client.api.AgentException;
import io.msf.client.api.MessageHandler;
import io.msf.dlna.api.Dlna;
import io.msf.dlna.api.MediaLibrary;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.rpc.api.Rpc;
import io.msf.settings.ConfigValues;
import io.netty.buffer.ByteBuf;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * dlna's {@link MediaLibrary} over RPC, as the handler named {@value Dlna#LIBRARY}. Shares dlna's
 * configuration (PID {@value DlnaService#PID}): disabled with it.
 */
@Component(service = MessageHandler.class, immediate = true, configurationPid = DlnaService.PID,
        property = MessageHandler.NAME + "=" + Dlna.LIBRARY)
public final class LibraryHandler implements MessageHandler {

    private final boolean enabled;
    private final Logger log;
    private final MessageHandler rpc = Rpc.handler(MediaLibrary.class, new DemoLibrary());
    /** Method names by command, for the log: the RPC handler itself only sees numbers. */
    private final Map<Integer, String> methods = new HashMap<>();
    private final Exchanges calls = new Exchanges();

    @Activate
    public LibraryHandler(DlnaConfiguration config, @Reference(service = LoggerFactory.class) Logger log) {
        this.enabled = ConfigValues.naming(DlnaConfiguration.class, config, DlnaService.PID).enabled();
        this.log = log;
        for (Method method : MediaLibrary.class.getMethods()) {
            methods.put(Rpc.command(method), "MediaLibrary." + method.getName());
        }
    }

    @Override
    public CompletionStage<ByteBuf> handle(Message message) throws Exception {
        if (!enabled) {
            throw new AgentException(ErrorCode.NO_HANDLER, Dlna.LIBRARY + " is disabled (" + DlnaService.PID
                    + ": enabled = false)");
        }
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
