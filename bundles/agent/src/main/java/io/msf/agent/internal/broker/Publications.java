package io.msf.agent.internal.broker;

import io.msf.agent.api.TopicInfo;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.Protocol;
import io.msf.protocol.api.Topic;
import java.util.List;

/**
 * Publish and subscribe (docs/protocol.md section 9): a publication goes to every subscriber with
 * a matching pattern, the publisher included, once per subscriber, on the publisher's thread.
 */
final class Publications {

    /** How many patterns one subscriber may hold: bounds the index a single peer can grow. */
    static final int MAX_PATTERNS_PER_SUBSCRIBER = 1024;

    final SubscriptionIndex index = new SubscriptionIndex();
    private final Totals totals;
    /** Where local publications are published too: the parent container's agent, or null. */
    private volatile UplinkPeer upstream;

    Publications(Totals totals) {
        this.totals = totals;
    }

    void upstream(UplinkPeer parent) {
        upstream = parent;
    }

    /**
     * Delivers a PUBLISH to a valid topic, which this method takes over, to every matching
     * subscriber, and publishes it in the parent's agent too unless it came from there.
     */
    void publish(Peer from, Message message) {
        Message publication = message.source() == from.id ? message : message.withSource(from.id);
        try {
            UplinkPeer parent = upstream;
            boolean published = parent != null && from != parent && parent.publishUp(publication);
            SubscriptionIndex.Route route = index.route(publication.subject());
            if (route.targets().length == 0) {
                if (!published) {
                    totals.unmatchedPublications.increment();
                }
                return;
            }
            int delivered = 0;
            int tooLarge = 0;
            Peer firstTooLarge = null;
            for (Subscriber subscriber : route.targets()) {
                if (subscriber instanceof Peer && !Broker.fits((Peer) subscriber, publication)) {
                    tooLarge++;
                    firstTooLarge = firstTooLarge == null ? (Peer) subscriber : firstTooLarge;
                } else if (subscriber.publication(publication)) {
                    delivered++;
                }
            }
            for (SubscriptionIndex.Entry entry : route.via()) {
                entry.delivered.increment();
            }
            totals.routed.add(delivered);
            if (tooLarge > 0) {
                from.error(ErrorCode.TOO_LARGE, publication.command(), publication.sequence(), "a frame of "
                        + Frames.size(publication) + " bytes to '" + publication.subject() + "' is over the limit of "
                        + tooLarge + " subscriber(s)" + (tooLarge == 1 ? ": " : ", the first ") + firstTooLarge.label()
                        + " with " + firstTooLarge.maxFrameBytes() + " bytes");
            }
        } finally {
            publication.release();
        }
    }

    /** SUBSCRIBE from a connection: adds the pattern and acknowledges with an empty REPLY. */
    void subscribe(SocketPeer peer, Message request) {
        try {
            String pattern = request.subject();
            try {
                Topic.checkPattern(pattern);
            } catch (IllegalArgumentException e) {
                peer.error(ErrorCode.INVALID_SUBJECT, request.command(), request.sequence(), e.getMessage());
                return;
            }
            // A repeat of a pattern the peer holds changes nothing (docs/protocol.md 9.2), so it is no pattern too many.
            if (index.patternsOf(peer) >= MAX_PATTERNS_PER_SUBSCRIBER && !index.holds(pattern, peer)) {
                peer.error(ErrorCode.OVERLOADED, request.command(), request.sequence(), peer.label()
                        + " already holds " + MAX_PATTERNS_PER_SUBSCRIBER + " subscriptions, the most one peer may");
                return;
            }
            index.add(pattern, peer);
            if (peer.isClosed()) {
                // It left (a REPLACE on another loop) after this frame was read, and maybe after its
                // subscriptions were removed: nothing else would remove this one.
                index.remove(pattern, peer);
            }
            peer.deliver(Frames.reply(Protocol.AGENT_ID, peer.id, request.command(), request.sequence(), null));
        } finally {
            request.release();
        }
    }

    /** UNSUBSCRIBE from a connection: acknowledged even if the peer had no such pattern. */
    void unsubscribe(SocketPeer peer, Message request) {
        try {
            index.remove(request.subject(), peer);
            peer.deliver(Frames.reply(Protocol.AGENT_ID, peer.id, request.command(), request.sequence(), null));
        } finally {
            request.release();
        }
    }

    void removeAll(Subscriber subscriber) {
        index.removeAll(subscriber);
    }

    List<TopicInfo> topics() {
        return index.topics();
    }
}
