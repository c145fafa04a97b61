package io.msf.upnp.internal;

import io.msf.client.api.AgentClient;
import io.msf.client.api.AgentException;
import io.msf.client.api.MessageHandler;
import io.msf.dlna.api.Dlna;
import io.msf.event.api.ServiceExecutors;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.MessageType;
import io.msf.settings.ConfigValues;
import io.msf.timer.api.Timeout;
import io.msf.timer.api.TimerService;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The demo service upnp (libmsf's msf_upnp): the handler named {@value #NAME} with id {@value #ID},
 * taking dlna's NOTIFYs and answering {@link #STATUS}; what it does with dlna is
 * {@link DlnaConversation}. Its lifecycle is the component's (activate: libmsf's init and start,
 * deactivate: stop); its configuration is PID {@value #PID}, and a change restarts it.
 */
@Component(service = MessageHandler.class, immediate = true, configurationPid = UpnpService.PID,
        property = {MessageHandler.NAME + "=" + UpnpService.NAME, MessageHandler.ID + ":Integer=" + UpnpService.ID})
@Designate(ocd = UpnpConfiguration.class)
public final class UpnpService implements MessageHandler {

    static final String PID = "msf.demo.upnp";
    static final String NAME = "upnp";
    static final int ID = 1002;
    /** REQUEST, empty payload: the reply is upnp's status as text ({@code agent:send upnp 1 ""}). */
    static final int STATUS = 1;

    private final AgentClient client;
    private final Logger log;
    private final int summaryMillis;
    private final Received received;
    private final DlnaConversation conversation;
    private final Timeout summary;

    /**
     * @throws IllegalArgumentException naming the key of a value that cannot be read or is out of its
     *         Metatype bounds (set through Config Admin past the config gate); SCR then logs it
     */
    @Activate
    public UpnpService(UpnpConfiguration configured, @Reference AgentClient client, @Reference TimerService timer,
            @Reference ServiceExecutors executors, @Reference(service = LoggerFactory.class) Logger log) {
        UpnpConfiguration config = ConfigValues.naming(UpnpConfiguration.class, configured, PID);
        if (!config.enabled()) {
            // the switch that was: a configuration written for it still passes the gate, and must not
            // be taken for one that stopped upnp
            log.warn("{}: enabled = false (param.enabled in msf.service~upnp.cfg) is no longer used and is ignored:"
                    + " upnp runs; to stop it set the deployment's own enabled = false", PID);
        }
        int intervalMillis = ConfigValues.within(PID, "intervalMillis", config.intervalMillis(),
                UpnpConfiguration.MIN_INTERVAL_MILLIS, UpnpConfiguration.MAX_INTERVAL_MILLIS);
        int timeoutMillis = ConfigValues.within(PID, "timeoutMillis", config.timeoutMillis(),
                UpnpConfiguration.MIN_TIMEOUT_MILLIS, UpnpConfiguration.MAX_TIMEOUT_MILLIS);
        this.client = client;
        this.log = log;
        this.summaryMillis = ConfigValues.within(PID, "summaryMillis", config.summaryMillis(),
                UpnpConfiguration.MIN_SUMMARY_MILLIS, UpnpConfiguration.MAX_SUMMARY_MILLIS);
        this.received = new Received(log);
        this.conversation = new DlnaConversation(client, timer, executors.executor(DlnaConversation.POOL, 1), log,
                received, intervalMillis, timeoutMillis);
        try {
            this.summary = summaryMillis > 0
                    ? timer.scheduleAtFixedRate(this::logSummary, summaryMillis, summaryMillis, TimeUnit.MILLISECONDS)
                    : null;
        } catch (RuntimeException e) { // the timer closed as the bundle stops (TimerClosedException)
            // deactivate never runs for a constructor that threw: the worker's pool would stay, counted
            // against upnp, until the bundle's stop
            conversation.stop();
            throw e;
        }
        log.info("upnp started as '{}' (id {}): talking to dlna every {} ms, timeout {} ms", NAME, ID,
                intervalMillis, timeoutMillis);
        conversation.start();
    }

    @Deactivate
    void deactivate() {
        if (summary != null) {
            summary.cancel();
        }
        conversation.stop();
    }

    @Override
    public CompletionStage<ByteBuf> handle(Message message) {
        if (message.type() == MessageType.NOTIFY) {
            if (message.command() == Dlna.STATE_CHANGED) {
                received.notification(message);
            } else {
                log.debug("upnp <- peer {}: NOTIFY with command {} ignored", Integer.toUnsignedString(message.source()),
                        Integer.toUnsignedString(message.command()));
            }
            return null;
        }
        if (message.command() != STATUS) {
            throw new AgentException(ErrorCode.NO_HANDLER, "upnp has no command "
                    + Integer.toUnsignedString(message.command()) + " (STATUS=" + STATUS + ")");
        }
        return CompletableFuture.completedFuture(ByteBufUtil.writeUtf8(client.alloc(), status()));
    }

    String status() {
        return "upnp: " + count(conversation.rounds().started(), "round") + " with dlna, "
                + received.notificationCount() + " NOTIFY and " + count(received.publicationCount(), "publication")
                + " received; dlna state '" + received.dlnaState() + "'";
    }

    /** {@code 1 round}, {@code 2 rounds}: the status and summary lines are read by people. */
    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private void logSummary() {
        String line = summaryLine();
        if (line != null) {
            log.info(line);
        }
    }

    /** What happened since the previous summary, or null if nothing did. */
    String summaryLine() {
        String rounds = conversation.rounds().drain();
        String told = received.drain();
        if (rounds == null && told == null) {
            return null;
        }
        StringJoiner line = new StringJoiner("; ", "upnp, last " + summaryMillis + " ms: ", "");
        if (rounds != null) {
            line.add(rounds);
        }
        if (told != null) {
            line.add(told);
        }
        return line.add("dlna state '" + received.dlnaState() + "'").toString();
    }
}
