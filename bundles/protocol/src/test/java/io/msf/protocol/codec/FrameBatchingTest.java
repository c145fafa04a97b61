package io.msf.protocol.codec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.msf.protocol.api.Message;
import io.msf.protocol.api.Protocol;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The encoder's batches: what is written between two flushes leaves in as few buffers as it fits. */
class FrameBatchingTest {

    private final TrackingAllocator alloc = new TrackingAllocator();
    private final EmbeddedChannel channel = alloc.channel(new FrameEncoder(Protocol.DEFAULT_MAX_FRAME_BYTES));

    @AfterEach
    void nothingLeaks() {
        channel.finishAndReleaseAll();
        assertThat(alloc.unreleased()).isEmpty();
    }

    @Test
    void framesWrittenBetweenFlushesLeaveInOneBufferAtTheFlush() {
        List<ChannelFuture> writes = List.of(channel.write(notification(1, "one")),
                channel.write(notification(2, "two")), channel.write(notification(3, "three")));

        assertThat(channel.outboundMessages()).isEmpty();
        assertThat(writes).noneMatch(ChannelFuture::isDone);

        channel.flush();

        assertThat(channel.outboundMessages()).hasSize(1);
        assertThat(writes).allMatch(ChannelFuture::isSuccess);
        assertThat(payloads(drain())).containsExactly("one", "two", "three");
    }

    @Test
    void aBatchStartsAtItsFirstFrameAndGrowsUpToItsLimitThenTheNextStarts() {
        channel.writeOneOutbound(notification(0, "alone")); // written, not flushed
        channel.flush();
        ByteBuf alone = channel.readOutbound();
        assertThat(alone.capacity()).isEqualTo(alone.readableBytes());
        alone.release();

        String payload = "x".repeat(FrameEncoder.INLINE_PAYLOAD_BYTES);
        int frames = 2 * FrameEncoder.BATCH_BYTES / payload.length() + 1;
        for (int i = 0; i < frames; i++) {
            channel.write(notification(i, payload), channel.voidPromise());
        }
        channel.flush();

        assertThat(channel.outboundMessages()).hasSizeGreaterThan(2).allSatisfy(
                batch -> assertThat(((ByteBuf) batch).capacity()).isLessThanOrEqualTo(FrameEncoder.BATCH_BYTES));
        assertThat(payloads(drain())).hasSize(frames).containsOnly(payload);
    }

    @Test
    void aBatchStartsWithRoomForWhatThePreviousOneHeld() {
        for (int i = 0; i < 20; i++) {
            channel.write(notification(i, "burst"), channel.voidPromise());
        }
        channel.flush();
        ByteBuf burst = channel.readOutbound();
        int burstBytes = burst.readableBytes();
        burst.release();

        channel.write(notification(20, "alone"), channel.voidPromise());
        assertThat(alloc.newest().capacity()).isGreaterThanOrEqualTo(burstBytes);
        channel.flush();
        channel.<ByteBuf>readOutbound().release();

        channel.write(notification(21, "alone again"), channel.voidPromise());
        assertThat(alloc.newest().capacity()).isLessThan(burstBytes); // the lone frame before set the room
        channel.flush();
    }

    @Test
    void aBurstOfSeveralBatchesLetsTheNextStartWithRoomForAFullOneThoughItsLastWasShort() {
        String payload = "x".repeat(1000);
        int frames = FrameEncoder.BATCH_BYTES / payload.length(); // a few more than one batch holds
        for (int i = 0; i < frames; i++) {
            channel.write(notification(i, payload), channel.voidPromise());
        }
        channel.flush();
        List<Object> batches = new ArrayList<>(channel.outboundMessages());
        assertThat(batches).hasSize(2);
        assertThat(((ByteBuf) batches.get(1)).readableBytes()).isLessThan(FrameEncoder.BATCH_BYTES / 2);
        drain().release();

        channel.write(notification(frames, payload), channel.voidPromise());
        assertThat(alloc.newest().capacity()).isEqualTo(FrameEncoder.BATCH_BYTES);
        channel.flush();
    }

    @Test
    void onlyTheFirstBatchAfterAFlushGetsItsRoomSoHeadersOfLargePayloadsStaySmall() {
        ByteBuf large = alloc.heapBuffer().writeZero(FrameEncoder.INLINE_PAYLOAD_BYTES + 1);
        for (int burst = 0; burst < 2; burst++) {
            for (int i = 0; i < 150; i++) { // headers enough to give the next flush a full batch's room
                channel.write(Message.notification(7, 1, i, large.retainedDuplicate()), channel.voidPromise());
            }
            channel.flush();
            List<Object> parts = new ArrayList<>(channel.outboundMessages());
            assertThat(parts).hasSize(150);
            if (burst == 1) {
                // each frame leaves as its header's batch and its payload; only the first batch is roomy
                assertThat(((CompositeByteBuf) parts.get(0)).component(0).capacity())
                        .isGreaterThan(FrameEncoder.BATCH_BYTES / 2);
                assertThat(parts.subList(1, parts.size())).allSatisfy(part ->
                        assertThat(((CompositeByteBuf) part).component(0).capacity()).isLessThan(256));
            }
            drain().release();
        }
        large.release();
    }

