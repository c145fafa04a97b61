package io.msf.protocol.codec;

import io.msf.protocol.api.Protocol;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;

/** Puts the agent protocol's codec on a pipeline, in the order its parts rely on. */
public final class AgentCodec {

    public static final String DECODER = "agent-frame-decoder";
    public static final String ENCODER = "agent-frame-encoder";
    public static final String MALFORMED_FRAMES = "agent-malformed-frames";
    public static final String FLUSH_CONSOLIDATOR = "agent-flush";

    /**
     * The consolidator of {@link #addConsolidatingTo} flushes at least this often within a long read
     * batch or burst, so a busy sender cannot hold the frames of others back.
     */
    public static final int EXPLICIT_FLUSH_AFTER_FLUSHES = 256;

    private AgentCodec() {
    }

    /**
     * Adds the encoder, the decoder and the malformed-frame handler at the end of {@code pipeline},
     * which must carry the raw byte stream (no other framing). The handler comes after the encoder
     * so that its ERROR frame is encoded. The encoder starts with the smallest frame limit: raise it
     * ({@link FrameEncoder#peerMaxFrameBytes}) once the peer's HELLO has announced its own.
     *
     * <p>The encoder comes first so that a flush consolidator fits between the two: see
     * {@link #addConsolidatingTo}.
     *
     * @param maxFrameBytes the largest frame accepted from the peer
     */
    public static void addTo(ChannelPipeline pipeline, int maxFrameBytes) {
        pipeline.addLast(ENCODER, new FrameEncoder(Protocol.SMALLEST_FRAME_LIMIT))
                .addLast(DECODER, new FrameDecoder(maxFrameBytes))
                .addLast(MALFORMED_FRAMES, MalformedFrameHandler.INSTANCE);
    }

    /**
     * {@link #addTo}, with Netty's {@link FlushConsolidationHandler} between the encoder and the
     * decoder: for a pipeline whose frames are written and flushed one at a time. Behind the encoder
     * it hands it one flush per read batch of the connection, or one flush task per burst of writes
     * from elsewhere, so {@link FrameEncoder} batches the frames between them and each flush is one
     * {@code write(2)}; in front of the decoder it sees each read once, not each frame decoded from it.
     *
     * @param maxFrameBytes the largest frame accepted from the peer
     */
    public static void addConsolidatingTo(ChannelPipeline pipeline, int maxFrameBytes) {
        addTo(pipeline, maxFrameBytes);
        pipeline.addAfter(ENCODER, FLUSH_CONSOLIDATOR,
                new FlushConsolidationHandler(EXPLICIT_FLUSH_AFTER_FLUSHES, true));
    }
}
