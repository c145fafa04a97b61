package io.msf.agent.internal.broker;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.msf.agent.api.Agent;
import io.msf.agent.api.AgentTotals;
import io.msf.agent.api.PeerInfo;
import io.msf.agent.api.TopicInfo;
import io.msf.client.api.AgentException;
import io.msf.client.api.MessageHandler;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.MessageType;
import io.msf.protocol.api.Protocol;
import io.msf.protocol.api.Topic;
import io.msf.timer.api.Timeout;
import io.msf.timer.api.TimerService;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.osgi.service.log.Logger;

/**
 * The message broker of the container (docs/protocol.md sections 6 to 11): routes requests, their
 * answers, notifications and publications between connections ({@link SocketPeer}), in-container
 * handlers ({@link HandlerPeer}) and bundles' clients ({@link LocalClient}).
 *
 * <p>Plain Java: the DS components build one and feed it connections, handlers and clients. It
 * has no thread of its own. A message is routed on the thread it arrives on (a connection's
 * event loop, or the calling thread of a bundle's client); deliveries to connections are queued
 * on their own event loops by Netty. A request is settled on the thread that owns its requester's
 * {@link OutstandingRequests}: a connection's event loop, where its deadline is checked too and
 * its answer written; for the other peers, the thread its answer or its timer (the timer
 * service's) arrives on.
 */
public final class Broker implements Agent {

    final Registry registry = new Registry();
    final Totals totals = new Totals();
    final Publications publications = new Publications(totals);
    final Logger log;
    /** Anyone who can connect may send a malformed frame on each connection: a WARN line for each would flood. */
    final PeerAddressWarnings malformedFrames = new PeerAddressWarnings(this, "malformed frames");
    /** And so may anyone be refused at its HELLO (a wrong token, none in time), connection after connection. */
    final PeerAddressWarnings refusedConnections = new PeerAddressWarnings(this, "refused connections");
    private final TimerService timers;
    private final Supplier<EventExecutor> listenerExecutors;
    final UplinkRouting uplinks = new UplinkRouting(this);
    /** The bytes queued for all connections together, bounded by maxQueuedBytes. */
    final QueuedBytesBudget queuedBytes;
    private volatile BrokerSettings settings;
    /** Told when the budget of queued bytes is exhausted, or no longer; set once, by the agent component. */
    private volatile Runnable onBudgetChange = () -> { };

