package io.msf.agent.internal.broker;

import io.msf.protocol.api.Protocol;

/**
 * What the broker core needs to know from the configuration. Connections take the frame limit
 * and heartbeat interval in force when they register; timeouts and the token apply at once.
 *
 * @param maxFrameBytes the largest frame accepted from a peer, header included
 * @param heartbeatMillis the PING interval; 0: no heartbeats
 * @param heartbeatMisses PONGs a peer may miss in a row before it is evicted
 * @param defaultTimeoutMillis the timeout of a request that names none
 * @param outboundHighWaterBytes bytes queued for one peer (or one in-container subscription)
 *     beyond which it is cut off
 * @param helloTimeoutMillis how long a new connection may take to send its HELLO
 * @param token the shared secret a HELLO must carry; empty: none required
 */
public record BrokerSettings(int maxFrameBytes, int heartbeatMillis, int heartbeatMisses, int defaultTimeoutMillis,
        int outboundHighWaterBytes, int helloTimeoutMillis, byte[] token) {

    /** The defaults of the configuration, for tests and for a broker started without one. */
    public static final BrokerSettings DEFAULTS = new BrokerSettings(Protocol.DEFAULT_MAX_FRAME_BYTES, 5000, 3, 5000,
            8 << 20, 10_000, new byte[0]);

    /**
     * The largest frame limit (64 MiB, as msf.agent's Metatype says): every peer is told it and may
     * then have to hold a frame that big; the config gate checks files, this a value set otherwise.
     */
    public static final int LARGEST_FRAME_LIMIT = 64 << 20;

    public BrokerSettings {
        if (maxFrameBytes < Protocol.SMALLEST_FRAME_LIMIT) {
            throw new IllegalArgumentException("maxFrameBytes " + maxFrameBytes + " is below the smallest limit "
                    + Protocol.SMALLEST_FRAME_LIMIT);
        }
        if (maxFrameBytes > LARGEST_FRAME_LIMIT) {
            throw new IllegalArgumentException("maxFrameBytes " + maxFrameBytes + " is above the largest limit "
                    + LARGEST_FRAME_LIMIT);
        }
        if (heartbeatMillis < 0) {
            throw new IllegalArgumentException("heartbeatMillis " + heartbeatMillis + " is negative");
        }
        if (heartbeatMisses < 1) {
            throw new IllegalArgumentException("heartbeatMisses " + heartbeatMisses + " is below 1");
        }
        if (defaultTimeoutMillis < 1) {
            throw new IllegalArgumentException("defaultTimeoutMillis " + defaultTimeoutMillis + " is below 1");
        }
        if (outboundHighWaterBytes < 1) {
            throw new IllegalArgumentException("outboundHighWaterBytes " + outboundHighWaterBytes + " is below 1");
        }
        if (helloTimeoutMillis < 1) {
            throw new IllegalArgumentException("helloTimeoutMillis " + helloTimeoutMillis + " is below 1");
        }
        token = token == null ? new byte[0] : token.clone();
        if (token.length > Protocol.MAX_TOKEN_BYTES) {
            throw new IllegalArgumentException(
                    "token of " + token.length + " bytes is longer than " + Protocol.MAX_TOKEN_BYTES);
        }
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
                + outboundHighWaterBytes + ", helloTimeoutMillis=" + helloTimeoutMillis + ", token="
                + (token.length == 0 ? "none" : "set");
    }
}
