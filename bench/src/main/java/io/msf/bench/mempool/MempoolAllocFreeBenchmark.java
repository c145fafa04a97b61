package io.msf.bench.mempool;

import io.msf.mempool.api.MemoryPool;
import io.msf.mempool.internal.Accounts;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Allocating and freeing one buffer: the msf pool (pooled allocator plus per-bundle accounting)
 * against the same pooled allocator used raw, and against {@code ByteBuffer.allocateDirect}.
 *
 * <p>Each operation frees the oldest of {@value #RING} live buffers and allocates a new one in its
 * place, as a pipeline holding a few buffers does. Keeping buffers live matters: with none, every
 * 1 MiB free empties its pool chunk, Netty gives the chunk back, and each allocation would pay for a
 * new 4 MiB chunk. {@code allocateDirect} buffers are dropped for the GC to free, which is its
 * real cost. {@code size} is one size, or {@code mixed}: sizes spread evenly on a log scale from
 * 256 B to 1 MiB, the same sequence for every contender.
 *
 * <p>The {@code paired} group runs the msf pool and the raw allocator at the same time, one thread
 * each, every thread with its own allocators and ring: on a machine shared with other work, both
 * then meet the same load at the same moment, and their ratio holds far better than between
 * benchmarks run one after the other.
 *
 * <p>{@code threadCache=true} gives the benchmark thread a pool thread cache, as Netty event-loop
 * threads always have (the raw allocator's fastest case, the hardest to keep up with); {@code false}
 * is Netty's default for other threads, which go to the shared arenas.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
// A fixed heap, touched at JVM start: the msf pool allocates its 32-byte account wrapper per buffer
// and the raw allocator nothing, so until the first collection only msf would pay the kernel's page
// faults on never-touched heap pages (see TimerScheduleCancelBenchmark).
@Fork(jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MempoolAllocFreeBenchmark {

    private static final int RING = 16;
    private static final int MIXED_SIZES = 1024;

    @Param({"256", "4096", "65536", "1048576", "mixed"})
    public String size;

    @Param({"true"})
    public boolean threadCache;

    private int[] sizes;
    private int next;
    private PooledByteBufAllocator raw;
    private MemoryPool pool;
    private final ByteBuf[] rawRing = new ByteBuf[RING];
    private final ByteBuf[] poolRing = new ByteBuf[RING];
    private final ByteBuffer[] directRing = new ByteBuffer[RING];

    @Setup(Level.Trial)
    public void setUp() {
        sizes = sizes(size);
        raw = allocator(threadCache);
        pool = new Accounts(allocator(threadCache)).poolFor(1, "bench.owner");
        for (int i = 0; i < RING; i++) {
            rawRing[i] = raw.directBuffer(sizes[i % sizes.length]);
            poolRing[i] = pool.buffer(sizes[i % sizes.length]);
            directRing[i] = ByteBuffer.allocateDirect(sizes[i % sizes.length]);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (int i = 0; i < RING; i++) {
            rawRing[i].release();
            poolRing[i].release();
        }
        if (pool.usage().bytesInUse() != 0 || pool.usage().liveBuffers() != 0) {
            throw new IllegalStateException("accounting did not return to zero: " + pool.usage());
        }
    }

    @Benchmark
    public void msfPool() {
        int slot = next++ & (RING - 1);
        poolRing[slot].release();
        poolRing[slot] = pool.buffer(sizes[next & (sizes.length - 1)]);
    }

    @Benchmark
    public void rawPooled() {
        int slot = next++ & (RING - 1);
        rawRing[slot].release();
        rawRing[slot] = raw.directBuffer(sizes[next & (sizes.length - 1)]);
    }

    @Benchmark
    public void allocateDirect() {
        int slot = next++ & (RING - 1);
        directRing[slot] = ByteBuffer.allocateDirect(sizes[next & (sizes.length - 1)]);
    }

    @Benchmark
    @Group("paired")
    @GroupThreads(1)
    public void pairedMsfPool() {
        msfPool();
    }

    @Benchmark
    @Group("paired")
    @GroupThreads(1)
    public void pairedRawPooled() {
        rawPooled();
    }

    /** Netty's default pooled allocator, but for whether every thread gets a thread cache. */
    private static PooledByteBufAllocator allocator(boolean threadCache) {
        return new PooledByteBufAllocator(true, PooledByteBufAllocator.defaultNumHeapArena(),
                PooledByteBufAllocator.defaultNumDirectArena(), PooledByteBufAllocator.defaultPageSize(),
                PooledByteBufAllocator.defaultMaxOrder(), PooledByteBufAllocator.defaultSmallCacheSize(),
                PooledByteBufAllocator.defaultNormalCacheSize(), threadCache);
    }

    /** A power-of-two long list of sizes, so that picking the next one is a mask. */
    private static int[] sizes(String size) {
        if (!"mixed".equals(size)) {
            return new int[] {Integer.parseInt(size)};
        }
        SplittableRandom random = new SplittableRandom(42);
        int[] mixed = new int[MIXED_SIZES];
        for (int i = 0; i < mixed.length; i++) {
            mixed[i] = (int) Math.round(Math.pow(2, 8 + 12 * random.nextDouble()));
        }
        return mixed;
    }
}
