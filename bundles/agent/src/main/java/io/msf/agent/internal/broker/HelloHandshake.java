package io.msf.agent.internal.broker;

import io.msf.agent.api.PeerKind;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Hello;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.MessageType;
import io.msf.protocol.api.Protocol;
import io.msf.protocol.api.Topic;
import io.msf.protocol.codec.FrameDecoder;
import io.msf.protocol.codec.FrameEncoder;
import io.netty.channel.Channel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Decides on a connection's HELLO (docs/protocol.md section 7): the protocol version, the token,
 * the name's syntax and the claims on id and name. On success the peer is registered, the
 * connections it displaced are told so, and the agent's HELLO is sent.
 */
final class HelloHandshake {

    private final Broker broker;
    private final Channel channel;
    private final PeerKind kind;
    private final String origin;
    private final ChannelMeter meter;
    private final BrokerSettings settings;
    private final int maxFrameBytes;
    private ErrorCode refusal = ErrorCode.OK;
    private String detail = "";
    private List<Peer> takenOver = List.of();

    /**
     * @param maxFrameBytes the limit of the connection's decoder, set when it was accepted: the one its HELLO
     *     tells, even if the settings' limit changed before the peer's HELLO came
     */
    HelloHandshake(Broker broker, Channel channel, PeerKind kind, String origin, ChannelMeter meter,
            int maxFrameBytes) {
        this.broker = broker;
        this.maxFrameBytes = maxFrameBytes;
        this.channel = channel;
        this.kind = kind;
        this.origin = origin;
        this.meter = meter;
        this.settings = broker.settings();
    }

    /** Registers the peer and answers its HELLO; null if refused ({@link #refusal()} says why). */
    SocketPeer accept(Message hello) {
        // The decoder has checked the body already.
        Hello offer = Hello.read(hello.payload());
        int version = offer.highestCommonVersion(Protocol.MIN_VERSION, Protocol.MAX_VERSION);
        if (version == 0) {
            return refuse(ErrorCode.UNSUPPORTED_VERSION, "no common protocol version: the peer offers "
                    + offer.minVersion() + ".." + offer.maxVersion() + ", this agent speaks " + Protocol.MIN_VERSION
                    + ".." + Protocol.MAX_VERSION);
        }
        if (settings.requiresToken() && !sameToken(settings.token(), offer.token())) {
            return refuse(ErrorCode.UNAUTHORIZED, offer.token().length == 0 ? "this agent requires a token"
                    : "wrong token");
        }
        String name = hello.subject();
        if (!name.isEmpty()) {
            try {
                Topic.checkName(name);
            } catch (IllegalArgumentException e) {
                return refuse(ErrorCode.INVALID_SUBJECT, e.getMessage());
            }
        }
        Registry.Claim claim = broker.registry.claim(hello.source(), name, hello.hasFlag(Message.FLAG_REPLACE),
                id -> new SocketPeer(broker, id, name, kind, origin, channel, meter, offer.maxFrameBytes()));
        if (claim.refusal() != ErrorCode.OK) {
            return refuse(claim.refusal(), claim.detail());
        }
        SocketPeer peer = (SocketPeer) claim.peer();
        takenOver = claim.displaced();
        for (Peer displaced : claim.displaced()) {
            broker.log.info("agent peer {} from {} takes over from the connection from {} (REPLACE)", peer.label(),
                    origin, displaced.origin);
            boolean byId = displaced.id == peer.id;
            ((SocketPeer) displaced).displaced(byId ? ErrorCode.DUPLICATE_ID : ErrorCode.DUPLICATE_NAME,
                    (byId ? "id " + Integer.toUnsignedString(peer.id) : "name '" + name + "'")
                            + " taken over by a new connection from " + origin);
            broker.departed(displaced);
        }
        FrameEncoder encoder = channel.pipeline().get(FrameEncoder.class);
        encoder.peerMaxFrameBytes(offer.maxFrameBytes());
        // From here on both ways speak the version chosen; the HELLO answering stays version 1 (protocol.md 7.2).
        encoder.agreedVersion(version);
        channel.pipeline().get(FrameDecoder.class).agreedVersion(version);
        // The decoder's limit, not the settings': told a limit raised since the connection was accepted, the
        // peer would send frames its decoder refuses as too large, closing the connection.
        Hello answer = new Hello(version, version, maxFrameBytes, settings.heartbeatMillis(), null);
        channel.writeAndFlush(new Message(MessageType.HELLO, 0, ErrorCode.OK, Protocol.AGENT_ID, peer.id, name, 0, 0,
                0, answer.write(channel.alloc())));
        broker.log.info("agent peer {} registered from {} (protocol version {}, frames up to {} bytes)", peer.label(),
                origin, version, offer.maxFrameBytes());
        return peer;
    }

    /** The heartbeat interval this connection gets. */
    int heartbeatMillis() {
        return settings.heartbeatMillis();
    }

    /** The connections an accepted REPLACE took over (closed and departed by now), or none. */
    List<Peer> takenOver() {
        return takenOver;
    }

    ErrorCode refusal() {
        return refusal;
    }

    String detail() {
        return detail;
    }

    private SocketPeer refuse(ErrorCode code, String why) {
        refusal = code;
        detail = why;
        return null;
    }

    /** Compares digests, so the time taken says nothing about the token, not even its length. */
    private static boolean sameToken(byte[] expected, byte[] offered) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] a = sha.digest(expected);
            return MessageDigest.isEqual(a, sha.digest(offered)) && offered.length > 0;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
