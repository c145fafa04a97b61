package io.msf.agent.internal.broker;

import io.msf.agent.api.PeerKind;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.MessageType;
import io.msf.protocol.api.Protocol;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The parent container's agent, as one peer of this (child) container's broker.
 *
 * <p>Going out: a request or notification from a local peer to a name or id nobody here holds is
 * routed to this peer ({@link UplinkRouting#routeAdmitted}), which hands it to the {@link ParentLink}; the
 * parent's answer, or its error code, settles the request like any local one. A local publication
 * is also published in the parent ({@link #publishUp}).
 *
 * <p>Coming in: what the parent's peers send to a name or id this container exports enters here
 * ({@link #request}, {@link #notify}, {@link #publish}) and is routed to local peers only, so a
 * message can never bounce back to the parent; a request to a handler is the same direct call a
 * bundle's client makes, so ranking, hold and drain of a hot swap apply to it.
 */
public final class UplinkPeer extends Peer {

    /**
     * The parent enforces a forwarded request's timeout and names the late peer in its TIMEOUT:
     * this broker's own timer waits this much longer, so that it only fires if the parent's
     * answer is lost on the way.
     */
    static final int TIMER_SLACK_MILLIS = 500;

    private final Broker broker;
    private final ParentLink link;
    private final AtomicLong sequences = new AtomicLong();

    UplinkPeer(Broker broker, int id, ParentLink link) {
        super(id, "", PeerKind.UPLINK, "the parent agent", new SharedOutstandingRequests(broker));
        this.broker = broker;
        this.link = link;
    }

    boolean connected() {
        return link.connected();
    }

    @Override
    String describeOrigin() {
        return link.describe();
    }

    @Override
    int maxFrameBytes() {
        // The parent's own limit is not known here; a child runs the same assembly and configuration.
        return broker.settings().maxFrameBytes();
    }

    @Override
    int timerSlackMillis() {
        return TIMER_SLACK_MILLIS;
    }

    /** A request for the parent: forwarded with what is left of its timeout. */
    @Override
    void deliverRequest(Message request, PendingRequest pending) {
        if (request.subject().isEmpty() && request.destination() == id) {
            request.release();
            broker.answer(pending, Failures.frame(ErrorCode.NO_HANDLER, pending.requester.id, pending.command,
                    pending.sequence, label() + " is the link to the parent agent and handles no requests"));
            return;
        }
        // Whole milliseconds left, rounded down: a request going round a cycle of agents loses at least
        // one at every hop, and ends with TIMEOUT here instead of being forwarded once more.
        long elapsedNanos = System.nanoTime() - pending.startNanos;
        int remaining = (int) ((TimeUnit.MILLISECONDS.toNanos(pending.timeoutMillis) - elapsedNanos) / 1_000_000L);
        if (remaining <= 0) {
            request.release();
            broker.timedOut(pending);
            return;
        }
        stats.delivered(request.payload().readableBytes());
        CompletionStage<Message> answer;
        try {
            answer = link.request(request, remaining);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((reply, failure) -> {
            if (failure == null) {
                stats.received(reply.payload().readableBytes());
                // From this peer: the id of the parent's peer that answered means nothing in this container.
                broker.answer(pending, new Message(MessageType.REPLY, 0, ErrorCode.OK, id,
                        pending.requester.id, "", pending.command, pending.sequence, 0, reply.payload()));
            } else {
                stats.errors.increment();
                broker.answer(pending, Failures.frame(Failures.code(failure), pending.requester.id, pending.command,
                        pending.sequence, Failures.detail(failure)));
            }
        });
    }

    /** A NOTIFY for the parent; nothing else is routed here. */
    @Override
    void deliver(Message message) {
        if (message.type() != MessageType.NOTIFY) {
            message.release();
            return;
        }
        stats.delivered(message.payload().readableBytes());
        String to = Broker.address(message.subject(), message.destination());
        link.notify(message).whenComplete((sent, failure) -> {
            if (failure != null) {
                stats.errors.increment();
                broker.log.debug("agent uplink: a notification to {} was not sent to {}: {}", to, link.describe(),
                        Failures.detail(failure));
            }
        });
    }

    /** Something sent from the parent could not be delivered here: the parent's sender cannot be told. */
    @Override
    void error(ErrorCode code, int command, long sequence, String detail) {
        stats.errors.increment();
        broker.log.debug("agent uplink: a message from the parent was not delivered: {} {}", code, detail);
    }

    /** Publishes a copy of a local publication in the parent; false if the parent is not connected. */
    boolean publishUp(Message publication) {
        if (!link.connected()) {
            return false;
        }
        stats.delivered(publication.payload().readableBytes());
        link.publish(Frames.publication(publication, Protocol.AGENT_ID));
        return true;
    }

    /**
     * A request from the parent's peer to {@code name} (or, without a name, id {@code destination})
     * here. {@code fromParent} stays the caller's.
     *
     * @return completes with the local answer (the receiver releases it) or fails with an AgentException
     */
    public CompletableFuture<Message> request(Message fromParent, String name, int destination) {
        stats.received(fromParent.payload().readableBytes());
        Message request = new Message(MessageType.REQUEST, 0, ErrorCode.OK, id, destination, name,
                fromParent.command(), sequences.incrementAndGet(), fromParent.timeoutMillis(),
                fromParent.payload().retain());
        Peer to = broker.resolveAdmitted(this, name, destination);
        if (to instanceof HandlerPeer) {
            int timeout = request.timeoutMillis() == 0 ? broker.settings().defaultTimeoutMillis()
                    : request.timeoutMillis();
            return ((HandlerPeer) to).callAsync(this, request, timeout);
        }
        CompletableFuture<Message> reply = new CompletableFuture<>();
        broker.request(this, request, reply);
        return reply;
    }

    /** A NOTIFY from the parent's peer to {@code name} (or id {@code destination}); {@code fromParent} stays theirs. */
    public void notify(Message fromParent, String name, int destination) {
        stats.received(fromParent.payload().readableBytes());
        broker.notify(this, new Message(MessageType.NOTIFY, 0, ErrorCode.OK, id, destination, name,
                fromParent.command(), sequences.incrementAndGet(), 0, fromParent.payload().retain()));
    }

    /**
     * A publication from the parent, for local subscribers only. It gets a sequence of this peer's
     * own: publications of several parent peers must stay distinct to a grandchild's uplink.
     */
    public void publish(Message fromParent) {
        stats.received(fromParent.payload().readableBytes());
        broker.publications.publish(this, new Message(MessageType.PUBLISH, 0, ErrorCode.OK, id, 0,
                fromParent.subject(), fromParent.command(), sequences.incrementAndGet(), 0,
                fromParent.payload().retain()));
    }
}
