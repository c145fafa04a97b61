package io.msf.agent.internal.broker;

import io.msf.agent.api.AgentTotals;
import java.util.concurrent.atomic.LongAdder;

/** The broker's counters since it started ({@link AgentTotals} says what each counts). */
final class Totals {

    final LongAdder routed = new LongAdder();
    final LongAdder timeouts = new LongAdder();
    final LongAdder lateReplies = new LongAdder();
    final LongAdder peerOffline = new LongAdder();
    final LongAdder unmatchedPublications = new LongAdder();
    final LongAdder evicted = new LongAdder();
    final LongAdder overloaded = new LongAdder();
    final LongAdder malformed = new LongAdder();
    final LongAdder refused = new LongAdder();

    /**
     * An answer counted routed as its request was settled that its requester was not given after all
     * (it gave up on the request, cancelling its future, or its timer or close won the race): a late
     * reply instead, as the answer to a requester that has left is.
     */
    void answerNotGiven() {
        routed.decrement();
        lateReplies.increment();
    }

    AgentTotals snapshot() {
        return new AgentTotals(routed.sum(), timeouts.sum(), lateReplies.sum(), peerOffline.sum(),
                unmatchedPublications.sum(), evicted.sum(), overloaded.sum(), malformed.sum(), refused.sum());
    }
}
