package io.msf.agent.api;

/**
 * The agent's counters since it started.
 *
 * @param routed requests answered by the peer they went to, with a reply or an error (a handler's failure
 *     too), whoever made them: one for the request and its answer (an answer its requester no longer waited
 *     for is a late reply instead); and NOTIFY and PUBLISH deliveries
 * @param timeouts requests answered with TIMEOUT by the agent (given: not one whose requester had given up on
 *     it, as with peerOffline)
 * @param lateReplies replies that came after their request timed out, its requester left or gave up on it
 *     (cancelled its future), dropped: neither routed nor counted out to the requester
 * @param peerOffline messages answered with PEER_OFFLINE
 * @param unmatchedPublications publications nobody subscribed to, dropped
 * @param evicted peers evicted for missing heartbeats
 * @param overloaded peers cut off for passing their outbound high-water mark
 * @param malformed connections closed for a malformed frame
 * @param refused HELLOs refused (token, duplicate, version, subject)
 */
public record AgentTotals(long routed, long timeouts, long lateReplies, long peerOffline,
        long unmatchedPublications, long evicted, long overloaded, long malformed, long refused) {
}
