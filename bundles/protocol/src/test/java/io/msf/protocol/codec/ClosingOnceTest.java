package io.msf.protocol.codec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.local.LocalChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A connection is told once why it ends, however many reasons come before it closes: a peer that has
 * stopped reading leaves the first ERROR unwritten, and each later reason would queue one more ERROR
 * (and schedule one more close) behind it; a later reason's ERROR is released, not leaked.
 */
class ClosingOnceTest {

    private static final int MAX_FRAME = 4096;

    private final TrackingAllocator alloc = new TrackingAllocator();
    /** What the connection wrote, as a socket whose peer has stopped reading: no write ever completes. */
    private final List<Object> neverWritten = new ArrayList<>();
    private final List<Throwable> passedOn = new ArrayList<>();
    private final EmbeddedChannel stalled = alloc.channel(new ChannelOutboundHandlerAdapter() {
        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            neverWritten.add(msg);
        }
    });

    ClosingOnceTest() {
        AgentCodec.addTo(stalled.pipeline(), MAX_FRAME);
    }

    @AfterEach
    void nothingLeaks() {
        neverWritten.forEach(ReferenceCountUtil::release);
        stalled.finishAndReleaseAll();
        assertThat(alloc.unreleased()).isEmpty();
    }

    @Test
    void aSecondReasonGivenByTheChannelIsNotSent() {
        MalformedFrameHandler.closeWith(stalled, error(ErrorCode.OVERLOADED, "read faster"));
        MalformedFrameHandler.closeWith(stalled, error(ErrorCode.DUPLICATE_ID, "taken over"));

        assertThat(errorsSent()).containsExactly("OVERLOADED read faster");
    }

    @Test
    void aMalformedFrameAfterABreachToldByAHandlerBehindIsNeitherAnsweredNorPassedOn() {
        stalled.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ReferenceCountUtil.release(msg);
                MalformedFrameHandler.closeWith(ctx, error(ErrorCode.BAD_FRAME, "a second HELLO"));
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                passedOn.add(cause);
            }
        });
        ByteBuf frameThenJunk = alloc.bytes(Frames.request()).writeBytes("GET / HTTP/1.1\r\n".getBytes(UTF_8));

        Throwable thrown = catchThrowable(() -> stalled.writeInbound(frameThenJunk));

        assertThat(thrown).isNull();
        assertThat(passedOn).isEmpty();
        assertThat(errorsSent()).containsExactly("BAD_FRAME a second HELLO");
    }

    @Test
    void anErrorWrittenAtOnceLeavesNoDeadlineBehind() {
        EmbeddedChannel reading = alloc.channel();
        AgentCodec.addTo(reading.pipeline(), MAX_FRAME);

        MalformedFrameHandler.closeWith(reading, error(ErrorCode.OVERLOADED, "read faster"));

        assertThat(reading.isOpen()).isFalse();
        assertThat(reading.runScheduledPendingTasks()).as("no scheduled task left").isEqualTo(-1);
        reading.finishAndReleaseAll();
    }

    /**
     * The channel's event loop has ended (a container stopping, a caller on another loop): nothing can
     * write the ERROR any more, and the caller, a broker cutting a peer off, is not to fail for it.
     */
    @Test
    void aReasonForAChannelWhoseLoopHasEndedIsReleasedWithoutFailingTheCaller() throws Exception {
        DefaultEventLoop loop = new DefaultEventLoop();
        LocalChannel orphan = new LocalChannel();
        loop.register(orphan).sync();
        loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        Message overloaded = error(ErrorCode.OVERLOADED, "read faster");

        Throwable thrown = catchThrowable(() -> MalformedFrameHandler.closeWith(orphan, overloaded));

        assertThat(thrown).isNull();
        assertThat(overloaded.refCnt()).isZero();
    }

    private Message error(ErrorCode code, String detail) {
        return Message.closingError(code, alloc.bytes(detail.getBytes(UTF_8)));
    }

    /** The ERROR frames the connection wrote, each as its code and detail. */
    private List<String> errorsSent() {
        EmbeddedChannel peer = alloc.channel(new FrameDecoder(MAX_FRAME));
        List<String> errors = new ArrayList<>();
        for (Object part : neverWritten) {
            peer.writeInbound(((ByteBuf) part).retainedDuplicate());
            for (Message frame; (frame = peer.readInbound()) != null; frame.release()) {
                errors.add(frame.error() + " " + frame.payload().toString(UTF_8));
            }
        }
        peer.finishAndReleaseAll();
        return errors;
    }
}
