package io.msf.mempool.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.mempool.api.MemoryPool;
import io.msf.mempool.api.PoolUsage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The pool's allocator in a real pipeline: cumulation, retained frame slices and replies are all charged. */
class PipelineAllocationTest {

    private final MemoryPool pool = new Accounts(new PooledByteBufAllocator(true)).poolFor(3, "io.msf.demo.echo");

    @Test
    void aDecodingPipelineLeavesNothingCharged() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(pool.allocator());
        channel.pipeline().addLast(new LengthFieldBasedFrameDecoder(1 << 16, 0, 2, 0, 2), new Echo());

        for (int frame = 0; frame < 50; frame++) {
            ByteBuf wire = channel.alloc().buffer();
            String text = "frame " + frame + " " + "x".repeat(frame * 40);
            wire.writeShort(text.length()).writeCharSequence(text, StandardCharsets.US_ASCII);
            // split each frame so the decoder must cumulate, and so grow, its buffer
            channel.writeInbound(wire.readRetainedSlice(wire.readableBytes() / 2));
            channel.writeInbound(wire);
        }
        assertThat(pool.usage().liveBuffers()).isEqualTo(50);

        for (int frame = 0; frame < 50; frame++) {
            ByteBuf reply = channel.readOutbound();
            assertThat(reply.alloc()).isSameAs(pool.allocator());
            assertThat(reply.toString(StandardCharsets.US_ASCII)).startsWith("echo: frame " + frame + " ");
            reply.release();
        }
        assertThat(channel.finishAndReleaseAll()).isFalse();

        PoolUsage usage = pool.usage();
        assertThat(usage.allocations()).isGreaterThanOrEqualTo(100);
        assertThat(usage.bytesInUse()).isZero();
        assertThat(usage.liveBuffers()).isZero();
    }

    /** Answers each frame with a new buffer from the channel's allocator. */
    private static final class Echo extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf frame = (ByteBuf) msg;
            try {
                ByteBuf reply = ctx.alloc().buffer(frame.readableBytes() + 6);
                reply.writeCharSequence("echo: ", StandardCharsets.US_ASCII);
                ctx.writeAndFlush(reply.writeBytes(frame));
            } finally {
                frame.release();
            }
        }
    }
}
