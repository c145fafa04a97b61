package io.msf.protocol.codec;

import io.msf.protocol.api.Protocol;
import io.netty.channel.ChannelPipeline;

/** Puts the agent protocol's codec on a pipeline, in the order its parts rely on. */
public final class AgentCodec {

    public static final String DECODER = "agent-frame-decoder";
    public static final String ENCODER = "agent-frame-encoder";
    public static final String MALFORMED_FRAMES = "agent-malformed-frames";

    private AgentCodec() {
    }

    /**
     * Adds the encoder, the decoder and the malformed-frame handler at the end of {@code pipeline},
     * which must carry the raw byte stream (no other framing). The handler comes after the encoder
     * so that its ERROR frame is encoded. The encoder starts with the smallest frame limit: raise it
     * ({@link FrameEncoder#peerMaxFrameBytes}) once the peer's HELLO has announced its own.
     *
     * <p>The encoder comes first so that a flush consolidator fits between the two
     * ({@code pipeline.addAfter(ENCODER, ...)}): behind the encoder it hands it one flush per read
     * batch or burst, as {@link FrameEncoder} needs, and in front of the decoder it sees each read
     * once, not each frame decoded from it.
     *
     * @param maxFrameBytes the largest frame accepted from the peer
     */
    public static void addTo(ChannelPipeline pipeline, int maxFrameBytes) {
        pipeline.addLast(ENCODER, new FrameEncoder(Protocol.SMALLEST_FRAME_LIMIT))
                .addLast(DECODER, new FrameDecoder(maxFrameBytes))
                .addLast(MALFORMED_FRAMES, MalformedFrameHandler.INSTANCE);
    }
}
