package io.msf.monitor.internal.probe;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One agent peer's counters, copied out of the agent's {@code PeerInfo} so that the monitor needs the
 * agent's API only where it reads it.
 *
 * @param id the peer id
 * @param name the name it claimed, or {@code #<id>}
 * @param kind HANDLER, BUNDLE, UNIX or TCP
 * @param origin where the agent says it comes from (bundle and service id, or the connection): tells
 *     apart peers that share an id and a name, such as two versions of one handler during a hot swap
 * @param service the service it belongs to: its bundle's symbolic name in the container, its name otherwise
 *     ({@link #UNNAMED_PROCESSES} for processes with neither a name nor an id of their own)
 * @param messagesIn messages the agent received from it (a handler's replies, a bundle client's requests)
 * @param messagesOut messages the agent delivered to it (a handler's requests, a bundle client's replies)
 * @param bytesIn bytes the agent received from it
 * @param bytesOut bytes the agent delivered to it
 * @param queueDepth messages waiting to be written to it (estimated from the bytes waiting); for a
 *     bundle's client, publications waiting for its listeners
 * @param inFlight requests forwarded to it and not answered
 * @param errors errors sent to it or caused by it
 * @param latencyP50Micros median request latency
 * @param latencyP99Micros 99th percentile request latency
 * @param recentLatencyP99Micros 99th percentile latency of the requests answered in the last 30 to 60 s
 *     (0: none was), what the latency alert watches
 */
public record PeerFigures(int id, String name, String kind, String origin, String service, long messagesIn,
        long messagesOut, long bytesIn, long bytesOut, int queueDepth, int inFlight, long errors, long latencyP50Micros,
        long latencyP99Micros, long recentLatencyP99Micros) {

    /** The agent writes an in-container origin as {@code bundle <symbolic name> <version>[, service <id>]}. */
    private static final Pattern SYMBOLIC_NAME = Pattern.compile("^(?:bundle\\s+)?([A-Za-z0-9_.-]+)");

    private static final Pattern BUNDLE_VERSION = Pattern.compile("^bundle\\s+[A-Za-z0-9_.-]+\\s+([^,\\s]+)");

    /** The peer's name for labels and tables. */
    public static String displayName(int id, String name) {
        return name == null || name.isEmpty() ? "#" + Integer.toUnsignedString(id) : name;
    }

    /**
     * The service of the processes connected with neither a name nor an id of their own: the agent
     * gives each connection of theirs a new id, and as a service of its own each would be one more
     * {@code msf_service_*} series in Prometheus, without end.
     */
    public static final String UNNAMED_PROCESSES = "(unnamed)";

    /**
     * The service a peer belongs to, from what the agent says of it: {@link #UNNAMED_PROCESSES} for
     * a process with neither a name nor an id it claimed (ids from 2147483648 up, negative as an int,
     * are the agent's), else as {@link #serviceOf(boolean, String, String)}.
     */
    public static String serviceOf(boolean inContainer, String origin, int id, String name) {
        if (!inContainer && (name == null || name.isEmpty()) && id < 0) {
            return UNNAMED_PROCESSES;
        }
        return serviceOf(inContainer, origin, displayName(id, name));
    }

    /**
     * The service a peer belongs to. An in-container peer (a handler or a bundle's client) names its
     * bundle in its origin; a process is its own service.
     */
    public static String serviceOf(boolean inContainer, String origin, String displayName) {
        if (inContainer && origin != null) {
            Matcher matcher = SYMBOLIC_NAME.matcher(origin.trim());
            if (matcher.find()) {
                return matcher.group(1);
            }
        }
        return displayName;
    }

    /**
     * The version of the bundle an in-container peer belongs to, read from its origin, or empty: what
     * keeps two versions of one handler apart during a hot swap without the service id, which changes
     * at every restart of the bundle.
     */
    public String bundleVersion() {
        if (origin != null && ("HANDLER".equals(kind) || "BUNDLE".equals(kind))) {
            Matcher matcher = BUNDLE_VERSION.matcher(origin.trim());
            if (matcher.find()) {
                return matcher.group(1);
            }
        }
        return "";
    }
}
