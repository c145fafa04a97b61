package io.msf.agent.internal.broker;

import io.msf.protocol.api.Message;

/**
 * What publications are delivered to: a connection (once per publication however many of its
 * patterns match) or one in-container subscription.
 */
interface Subscriber {

    /**
     * Delivers a copy of {@code publication} (a PUBLISH whose source is the publisher). The
     * publication stays the caller's: take a {@code retainedDuplicate()} of its payload.
     *
     * @return true if delivered, false if dropped (the subscriber is gone, too slow, or the frame too large)
     */
    boolean publication(Message publication);

    /** How {@code agent:topics} names the subscriber: its peer's name, or {@code #id}. */
    String subscriberLabel();
}