    @Test
    void aPayloadTooLargeToCopyEndsTheBatchBehindItsHeader() {
        ByteBuf large = alloc.heapBuffer().writeZero(FrameEncoder.INLINE_PAYLOAD_BYTES + 1);
        channel.write(notification(1, "before"));
        channel.write(Message.notification(2, 0, 2, large.retain()));
        channel.write(notification(3, "after"));
        channel.flush();

        List<Object> parts = new ArrayList<>(channel.outboundMessages());
        assertThat(parts).hasSize(2);
        CompositeByteBuf first = (CompositeByteBuf) parts.get(0);
        assertThat(first.component(1).array()).isSameAs(large.array());
        large.release();
        assertThat(payloads(drain())).containsExactly("before", "\0".repeat(FrameEncoder.INLINE_PAYLOAD_BYTES + 1),
                "after");
    }

    /**
     * A payload that is a small part of a larger buffer (a slice of a connection's read buffer) is copied:
     * left in the outbound queue behind a slow reader, it kept that whole buffer alive while the high-water
     * mark counted the payload alone.
     */
    @Test
    void aPayloadThatIsASmallPartOfALargerBufferWaitsAsACopySoThatBufferIsFreed() {
        int bytes = FrameEncoder.INLINE_PAYLOAD_BYTES + 52;
        channel.write(Message.notification(1, 0, 1, alloc.heapBuffer(bytes).writeZero(bytes))); // waits unflushed
        ByteBuf read = alloc.heapBuffer(64 * 1024).writeZero(64 * 1024);
        channel.write(Message.notification(2, 0, 2, read.retainedSlice(100, bytes)));
        read.release();
        assertThat(read.refCnt()).as("the read buffer, its payload waiting behind another").isZero();

        channel.flush();
        assertThat(payloads(drain())).containsExactly("\0".repeat(bytes), "\0".repeat(bytes));
    }

    /** Nothing waits: it leaves at once, not worth a copy (nor are those of every subscriber of a publication). */
    @Test
    void aPayloadThatIsASmallPartOfALargerBufferGoesAsItIsWhenNothingWaits() {
        ByteBuf read = alloc.heapBuffer(64 * 1024).writeZero(64 * 1024);
        channel.writeAndFlush(Message.notification(1, 0, 1, read.retainedSlice(100, FrameEncoder.INLINE_PAYLOAD_BYTES
                + 52)));
        CompositeByteBuf sent = (CompositeByteBuf) channel.outboundMessages().peek();
        assertThat(sent.component(1).unwrap().array()).isSameAs(read.array());
        read.release();
        drain().release();
    }

    @Test
    void aFrameInTheBatchCanNoLongerBeCancelledSoTheBatchIsNotLostWithIt() {
        channel.write(notification(1, "first"), channel.voidPromise());
        ChannelPromise second = channel.newPromise();
        channel.write(notification(2, "second"), second);

        assertThat(second.cancel(false)).isFalse();
        channel.flush();

        assertThat(second.isSuccess()).isTrue();
        assertThat(payloads(drain())).containsExactly("first", "second");
    }

    @Test
    void aFrameOverThePeersLimitFailsAloneAndTheOthersLeave() {
        channel.pipeline().get(FrameEncoder.class).peerMaxFrameBytes(Protocol.SMALLEST_FRAME_LIMIT);
        ChannelFuture first = channel.write(notification(1, "first"));
        ChannelFuture tooLarge = channel.write(notification(2, "y".repeat(Protocol.SMALLEST_FRAME_LIMIT)));
        ChannelFuture last = channel.write(notification(3, "last"));
        channel.flush();

        assertThat(tooLarge.cause()).isInstanceOf(EncoderException.class).cause()
                .isInstanceOf(TooLongFrameException.class);
        assertThat(first.isSuccess()).isTrue();
        assertThat(last.isSuccess()).isTrue();
        assertThat(payloads(drain())).containsExactly("first", "last");
    }

    @Test
    void anotherKindOfWriteKeepsItsPlaceBehindTheFramesBeforeIt() {
        channel.write(notification(1, "frame"));
        channel.write(Unpooled.wrappedBuffer("raw".getBytes(UTF_8)));
        channel.flush();

        ByteBuf batch = channel.readOutbound();
        ByteBuf raw = channel.readOutbound();
        assertThat(raw.toString(UTF_8)).isEqualTo("raw");
        raw.release();
        assertThat(payloads(batch)).containsExactly("frame");
    }

    @Test
    void framesNeverFlushedAreFailedAndReleasedWhenTheChannelCloses() {
        ChannelFuture write = channel.write(notification(1, "never flushed"));

        channel.close();

        assertThat(write.cause()).isInstanceOf(ClosedChannelException.class);
        assertThat(channel.outboundMessages()).isEmpty();
    }

    private Message notification(long sequence, String payload) {
        return Message.notification(7, 1, sequence, alloc.bytes(payload.getBytes(UTF_8)));
    }

    /** Every buffer written, in one. */
    private ByteBuf drain() {
        ByteBuf all = Unpooled.buffer();
        for (ByteBuf part; (part = channel.readOutbound()) != null; ) {
            all.writeBytes(part);
            part.release();
        }
        return all;
    }

    /** The payloads of the frames in {@code bytes} (released), decoded by the real decoder. */
    private static List<String> payloads(ByteBuf bytes) {
        EmbeddedChannel decoder = new EmbeddedChannel(FrameCodecTest.afterTheHellos(new FrameDecoder(Protocol.DEFAULT_MAX_FRAME_BYTES)));
        decoder.writeInbound(bytes);
        List<String> payloads = new ArrayList<>();
        for (Message message; (message = decoder.readInbound()) != null; ) {
            payloads.add(message.payload().toString(UTF_8));
            message.release();
        }
        decoder.finishAndReleaseAll();
        return payloads;
    }
}
