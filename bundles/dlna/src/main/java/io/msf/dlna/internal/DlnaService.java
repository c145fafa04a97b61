package io.msf.dlna.internal;

import io.msf.client.api.Address;
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
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The demo service dlna (libmsf's msf_dlna): the handler named {@value Dlna#NAME} with id
 * {@value Dlna#ID}, answering {@link Dlna#GET} and {@link Dlna#SET} on its state and announcing each
 * change with one NOTIFY to {@code upnp} and one publication on {@value Dlna#STATE_TOPIC}. Its
 * lifecycle is the component's: activate is libmsf's init and start, deactivate its stop, and its
 * configuration (PID {@value #PID}) its parameters; a change restarts it.
 */
@Component(service = MessageHandler.class, immediate = true, configurationPid = DlnaService.PID,
        property = {MessageHandler.NAME + "=" + Dlna.NAME, MessageHandler.ID + ":Integer=" + Dlna.ID})
@Designate(ocd = DlnaConfiguration.class)
public final class DlnaService implements MessageHandler {

    static final String PID = "msf.demo.dlna";
    private static final Address UPNP = Address.name("upnp");

    /** The most changes a thread announces in one call; dlna's own thread sends the rest ({@link #announceQueued}). */
    static final int ANNOUNCED_PER_TURN = 64;
    /**
     * The most changes waiting to be announced; a SET past it is refused with OVERLOADED and changes
     * nothing. Without it, SETs on several agent threads while upnp is slow to take its NOTIFYs would
     * queue without end (up to {@value Dlna#MAX_STATE_BYTES} bytes each).
     */
    static final int MAX_UNANNOUNCED = 1024;
    /** dlna's pool of one thread, from ServiceExecutors, that goes on with changes a SET's thread left. */
    static final String ANNOUNCER = "announcer";

    private final AgentClient client;
    /**
     * Not the timer's thread: an in-container NOTIFY or publication runs its receiver's handler on the
     * sender's thread, which would then hold every timer of the container.
     */
    private final ExecutorService announcer;
    private final Logger log;
    private final Timeout summary;
    private final int summaryMillis;
    /** Written under {@link #stateLock} only, with the announcement of the change queued in the same step. */
    private volatile String state = Dlna.INITIAL_STATE;
    private final Object stateLock = new Object();
    /**
     * The changes not yet announced, in the order they were made. SETs come on their callers'
     * threads: announced by each on its own, two overlapping SETs could reach upnp and the topic in
     * the reverse order, the state before last announced last. One thread at a time sends them, in
     * order, and no lock is held while it does (an in-container NOTIFY runs upnp's handler on it).
     */
    private final Queue<String> announcements = new ConcurrentLinkedQueue<>();
    /** The size of {@link #announcements}: added to under {@link #stateLock}, taken from as they are sent. */
    private final AtomicInteger unannounced = new AtomicInteger();
    private final AtomicBoolean announcing = new AtomicBoolean();
    private final Exchanges gets = new Exchanges();
    private final Exchanges sets = new Exchanges();
    private final Exchanges changes = new Exchanges();
    private final Exchanges notifyFailures = new Exchanges();

    /**
     * @throws IllegalArgumentException naming the key of a value that cannot be read or is out of its
     *         Metatype bounds (set through Config Admin past the config gate); SCR then logs it
     */
    @Activate
    public DlnaService(DlnaConfiguration configured, @Reference AgentClient client, @Reference TimerService timer,
            @Reference ServiceExecutors executors, @Reference(service = LoggerFactory.class) Logger log) {
        DlnaConfiguration config = ConfigValues.naming(DlnaConfiguration.class, configured, PID);
        if (!config.enabled()) {
            // the switch that was: a configuration written for it still passes the gate, and must not
            // be taken for one that stopped dlna
            log.warn("{}: enabled = false (param.enabled in msf.service~dlna.cfg) is no longer used and is ignored:"
                    + " dlna runs; to stop it set the deployment's own enabled = false", PID);
        }
        this.client = client;
        this.log = log;
        this.summaryMillis = ConfigValues.within(PID, "summaryMillis", config.summaryMillis(),
                DlnaConfiguration.MIN_SUMMARY_MILLIS, DlnaConfiguration.MAX_SUMMARY_MILLIS);
        this.announcer = executors.executor(ANNOUNCER, 1);
        try {
            this.summary = summaryMillis > 0
                    ? timer.scheduleAtFixedRate(this::logSummary, summaryMillis, summaryMillis, TimeUnit.MILLISECONDS)
                    : null;
        } catch (RuntimeException e) { // no deactivate follows a constructor that throws
            announcer.shutdownNow();
            throw e;
        }
        log.info("dlna started as '{}' (id {}): GET={}, SET={}, state changes to upnp and {}; state '{}'",
                Dlna.NAME, Dlna.ID, Dlna.GET, Dlna.SET, Dlna.STATE_TOPIC, state);
    }

    @Deactivate
    void deactivate() {
        if (summary != null) {
            summary.cancel();
        }
        announcer.shutdownNow(); // changes still queued no longer matter: dlna is gone
    }

    @Override
    public CompletionStage<ByteBuf> handle(Message message) {
        if (message.type() != MessageType.REQUEST) {
            log.debug("dlna <- peer {}: {} ignored (dlna takes requests only)", peer(message), message);
            return null;
        }
        return switch (message.command()) {
            case Dlna.GET -> get(message);
            case Dlna.SET -> set(message);
            default -> throw new AgentException(ErrorCode.NO_HANDLER, "dlna has no command "
                    + Integer.toUnsignedString(message.command()) + " (GET=" + Dlna.GET + ", SET=" + Dlna.SET + ")");
        };
    }

    private CompletionStage<ByteBuf> get(Message request) {
        String current = state;
        exchange(gets, "dlna <- peer {}: GET, answered '{}'", peer(request), current);
        return CompletableFuture.completedFuture(text(current));
    }

    /**
     * @throws IllegalArgumentException for an empty, too long or malformed state (the requester gets REMOTE_ERROR):
     *         malformed bytes decoded leniently would become U+FFFD each, a state of three times the bound
     */
    private CompletionStage<ByteBuf> set(Message request) {
        ByteBuf payload = request.payload();
        if (!Dlna.isState(payload)) {
            int bytes = payload.readableBytes();
            if (bytes == 0 || bytes > Dlna.MAX_STATE_BYTES) {
                throw new IllegalArgumentException(refusedSet(request, bytes + " bytes"));
            }
            throw new IllegalArgumentException(refusedSet(request, bytes + " bytes that are not UTF-8 ("
                    + ByteBufUtil.hexDump(payload, payload.readerIndex(), Math.min(bytes, 16)) + (bytes > 16 ? "..." : "")
                    + ")"));
        }
        String next = payload.toString(StandardCharsets.UTF_8);
        String previous;
        synchronized (stateLock) {
            previous = state;
            if (!previous.equals(next)) {
                if (unannounced.get() >= MAX_UNANNOUNCED) {
                    throw new AgentException(ErrorCode.OVERLOADED, "SET from peer " + peer(request) + " refused: "
                            + MAX_UNANNOUNCED + " changes of dlna's state still wait to be announced to upnp;"
                            + " the state stays '" + previous + "': SET again later");
                }
                unannounced.incrementAndGet();
                announcements.add(next);
            }
            state = next;
        }
        exchange(sets, "dlna <- peer {}: SET '{}', was '{}'", peer(request), next, previous);
        announceQueued();
        return CompletableFuture.completedFuture(text(previous));
    }

    private static String refusedSet(Message request, String got) {
        return "SET from peer " + peer(request) + " needs the new state as 1 to " + Dlna.MAX_STATE_BYTES
                + " bytes of UTF-8 text, got " + got;
    }

    /**
     * Sends the queued changes unless another thread is sending them, which then sends this one's
     * too. Checked again after letting go: a change queued just before would otherwise wait for the
     * next SET. A SET that upnp's handler makes while this thread notifies it is queued and sent by
     * this loop, after the one being sent. At most {@value #ANNOUNCED_PER_TURN} in one call: under a
     * flood of SETs the thread that won kept sending what the others queued, its own SET unanswered and
     * its caller's agent thread held until the flood ended; dlna's own thread goes on with the rest.
     */
    private void announceQueued() {
        int room = ANNOUNCED_PER_TURN;
        while (!announcements.isEmpty() && announcing.compareAndSet(false, true)) {
            try {
                for (String next; room > 0 && (next = announcements.poll()) != null; room--) {
                    unannounced.decrementAndGet();
                    try {
                        announce(next);
                    } catch (RuntimeException e) { // thrown by the client, not in its stage: the next ones still go
                        log.warn("dlna: announcing '{}' failed: {}", next, e.toString());
                    }
                }
            } finally {
                announcing.set(false);
            }
            if (room == 0) {
                if (!announcements.isEmpty()) {
                    handOn();
                }
                return;
            }
        }
    }

    /** The queued changes left to dlna's own thread, in turns as a SET's thread takes them. */
    private void handOn() {
        try {
            announcer.execute(this::announceQueued);
        } catch (RejectedExecutionException e) {
            // shut down by the stop (the changes no longer matter), or its queue full: each task there sends
            // what is queued then, so none is left behind
            log.debug("dlna: queued changes not handed on: {}", e.toString());
        }
    }

    /** One NOTIFY to upnp and one publication, each with its own copy of the state. */
    private void announce(String next) {
        boolean first = changes.countFirst();
        client.notify(UPNP, Dlna.STATE_CHANGED, text(next)).whenComplete((sent, failure) -> {
            if (failure != null && notifyFailures.countFirst()) {
                log.info("dlna -> upnp: NOTIFY not delivered: {} (logged once; dlna goes on)", failure.getMessage());
            }
        });
        try {
            client.publish(Dlna.STATE_TOPIC, Dlna.STATE_CHANGED, text(next));
        } catch (AgentException e) {
            log.warn("dlna: publishing '{}' on {} failed: {}", next, Dlna.STATE_TOPIC, e.getMessage());
        }
        if (first) {
            log.info("dlna -> upnp: NOTIFY state '{}'; published on {} (first change; the following ones are"
                    + " logged at DEBUG)", next, Dlna.STATE_TOPIC);
        } else {
            log.debug("dlna -> upnp: NOTIFY state '{}'; published on {}", next, Dlna.STATE_TOPIC);
        }
    }

    private void exchange(Exchanges kind, String format, Object... args) {
        if (kind.countFirst()) {
            log.info(format + " (first one; the following ones are logged at DEBUG)", args);
        } else {
            log.debug(format, args);
        }
    }

    private void logSummary() {
        String line = summaryLine();
        if (line != null) {
            log.info(line);
        }
    }

    /** What happened since the previous summary, or null if nothing did. */
    String summaryLine() {
        long got = gets.drain();
        long set = sets.drain();
        long changed = changes.drain();
        long undelivered = notifyFailures.drain();
        if (got + set == 0) {
            return null;
        }
        return "dlna, last " + summaryMillis + " ms: answered " + got + " GET and " + set + " SET; " + changed
                + " state changes sent to upnp and " + Dlna.STATE_TOPIC + (undelivered > 0 ? " (" + undelivered + " NOTIFY undelivered)" : "")
                + "; state '" + state + "'";
    }

    /** A payload from the client's allocator (charged to this bundle), which the agent takes over. */
    private ByteBuf text(String value) {
        return ByteBufUtil.writeUtf8(client.alloc(), value);
    }

    private static String peer(Message message) {
        return Integer.toUnsignedString(message.source());
    }
}
