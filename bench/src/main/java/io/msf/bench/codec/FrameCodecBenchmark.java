package io.msf.bench.codec;

import io.msf.mempool.internal.Accounts;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.Protocol;
import io.msf.protocol.codec.FrameDecoder;
import io.msf.protocol.codec.FrameEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The agent protocol's codec on one frame: a REQUEST to an id or a PUBLISH to a topic, with 64
 * bytes of payload, encoded by {@link FrameEncoder} and the bytes decoded again by
 * {@link FrameDecoder}, in an {@code EmbeddedChannel} (the handlers run
 * inline; the channel's own cost is the same in every variant). {@code allocator}: {@code pooled}
 * is Netty's pooled allocator, {@code accounted} the mempool's buffers charged to a bundle, which
 * is what the agent's connections use (every buffer access goes through one more call).
 *
 * <pre>java -jar bench/target/benchmarks.jar FrameCodecBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FrameCodecBenchmark {

    private static final int MAX_FRAME_BYTES = 1 << 20;

    @Param({"pooled", "accounted"})
    public String allocator;

    @Param({"request", "publish"})
    public String frame;

    private EmbeddedChannel channel;
    private ByteBuf payload;
    private long sequence;

    @Setup
    public void setUp() {
        PooledByteBufAllocator pooled = PooledByteBufAllocator.DEFAULT;
        ByteBufAllocator alloc = allocator.equals("accounted")
                ? new Accounts(pooled).poolFor(1, "bench.owner").allocator()
                : pooled;
        channel = new EmbeddedChannel();
        channel.config().setAllocator(alloc);
        FrameDecoder decoder = new FrameDecoder(MAX_FRAME_BYTES);
        decoder.agreedVersion(Protocol.MIN_VERSION); // a session's frames come after the HELLOs
        channel.pipeline().addLast(decoder, new FrameEncoder(MAX_FRAME_BYTES));
        payload = alloc.directBuffer(64).writeZero(64);
    }

    @TearDown
    public void tearDown() {
        payload.release();
        channel.finishAndReleaseAll();
    }

    @Benchmark
    public long encodeAndDecode() {
        channel.writeOutbound(frame.equals("publish")
                ? Message.publish("sensors.kitchen.temperature", 7, ++sequence, payload.retainedDuplicate())
                : Message.request(42, 7, ++sequence, 1000, payload.retainedDuplicate()));
        ByteBuf frame = channel.readOutbound();
        channel.writeInbound(frame);
        Message decoded = channel.readInbound();
        long result = decoded.sequence() + decoded.payload().readableBytes();
        decoded.release();
        return result;
    }
}
