package io.msf.agent.internal.broker;

import io.msf.protocol.api.Protocol;

/**
 * What the broker core needs to know from the configuration. Connections take the frame limit in
 * force when they are accepted (their decoder is made with it) and the heartbeat interval in force
 * when they register; timeouts and the token apply at once.
 *
 * @param maxFrameBytes the largest frame accepted from a peer, header included
 * @param heartbeatMillis the PING interval; 0: no heartbeats
 * @param heartbeatMisses PONGs a peer may miss in a row before it is evicted
 * @param defaultTimeoutMillis the timeout of a request that names none
 * @param outboundHighWaterBytes bytes queued for one peer (or one in-container subscription)
 *     beyond which it is cut off
 * @param helloTimeoutMillis how long a new connection may take to send its HELLO
 * @param token the shared secret a HELLO must carry; empty: none required
 * @param maxQueuedBytes bytes queued for all connections together beyond which the one with the
 *     largest queue is cut off
 */
public record BrokerSettings(int maxFrameBytes, int heartbeatMillis, int heartbeatMisses, int defaultTimeoutMillis,
        int outboundHighWaterBytes, int helloTimeoutMillis, byte[] token, int maxQueuedBytes) {

    /**
     * The default of maxQueuedBytes (64 MiB): a quarter of the direct memory of a container started with
     * bin/msf's -Xmx256m (the JDK's default limit of direct memory is the heap's), half of a child's.
     */
    public static final int DEFAULT_MAX_QUEUED_BYTES = 64 << 20;

    /** The defaults of the configuration, for tests and for a broker started without one. */
    public static final BrokerSettings DEFAULTS = new BrokerSettings(Protocol.DEFAULT_MAX_FRAME_BYTES, 5000, 3, 5000,
            8 << 20, 10_000, new byte[0], DEFAULT_MAX_QUEUED_BYTES);

    /**
     * The largest frame limit (64 MiB, as msf.agent's Metatype says): every peer is told it and may
     * then have to hold a frame that big; the config gate checks files, this a value set otherwise.
     */
    public static final int LARGEST_FRAME_LIMIT = 64 << 20;

    /*
     * The other bounds of msf.agent's Metatype, checked again here for a value set past the config gate
     * (through Config Admin directly, or with the gate off): the broker relies on them. Below the smallest
     * mark an ordinary burst cuts a peer off (one of 1 byte, every write from another thread), above the
     * largest a peer that stops reading holds that much memory; a HELLO timeout of a few milliseconds
     * refuses every connection, one of weeks lets silent connections hold the listener's slots as long.
     */

    /** The smallest outbound high-water mark (64 KiB). */
    public static final int SMALLEST_HIGH_WATER_BYTES = 64 << 10;
    /** The largest outbound high-water mark (1 GiB): what one slow peer may hold. */
    public static final int LARGEST_HIGH_WATER_BYTES = 1 << 30;
    public static final int SHORTEST_HELLO_TIMEOUT_MILLIS = 100;
    public static final int LONGEST_HELLO_TIMEOUT_MILLIS = 600_000;
    public static final int LONGEST_HEARTBEAT_MILLIS = 3_600_000;
    public static final int MOST_HEARTBEAT_MISSES = 100;
    /** The smallest budget of queued bytes (1 MiB): below, a few ordinary bursts cut peers off. */
    public static final int SMALLEST_MAX_QUEUED_BYTES = 1 << 20;

    /** With the default budget of queued bytes ({@link #DEFAULT_MAX_QUEUED_BYTES}). */
    public BrokerSettings(int maxFrameBytes, int heartbeatMillis, int heartbeatMisses, int defaultTimeoutMillis,
            int outboundHighWaterBytes, int helloTimeoutMillis, byte[] token) {
        this(maxFrameBytes, heartbeatMillis, heartbeatMisses, defaultTimeoutMillis, outboundHighWaterBytes,
                helloTimeoutMillis, token, DEFAULT_MAX_QUEUED_BYTES);
    }

    public BrokerSettings {
        if (maxFrameBytes < Protocol.SMALLEST_FRAME_LIMIT) {
            throw new IllegalArgumentException("maxFrameBytes " + maxFrameBytes + " is below the smallest limit "
                    + Protocol.SMALLEST_FRAME_LIMIT);
        }
        if (maxFrameBytes > LARGEST_FRAME_LIMIT) {
            throw new IllegalArgumentException("maxFrameBytes " + maxFrameBytes + " is above the largest limit "
                    + LARGEST_FRAME_LIMIT);
        }
        within("heartbeatMillis", heartbeatMillis, 0, LONGEST_HEARTBEAT_MILLIS);
        within("heartbeatMisses", heartbeatMisses, 1, MOST_HEARTBEAT_MISSES);
        if (defaultTimeoutMillis < 1) {
            throw new IllegalArgumentException("defaultTimeoutMillis " + defaultTimeoutMillis + " is below 1");
        }
        within("outboundHighWaterBytes", outboundHighWaterBytes, SMALLEST_HIGH_WATER_BYTES, LARGEST_HIGH_WATER_BYTES);
        within("helloTimeoutMillis", helloTimeoutMillis, SHORTEST_HELLO_TIMEOUT_MILLIS, LONGEST_HELLO_TIMEOUT_MILLIS);
        within("maxQueuedBytes", maxQueuedBytes, SMALLEST_MAX_QUEUED_BYTES, Integer.MAX_VALUE);
        token = token == null ? new byte[0] : token.clone();
        if (token.length > Protocol.MAX_TOKEN_BYTES) {
            throw new IllegalArgumentException(
                    "token of " + token.length + " bytes is longer than " + Protocol.MAX_TOKEN_BYTES);
        }
    }

    /**
     * {@code value} if it lies in {@code min..max}, a bound of msf.agent's Metatype checked again; else an
     * IllegalArgumentException {@code "<key> <value> is outside <min>..<max>"}, which the agent logs after its PID.
     */
    public static int within(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " " + value + " is outside " + min + ".." + max);
        }
        return value;
    }

    @Override
    public byte[] token() {
        return token.clone();
    }

    boolean requiresToken() {
        return token.length > 0;
    }

    /** Never shows the token. */
    @Override
    public String toString() {
        return "maxFrameBytes=" + maxFrameBytes + ", heartbeatMillis=" + heartbeatMillis + ", heartbeatMisses="
                + heartbeatMisses + ", defaultTimeoutMillis=" + defaultTimeoutMillis + ", outboundHighWaterBytes="
                + outboundHighWaterBytes + ", helloTimeoutMillis=" + helloTimeoutMillis + ", maxQueuedBytes="
                + maxQueuedBytes + ", token=" + (token.length == 0 ? "none" : "set");
    }
}
