package io.msf.agent.api;

import java.time.Instant;

/**
 * One peer of the agent as {@code agent:peers} and {@code agent:stats} show it. Counters are totals
 * since the peer registered; latency is measured by the agent from forwarding a request to this
 * peer until its answer (the peer's service time plus transport).
 *
 * @param id the id it is reached by (unsigned)
 * @param name the name it claimed, or empty
 * @param kind how it is attached
 * @param origin where it comes from: the remote address, or the bundle's symbolic name and version
 * @param since when it registered
 * @param messagesIn messages the agent received from it: the requests, answers (replies and errors, late ones
 *     too), notifications and publications it made (for a handler, its replies and failures; for a bundle's
 *     client, what it requested, notified and published)
 * @param messagesOut messages the agent delivered to it: the requests, answers (replies and errors, the agent's
 *     own errors too, as TIMEOUT or PEER_OFFLINE), notifications and publications for it (for a handler, the
 *     requests and notifications it was given; for a bundle's client and the link to the parent, the answers
 *     to their requests, and for a bundle's client the errors of its notifications the agent could not route
 *     and the publications given to its listeners)
 * @param bytesIn bytes the agent received from it: whole frames for a socket peer, payloads for the others (an
 *     error has none)
 * @param bytesOut bytes the agent delivered to it: whole frames for a socket peer, payloads for the others (an
 *     error has none)
 * @param queueDepth messages waiting to be written to it now, estimated from the bytes waiting and the
 *     mean size of its frames; for a bundle's client, the publications waiting for its listeners,
 *     estimated alike (0 for the other in-container peers)
 * @param inFlight requests forwarded to it and not yet answered (for a handler, also the notifications it
 *     is still handling)
 * @param errors the agent's own errors given to it (ERROR frames such as TIMEOUT or PEER_OFFLINE, for a
 *     bundle's client the same errors as exceptions or failed stages; one it was not given, its request
 *     given up, is not counted; a responder's error answer passed on to it is not one of them) and those
 *     caused by it (a handler's failures, malformed frames included)
 * @param latencyP50Micros median request latency, 0 before the first answer
 * @param latencyP99Micros 99th percentile request latency, 0 before the first answer
 * @param recentLatencyP99Micros 99th percentile latency of the requests answered in the last 30 to 60 s, 0
 *     when none was: unlike the totals it comes back down after a slow spell, and shows one that began
 *     after a long time of fast answers (what a threshold on latency needs)
 */
public record PeerInfo(int id, String name, PeerKind kind, String origin, Instant since, long messagesIn,
        long messagesOut, long bytesIn, long bytesOut, int queueDepth, int inFlight, long errors,
        long latencyP50Micros, long latencyP99Micros, long recentLatencyP99Micros) {

    /** As in version 1.2 of this package: the recent p99 taken to be the total's. */
    public PeerInfo(int id, String name, PeerKind kind, String origin, Instant since, long messagesIn,
            long messagesOut, long bytesIn, long bytesOut, int queueDepth, int inFlight, long errors,
            long latencyP50Micros, long latencyP99Micros) {
        this(id, name, kind, origin, since, messagesIn, messagesOut, bytesIn, bytesOut, queueDepth, inFlight, errors,
                latencyP50Micros, latencyP99Micros, latencyP99Micros);
    }
}