    /**
     * @param timers times the requests of peers without an event loop (bundles' clients, the uplink)
     * @param listenerExecutors gives each in-container subscription the executor its listener runs on
     */
    public Broker(BrokerSettings settings, TimerService timers, Supplier<EventExecutor> listenerExecutors,
            Logger log) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.timers = Objects.requireNonNull(timers, "timers");
        this.listenerExecutors = Objects.requireNonNull(listenerExecutors, "listenerExecutors");
        this.log = Objects.requireNonNull(log, "log");
        this.queuedBytes = new QueuedBytesBudget(this, settings.maxQueuedBytes());
    }

    public BrokerSettings settings() {
        return settings;
    }

    /**
     * New connections take the new frame limit and heartbeat; timeouts, the token and the outbound
     * high-water mark apply at once, the mark to the connections already registered too.
     */
    public void settings(BrokerSettings next) {
        BrokerSettings previous = settings;
        settings = Objects.requireNonNull(next, "settings");
        queuedBytes.limit(next.maxQueuedBytes());
        if (previous.outboundHighWaterBytes() != next.outboundHighWaterBytes()) {
            for (Peer peer : registry.peers()) {
                if (peer instanceof SocketPeer) {
                    ((SocketPeer) peer).highWater(next.outboundHighWaterBytes());
                }
            }
        }
    }

    /**
     * While the connections' queues, together, have passed maxQueuedBytes and are not yet down to half of
     * it: the sentence the agent's health shows, naming the budget and its key; else null.
     */
    public String queuedBytesWarning() {
        if (!queuedBytes.exhausted()) {
            return null;
        }
        return "the agent's outbound queues passed their budget of " + queuedBytes.limit()
                + " bytes (msf.agent maxQueuedBytes): the peers with the largest queues are cut off until they are"
                + " down to half of it; they hold " + queuedBytes.queued() + " bytes";
    }

    /**
     * Runs {@code listener} each time {@link #queuedBytesWarning} comes or goes, on the thread that saw it
     * (a connection's event loop): it must not block.
     */
    public void onQueuedBytesWarning(Runnable listener) {
        onBudgetChange = Objects.requireNonNull(listener, "listener");
    }

    void budgetChanged() {
        onBudgetChange.run();
    }

    /**
     * The connections' queues together are past {@code limit}: cuts off the connection with the
     * largest, unless those already being cut off (whose bytes go within a second) hold the excess.
     */
    void overBudget(long limit) {
        SocketPeer largest = null;
        long largestBytes = -1;
        long leaving = 0;
        for (Peer peer : registry.peers()) {
            if (peer instanceof SocketPeer) {
                SocketPeer connection = (SocketPeer) peer;
                long bytes = connection.queuedBytes();
                if (connection.isCut()) {
                    leaving += bytes;
                } else if (bytes > largestBytes) {
                    largest = connection;
                    largestBytes = bytes;
                }
            }
        }
        if (largest != null && largestBytes > 0 && queuedBytes.queued() - leaving > limit) {
            largest.cutOffOverBudget(limit, largestBytes);
        }
    }

    /** The link to a parent container's agent: attached by a child container's uplink. */
    public UplinkRouting uplinks() {
        return uplinks;
    }

    /** Adds the protocol and a session to each connection of an agent endpoint. */
    public AgentChannelSetup channelSetup() {
        return new AgentChannelSetup(this);
    }

    /** Runs {@code task} after {@code millis} on the timer service's thread (requests of peers without a loop). */
    Timeout schedule(Runnable task, long millis) {
        return timers.schedule(task, millis, TimeUnit.MILLISECONDS);
    }

    EventExecutor listenerExecutor() {
        return listenerExecutors.get();
    }

    /** A bundle's client: an id from the assigned range, payloads from {@code alloc}. */
    public LocalClient openClient(String origin, ByteBufAllocator alloc) {
        LocalClient client = registry.addAssigned(id -> new LocalClient(this, id, origin, alloc));
        log.debug("agent client {} opened for {}", client.label(), origin);
        return client;
    }

    /** Routes to {@code handler} by the id and name in {@code properties}, as its ranking allows. */
    public HandlerPeer addHandler(MessageHandler handler, HandlerProperties properties, String origin) {
        HandlerPeer peer = registry.addHandler(properties.id(),
                id -> new HandlerPeer(this, id, properties, origin, handler));
        String blocked = registry.blocked(peer);
        if (blocked == null) {
            log.info("agent handler {} of {} added (ranking {})", peer.label(), origin, properties.ranking());
        } else {
            log.warn("agent handler {} of {} added, but {}", peer.label(), origin, blocked);
        }
        return peer;
    }

    /** A handler's ranking changed: new messages go to whichever ranks first now. */
    public void rerank(HandlerPeer handler, int ranking) {
        registry.rerank(handler, ranking);
    }

    /** Routes nothing to the bundle's handlers until {@link #releaseRoutes}: a new version being checked. */
    public void holdRoutes(long bundleId) {
        registry.hold(bundleId);
        log.debug("agent holds the handlers of bundle {}", bundleId);
    }

    /**
     * Routes nothing from connections or the uplink to the bundle's handlers until {@link #releaseRoutes}
     * or {@link #holdRoutes}; in-container peers still reach them: the container stopping.
     */
    public void holdRoutesFromOutside(long bundleId) {
        registry.holdFromOutside(bundleId);
        log.debug("agent holds the handlers of bundle {} from peers outside the container", bundleId);
    }

    /** New messages go to the bundle's handlers, before others of the same ranking. */
    public void releaseRoutes(long bundleId) {
        registry.release(bundleId);
        log.debug("agent routes to the handlers of bundle {} first", bundleId);
    }

    /** The bundle is uninstalled: its hold or preference goes with it. */
    public void forgetRoutes(long bundleId) {
        registry.forget(bundleId);
    }

    /** Requests given to the bundle's handlers and not answered yet. */
    public int inFlight(long bundleId) {
        return registry.inFlight(bundleId);
    }

    /** The handler is no longer routed to; what it is working on still completes. */
    public void removeHandler(HandlerPeer handler) {
        // Out of the directories before it is marked closed: a request that looked it up a moment ago and
        // finds it closed then finds the directory changed, and in it the handler ranked next with its name
        // or id (resolveAdmitted). Closed in a directory still routing to it, it was refused PEER_OFFLINE, as
        // if nobody held them. departed() then finds it removed already.
        registry.remove(handler);
        departed(handler);
        log.info("agent handler {} of {} removed ({} requests in flight)", handler.label(), handler.origin,
                handler.inFlight());
    }

    /** The local peer a frame addresses: by name when its subject is set, else by destination id; or null. */
    Peer resolve(String name, int id) {
        Directory directory = registry.directory();
        Peer peer = name.isEmpty() ? directory.byId(id) : directory.byName(name);
        return peer == null || peer.isClosed() ? null : peer;
    }

    /**
     * {@link #resolve} for a request or notification from {@code from}, in what it may reach ({@link
     * Registry#directory(Peer)}): a handler returned has {@linkplain HandlerPeer#admit counted it in
     * flight}. One that a hot swap replaced after it was looked up is passed over for its successor: no
     * longer routed to (its admit refuses), or already removed and closed, the directory having changed
     * since the lookup (a peer closed in a directory that did not change since has no successor: null).
     */
    Peer resolveAdmitted(Peer from, String name, int id) {
        boolean outside = from.outside();
        while (true) {
            Directory directory = registry.directory(from);
            Peer peer = name.isEmpty() ? directory.byId(id) : directory.byName(name);
            if (peer == null) {
                return null;
            }
            if (peer.isClosed()) {
                if (registry.directory(from) != directory) {
                    continue;
                }
                return null;
            }
            if (!(peer instanceof HandlerPeer) || ((HandlerPeer) peer).admit(name, outside)) {
                return peer;
            }
        }
    }

    /** Undoes a handler's {@link HandlerPeer#admit} for a message refused before it got there. */
    static void withdraw(Peer to) {
        if (to instanceof HandlerPeer) {
            ((HandlerPeer) to).withdraw();
        }
    }

    static String address(String name, int id) {
        return name.isEmpty() ? "#" + Integer.toUnsignedString(id) : "'" + name + "'";
    }

    /**
     * Forwards a request from {@code from}, which this method takes over, and tracks it until it is
     * answered, times out or its destination leaves.
     *
     * @param future completed with the answer for a requester in the container; null for a connection
     */
    void request(Peer from, Message request, CompletableFuture<Message> future) {
        Peer to = uplinks.routeAdmitted(from, request.subject(), request.destination());
        if (to == null) {
            String badName = badName(request.subject());
            if (badName != null) {
                reject(from, request, future, ErrorCode.INVALID_SUBJECT, badName);
                return;
            }
            totals.peerOffline.increment();
            reject(from, request, future, ErrorCode.PEER_OFFLINE,
                    uplinks.offline(from, request.subject(), request.destination()));
            return;
        }
        if (!fits(to, request)) {
            withdraw(to);
            reject(from, request, future, ErrorCode.TOO_LARGE, tooLarge(to, request));
            return;
        }
        if (to instanceof SocketPeer
                && ((SocketPeer) to).orphans.awaited(from.id, request.sequence(), System.nanoTime())) {
            reject(from, request, future, ErrorCode.BAD_FRAME, "sequence " + Long.toUnsignedString(request.sequence())
                    + " of " + from.label() + " is still awaited from " + to.label() + " by a request of a connection"
                    + " with that id that has left; use another until it is answered or its timeout has passed");
            return;
        }
        int timeout = request.timeoutMillis() == 0 ? settings.defaultTimeoutMillis() : request.timeoutMillis();
        PendingRequest pending = new PendingRequest(this, from, to, request.command(), request.sequence(), timeout,
                future);
        if (!from.outstanding.add(pending)) {
            // Not a framing fault, so the connection stays: only this request is refused.
            withdraw(to);
            reject(from, request, future, ErrorCode.BAD_FRAME, "sequence " + Long.toUnsignedString(request.sequence())
                    + " is already used by an outstanding request of " + from.label());
            return;
        }
        to.track(pending);
        if (from.isClosed()) {
            // It left on another thread (a bundle's client closed, the uplink detached) after this request passed
            // its check: its departure may have run before the request was registered, and missed it. Sent, it
            // would go out under an id no longer its own and fail only at its timeout, into the callbacks of a
            // bundle that is gone. Either the departure settles it or this does (settle acts once).
            request.release();
            withdraw(to);
            if (pending.settle() && future != null) {
                future.completeExceptionally(departedWithRequest(from));
            }
            return;
        }
        if (to.isClosed() && !(to instanceof HandlerPeer)) {
            // It left while the request was being registered and may have missed it.
            request.release();
            offline(pending);
            return;
        }
        try {
            from.outstanding.startDeadline(pending, (long) timeout + to.timerSlackMillis());
        } catch (IllegalStateException e) {
            request.release();
            withdraw(to);
            if (pending.settle()) {
                fail(pending, ErrorCode.OVERLOADED, e.getMessage());
            }
            return;
        }
        to.deliverRequest(request.source() == from.id ? request : request.withSource(from.id), pending);
    }

    /**
     * A REPLY or ERROR from a connection: handed to its requester's owner thread (once: the write to a
     * connection on another loop would cross anyway), which settles the request it answers or drops
     * it as late.
     */
    void answerFrom(SocketPeer from, Message answer) {
        if (from.orphans.answered(answer.destination(), answer.sequence(), System.nanoTime())) {
            orphanAnswered(from, answer);
            return;
        }
        Peer requester = registry.directory().byId(answer.destination());
        if (requester == null || !requester.outstanding.execute(() -> answerFrom(from, requester, answer))) {
            unanswered(from, answer);
        }
    }

    private void answerFrom(SocketPeer from, Peer requester, Message answer) {
        PendingRequest pending = requester.outstanding.get(answer.sequence());
        if (pending == null || pending.destination != from) {
            // It may answer a request of a connection this one took over, not yet an orphan when it was routed.
            requester.checkUnmatchedAnswer(() -> unmatched(from, answer));
        } else if (answer.type() == MessageType.ERROR && !answer.error().handlerMayAnswer()) {
            settle(pending, connectionCodeAnswered(from, requester, answer));
        } else {
            Message forwarded = answer.source() == from.id ? answer : answer.withSource(from.id);
            settle(pending, forwarded.hasFlag(Message.FLAG_CLOSING) ? Frames.withoutClosing(forwarded) : forwarded);
        }
    }

    /**
     * A responder answered with a code about a connection, which a handler may not answer with
     * (docs/protocol.md section 8; a program that is not the Java client may do it all the same):
     * passed on, it would tell the requester that its own connection is at fault. The requester gets
     * REMOTE_ERROR instead, its text naming the responder and the code it sent, without CLOSING, and
     * the responder's errors count it. Warned of once per connection: a responder that does it on
     * every request would flood the log.
     */
    private Message connectionCodeAnswered(SocketPeer from, Peer requester, Message answer) {
        String sent = Failures.cut(answer.payload().toString(UTF_8));
        answer.release();
        from.stats.errors.increment();
        String format = "agent peer {} from {} answered {} to {}: a code about a connection, passed on as"
                + " REMOTE_ERROR ({})";
        if (from.firstConnectionCodeAnswered()) {
            log.warn(format, from.label(), from.origin, answer.error(), requester.label(), sent);
        } else {
            log.debug(format, from.label(), from.origin, answer.error(), requester.label(), sent);
        }
        String detail = "peer " + from.label() + " answered " + answer.error() + (sent.isEmpty() ? "" : ": " + sent);
        return Failures.frame(ErrorCode.REMOTE_ERROR, answer.destination(), answer.command(), answer.sequence(),
                detail).withSource(from.id);
    }

    /**
     * An answer that matched no request of its requester: one to a request of a requester that has
     * left forgets that orphan, so that its id and sequence may be used again at once.
     */
    private void unmatched(SocketPeer from, Message answer) {
        if (from.orphans.answered(answer.destination(), answer.sequence(), System.nanoTime())) {
            orphanAnswered(from, answer);
        } else {
            unanswered(from, answer);
        }
    }

    private void orphanAnswered(SocketPeer from, Message answer) {
        totals.lateReplies.increment();
        log.debug("dropped {} from {}: request {} of #{} came from a connection that has left", answer.type(),
                from.label(), Long.toUnsignedString(answer.sequence()), Integer.toUnsignedString(answer.destination()));
        answer.release();
    }

    private void unanswered(Peer from, Message answer) {
        if (answer.type() == MessageType.ERROR && answer.destination() == Protocol.AGENT_ID) {
            log.info("agent peer {} from {} reports {}: {}", from.label(), from.origin, answer.error(),
                    Failures.exception(answer).getMessage());
        } else {
            totals.lateReplies.increment();
            log.debug("dropped {} from {}: no request {} of #{} is outstanding to it", answer.type(),
                    from.label(), answer.sequence(), Integer.toUnsignedString(answer.destination()));
        }
        answer.release();
    }

    /**
     * Settles {@code pending} with {@code answer} (REPLY or ERROR, taken over), unless it is settled
     * already; from any thread: it is handed to the requester's owner.
     */
    void answer(PendingRequest pending, Message answer) {
        if (!pending.requester.outstanding.execute(() -> settle(pending, answer))) {
            totals.lateReplies.increment();
            answer.release();
        }
    }

    private void settle(PendingRequest pending, Message answer) {
        if (!pending.settle()) {
            totals.lateReplies.increment();
            answer.release();
            return;
        }
        if (pending.future != null && pending.future.isDone()) {
            // its requester gave up on it (cancelled): a late reply, neither timed nor routed
            totals.lateReplies.increment();
            answer.release();
            return;
        }
        pending.destination.stats.latency.record(System.nanoTime() - pending.startNanos);
        totals.routed.increment();
        if (pending.future == null) {
            if (!fits(pending.requester, answer)) {
                // Its encoder would refuse the frame and the requester would hear nothing, ever: its
                // request is settled. Tell it why instead, as the client library does for its replies.
                String detail = "the reply of " + pending.destination.label() + " is a frame of " + Frames.size(answer)
                        + " bytes, over the limit of " + pending.requester.label() + ": "
                        + pending.requester.maxFrameBytes() + " bytes";
                answer.release();
                pending.requester.error(ErrorCode.TOO_LARGE, pending.command, pending.sequence, detail);
                return;
            }
            pending.requester.deliver(answer);
        } else if (answer.type() == MessageType.REPLY) {
            if (!Answers.reply(pending.requester, pending.future, answer)) {
                totals.answerNotGiven();
                answer.release();
            }
        } else {
            AgentException error = Failures.exception(answer);
            answer.release();
            if (!Answers.error(pending.requester, pending.future, error)) {
                totals.answerNotGiven();
            }
        }
    }

    /** The deadline of {@code pending} passed; on its requester's owner thread. */
    void timedOut(PendingRequest pending) {
        if (pending.settle()) {
            fail(pending, totals.timeouts, ErrorCode.TIMEOUT, "no reply from " + pending.destination.label()
                    + " within " + pending.timeoutMillis + " ms");
        }
    }

    private void offline(PendingRequest pending) {
        if (pending.settle()) {
            String why = pending.destination.departure();
            fail(pending, totals.peerOffline, ErrorCode.PEER_OFFLINE, pending.destination.label()
                    + " left with the request outstanding" + (why.isEmpty() ? "" : " (" + why + ")"));
        }
    }

    /** Gives the requester the agent's error, unless it had stopped waiting (a future done already). */
    private void fail(PendingRequest pending, ErrorCode code, String detail) {
        if (pending.future != null) {
            Answers.agentError(pending.requester, pending.future, new AgentException(code, detail));
        } else {
            pending.requester.error(code, pending.command, pending.sequence, detail);
        }
    }

    /** {@link #fail} counted in {@code total} too if it was given (Answers), before the requester can see it. */
    private void fail(PendingRequest pending, LongAdder total, ErrorCode code, String detail) {
        if (pending.future != null) {
            Answers.agentError(pending.requester, pending.future, new AgentException(code, detail), total);
        } else {
            total.increment();
            pending.requester.error(code, pending.command, pending.sequence, detail);
        }
    }

    private void reject(Peer from, Message message, CompletableFuture<Message> future, ErrorCode code,
            String detail) {
        message.release();
        if (future != null) {
            Answers.agentError(from, future, new AgentException(code, detail));
        } else {
            from.error(code, message.command(), message.sequence(), detail);
        }
    }

    /** Forwards a NOTIFY from a connection, which this method takes over. */
    void notify(Peer from, Message notification) {
        Peer to = uplinks.routeAdmitted(from, notification.subject(), notification.destination());
        String badName = to == null ? badName(notification.subject()) : null;
        if (badName != null) {
            reject(from, notification, null, ErrorCode.INVALID_SUBJECT, badName);
        } else if (to == null) {
            totals.peerOffline.increment();
            reject(from, notification, null, ErrorCode.PEER_OFFLINE,
                    uplinks.offline(from, notification.subject(), notification.destination()));
        } else if (!fits(to, notification)) {
            withdraw(to);
            reject(from, notification, null, ErrorCode.TOO_LARGE, tooLarge(to, notification));
        } else {
            totals.routed.increment();
            to.deliverNotification(notification.source() == from.id ? notification : notification.withSource(from.id),
                    from);
        }
    }

    /**
     * Why {@code name} breaks the rules of a peer name (docs/protocol.md section 9.1), or null: asked
     * only of a name nobody holds, so routing a message to one that is held costs nothing more. A
     * sender of {@code dlna.*} (a wildcard request, say) learns that no peer can hold such a name
     * (INVALID_SUBJECT), not that none is connected now. The Java client refuses one in {@code Address};
     * peers in other languages may not.
     */
    static String badName(String name) {
        if (name.isEmpty()) {
            return null;
        }
        try {
            Topic.checkName(name);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    static boolean fits(Peer to, Message message) {
        return Frames.fits(message, to.maxFrameBytes());
    }

    static String tooLarge(Peer to, Message message) {
        return "a frame of " + Frames.size(message) + " bytes is over the limit of " + to.label() + ": "
                + to.maxFrameBytes() + " bytes";
    }

    /**
     * A peer left: its id, name and subscriptions are released, requests to it fail PEER_OFFLINE, and
     * its own outstanding requests are dropped (an answer still coming counts as late).
     */
    void departed(Peer peer) {
        if (!peer.markClosed()) {
            return;
        }
        // Its requests are dropped first, which on its own thread (a connection closed) is at once: the
        // connections they went to know them as orphans before a successor can claim its id. A successor
        // that took it over with REPLACE from another loop holds what it sends until then (OrphanWait).
        peer.outstanding.execute(() -> dropRequestsOf(peer));
        registry.remove(peer);
        if (peer instanceof Subscriber) {
            publications.removeAll((Subscriber) peer);
        }
        // A handler keeps its requests: one that goes away still finishes what it has, or they time out.
        if (!(peer instanceof HandlerPeer)) {
            failRequestsTo(peer);
        }
    }

    private void dropRequestsOf(Peer requester) {
        long now = System.nanoTime();
        int orphaned = 0;
        int unkept = 0;
        for (PendingRequest pending : requester.outstanding.snapshot()) {
            if (!pending.settle()) {
                continue;
            }
            if (pending.future != null) {
                pending.future.completeExceptionally(departedWithRequest(requester));
            }
            // A connection answers by id and sequence, which a successor under the same id may use again.
            if (pending.destination instanceof SocketPeer && !pending.destination.isClosed()) {
                if (((SocketPeer) pending.destination).orphans.add(requester.id, pending.sequence,
                        pending.startNanos + TimeUnit.MILLISECONDS.toNanos(pending.timeoutMillis), now)) {
                    orphaned++;
                } else {
                    unkept++;
                }
            }
        }
        requester.outstanding.departed();
        if (orphaned > 0) {
            log.debug("agent peer {} left with {} requests to connections unanswered: their answers will be"
                    + " dropped", requester.label(), orphaned);
        }
        if (unkept > 0) {
            log.warn("agent peer {} left with {} requests unanswered that their connections cannot remember (each"
                    + " keeps at most {} of departed peers): an answer to one of them may be taken for a request with"
                    + " the same sequence of a later connection under id {}", requester.label(), unkept,
                    OrphanedRequests.MAX_ORPHANS, Integer.toUnsignedString(requester.id));
        }
    }

    private static AgentException departedWithRequest(Peer requester) {
        return new AgentException(ErrorCode.PEER_OFFLINE, requester.label() + " was closed with the request outstanding");
    }

    /**
     * Fails the requests outstanding to {@code gone} with PEER_OFFLINE, each on its requester's owner
     * thread. They are found among their requesters' rather than kept in a set of each destination's,
     * which would cost every request two more map updates for the rare departure. A request
     * registered meanwhile sees its destination closed and fails itself ({@link #request}); settling
     * keeps either from acting twice.
     */
    private void failRequestsTo(Peer gone) {
        failRequestsTo(gone, gone); // it left the registry already, and may have sent requests to itself
        for (Peer requester : registry.peers()) {
            failRequestsTo(gone, requester);
        }
    }

    private void failRequestsTo(Peer gone, Peer requester) {
        requester.outstanding.execute(() -> {
            for (PendingRequest pending : requester.outstanding.snapshot()) {
                if (pending.destination == gone) {
                    offline(pending);
                }
            }
        });
    }

    @Override
    public List<PeerInfo> peers() {
        return registry.peers().stream().map(Peer::info)
                .sorted(Comparator.comparing(PeerInfo::kind).thenComparing(p -> Integer.toUnsignedLong(p.id())))
                .collect(Collectors.toList());
    }

    @Override
    public List<TopicInfo> topics() {
        return publications.topics();
    }

    @Override
    public AgentTotals totals() {
        return totals.snapshot();
    }

    /** Closes every connection's session; in-container peers are removed by their own components. */
    public void close() {
        for (Peer peer : registry.peers()) {
            if (peer instanceof SocketPeer) {
                ((SocketPeer) peer).close();
            }
        }
    }
}
