package io.msf.agent.internal.uplink;

import io.msf.agent.internal.broker.Identity;
import io.msf.agent.internal.broker.UplinkPeer;
import io.msf.client.api.AgentClients;
import io.msf.client.api.AgentException;
import io.msf.client.api.ClientOptions;
import io.msf.client.api.ConnectedClient;
import io.msf.client.api.ConnectionState;
import io.msf.client.api.MessageHandler;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.MessageType;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import org.osgi.service.log.Logger;

/**
 * One name and/or id of this container registered in the parent's agent: a connection of its own
 * (a HELLO claims one name and one id) whose handler passes each REQUEST and NOTIFY into this
 * container's broker, addressed to that name or id, and answers with the local reply or error
 * code. The handler runs on the connection's I/O thread: passing on never blocks, and the local
 * handler it reaches is bound not to block either, as for any in-container call.
 */
final class Export implements MessageHandler {

    private final Identity identity;
    private final UplinkSettings parent;
    private final UplinkPeer peer;
    private final Logger log;
    private final Runnable changed;
    private final BooleanSupplier closing;
    private final RetryDelay delay = new RetryDelay();
    private volatile ConnectedClient client;
    /** Why the parent refused it last, for {@code agent:peers}; null when exported. */
    private volatile String refusal;
    private long dueNanos = System.nanoTime();

    /** @param closing true once the uplink is closing: a connection made then is closed at once, quietly */
    Export(Identity identity, UplinkSettings parent, UplinkPeer peer, Logger log, Runnable changed,
            BooleanSupplier closing) {
        this.identity = identity;
        this.closing = closing;
        this.parent = parent;
        this.peer = peer;
        this.log = log;
        this.changed = changed;
    }

    Identity identity() {
        return identity;
    }

    boolean exported() {
        ConnectedClient current = client;
        return current != null && current.state() != ConnectionState.CLOSED;
    }

    String refusal() {
        return refusal;
    }

    /**
     * Registers in the parent if not registered and the retry delay has passed, on the control
     * thread (blocking up to the connect timeout).
     *
     * @return when to try again, or {@link Long#MAX_VALUE} if registered
     */
    long connect(long now, ClientOptions.Builder options) {
        if (exported()) {
            return Long.MAX_VALUE;
        }
        ConnectedClient refused = client;
        if (refused != null) {
            // Refused when it registered again after a lost connection (someone took the name meanwhile).
            refused.close();
            client = null;
        }
        if (now - dueNanos < 0) {
            return dueNanos;
        }
        if (!identity.name().isEmpty()) {
            options.name(identity.name());
        }
        if (identity.id() != 0) {
            options.id(identity.id());
        }
        try {
            // Never REPLACE: a peer of the parent that took the name while the connection was down keeps it.
            ConnectedClient joined = AgentClients.connect(options.handler(this).handlerOnIoThread(true)
                    .replaceOnReconnect(false).build());
            if (closing.getAsBoolean()) {
                joined.close();
                return Long.MAX_VALUE;
            }
            joined.onStateChange(state -> {
                if (state == ConnectionState.CLOSED && client == joined && !closing.getAsBoolean()) {
                    log.warn("agent uplink: the parent agent at {} refused {} when it registered again; trying"
                            + " again", parent.text(), identity);
                    changed.run();
                }
            });
            client = joined;
            refusal = null;
            delay.succeeded();
            log.info("agent uplink exports {} to the parent agent at {}", identity, parent.text());
            return Long.MAX_VALUE;
        } catch (AgentException e) {
            if (closing.getAsBoolean()) {
                return Long.MAX_VALUE;
            }
            boolean duplicate = e.code() == ErrorCode.DUPLICATE_NAME || e.code() == ErrorCode.DUPLICATE_ID;
            refusal = e.code().toString();
            if (delay.failures() == 0 && duplicate) {
                log.error("agent uplink cannot export {} to the parent agent at {}: {}; it stays reachable here only,"
                        + " and the export is tried again until the parent frees it", identity, parent.text(),
                        e.getMessage());
            } else if (delay.failures() == 0) {
                log.warn("agent uplink cannot export {} to the parent agent at {}: {}; trying again", identity,
                        parent.text(), parent.refusal(e));
            } else {
                log.debug("agent uplink: attempt {} to export {} to {} failed: {}", delay.failures() + 1, identity,
                        parent.text(), e.getMessage());
            }
            dueNanos = now + delay.failed();
            return dueNanos;
        }
    }

    /** A REQUEST or NOTIFY from a peer of the parent, for this container's peer with the exported name or id. */
    @Override
    public CompletionStage<ByteBuf> handle(Message message) {
        // By name if it came by name, or by an id the parent assigned to this connection (meaningless here).
        boolean byId = message.subject().isEmpty() && identity.id() != 0
                && (message.destination() == identity.id() || identity.name().isEmpty());
        String name = byId ? "" : identity.name();
        int id = byId ? identity.id() : 0;
        if (message.type() == MessageType.NOTIFY) {
            peer.notify(message, name, id);
            return null;
        }
        return peer.request(message, name, id).thenApply(reply -> {
            ByteBuf payload = reply.payload().retain();
            reply.release();
            return payload;
        });
    }

    /** Withdraws the export: the parent routes nothing here by it any more. */
    void close(boolean log) {
        ConnectedClient current = client;
        client = null;
        if (current != null) {
            current.close();
            if (log) {
                this.log.info("agent uplink withdrew {} from the parent agent at {}", identity, parent.text());
            }
        }
    }
}
