package io.msf.mempool.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.msf.concurrent.StripedCounters;
import io.msf.mempool.api.MemoryPool;
import io.msf.mempool.api.PoolUsage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.IllegalReferenceCountException;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccountedByteBufTest {

    private final MemoryPool pool = new Accounts(new PooledByteBufAllocator(true)).poolFor(7, "test.owner");

    @Test
    void releasingTheRootReturnsTheFiguresToZero() {
        ByteBuf buf = pool.buffer(1000);
        assertThat(pool.usage()).extracting(PoolUsage::bytesInUse, PoolUsage::liveBuffers, PoolUsage::allocations)
                .containsExactly(1000L, 1L, 1L);

        assertThat(buf.release()).isTrue();

        assertThat(pool.usage()).extracting(PoolUsage::bytesInUse, PoolUsage::liveBuffers, PoolUsage::allocations,
                PoolUsage::peakBytes).containsExactly(0L, 0L, 1L, 1000L);
    }

    @Test
    void anyPlainViewCanReleaseTheLastReference() {
        ByteBuf buf = pool.buffer(64).writeLong(1).writeLong(2);
        List<ByteBuf> views = List.of(buf.slice(), buf.slice(0, 8), buf.duplicate(), buf.asReadOnly(),
                buf.order(ByteOrder.LITTLE_ENDIAN), buf.readSlice(8));
        for (ByteBuf view : views) {
            assertThat(view.alloc()).isSameAs(pool.allocator());
            assertThat(view.refCnt()).isEqualTo(1);
        }

        assertThat(views.get(5).release()).isTrue();

        assertThat(buf.refCnt()).isZero();
        assertIdle();
    }

    @Test
    void retainedViewsCreditOnlyWhenTheLastOneIsReleased() {
        ByteBuf buf = pool.buffer(256).writeZero(32);
        ByteBuf slice = buf.retainedSlice();
        ByteBuf part = buf.retainedSlice(0, 8);
        ByteBuf duplicate = buf.retainedDuplicate();
        ByteBuf read = buf.readRetainedSlice(4);

        assertThat(buf.release()).isFalse();
        assertThat(slice.release()).isFalse();
        assertThat(part.release()).isFalse();
        assertThat(duplicate.release()).isFalse();
        assertThat(pool.usage().bytesInUse()).isEqualTo(256);

        assertThat(read.release()).isTrue();
        assertIdle();
    }

    @Test
    void aCompositeOfARootAndItsRetainedSliceReleasesBoth() {
        ByteBuf buf = pool.buffer(128).writeZero(128);
        CompositeByteBuf composite = pool.allocator().compositeBuffer();
        composite.addComponents(true, buf, buf.retainedSlice(0, 64));
        ByteBuf other = pool.buffer(512).writeZero(10);
        composite.addComponent(true, other.retainedDuplicate());
        other.release();

        assertThat(composite.readableBytes()).isEqualTo(128 + 64 + 10);
        assertThat(pool.usage().liveBuffers()).isEqualTo(2);

        composite.release();
        assertIdle();
    }

    @Test
    void aDoubleReleaseThrowsAndDoesNotCreditTwice() {
        ByteBuf kept = pool.buffer(300);
        ByteBuf buf = pool.buffer(100);
        ByteBuf slice = buf.slice();
        buf.release();

        assertThatThrownBy(buf::release).isInstanceOf(IllegalReferenceCountException.class);
        assertThatThrownBy(slice::release).isInstanceOf(IllegalReferenceCountException.class);
        assertThatThrownBy(() -> buf.release(2)).isInstanceOf(IllegalReferenceCountException.class);

        assertThat(pool.usage()).extracting(PoolUsage::bytesInUse, PoolUsage::liveBuffers).containsExactly(300L, 1L);
        kept.release();
        assertIdle();
    }

    @Test
    void aStaleReleaseOnAnEventLoopThreadLeavesTheBufferThatReusedThePooledObjectAlone() throws Exception {
        // Netty recycles the pooled buffer object on its own threads (FastThreadLocalThread, as event
        // loops are): the next allocation, here another bundle's, may get the very object a released
        // wrapper still points to. A second release through that wrapper must not free that buffer.
        Accounts accounts = new Accounts(new PooledByteBufAllocator(true));
        MemoryPool first = accounts.poolFor(1, "first.owner");
        MemoryPool second = accounts.poolFor(2, "second.owner");
        List<Object> outcome = new ArrayList<>();
        Thread loop = new FastThreadLocalThread(() -> {
            ByteBuf stale = first.buffer(100);
            ByteBuf staleView = stale.duplicate();
            stale.release();
            ByteBuf other = second.buffer(100);
            for (ByteBuf wrapper : List.of(stale, staleView)) {
                try {
                    outcome.add(wrapper.release());
                } catch (IllegalReferenceCountException expected) {
                    outcome.add("refused");
                }
                outcome.add(wrapper.refCnt());
            }
            outcome.add(other.refCnt());
            outcome.add(second.usage().bytesInUse());
            outcome.add(other.release());
            outcome.add(second.usage().bytesInUse());
            first.buffer(100).release(); // the first owner's figures were not credited twice
            outcome.add(first.usage().bytesInUse());
            first.buffer(100);
            outcome.add(first.usage().bytesInUse());
        });
        loop.start();
        loop.join();

        assertThat(outcome).containsExactly("refused", 0, "refused", 0, 1, 100L, true, 0L, 0L, 100L);
    }

    /** As a stale release: a stale resize grew or shrank the buffer that reused the pooled object, charging the wrong owner. */
    @Test
    void aStaleResizeOnAnEventLoopThreadLeavesTheBufferThatReusedThePooledObjectAlone() throws Exception {
        Accounts accounts = new Accounts(new PooledByteBufAllocator(true));
        MemoryPool first = accounts.poolFor(1, "first.owner");
        MemoryPool second = accounts.poolFor(2, "second.owner");
        List<Object> outcome = new ArrayList<>();
        Thread loop = new FastThreadLocalThread(() -> {
            ByteBuf stale = first.buffer(100, 100_000);
            stale.release();
            ByteBuf other = second.buffer(100, 100_000);
            List<Runnable> resizes = List.of(() -> stale.capacity(4000), () -> stale.capacity(10),
                    () -> stale.ensureWritable(4000), () -> stale.ensureWritable(4000, true),
                    () -> stale.writeBytes(new byte[4000]));
            for (Runnable resize : resizes) {
                try {
                    resize.run();
                    outcome.add("done");
                } catch (IllegalReferenceCountException expected) {
                    outcome.add("refused");
                }
            }
            outcome.add(other.capacity());
            outcome.add(first.usage().bytesInUse());
            outcome.add(second.usage().bytesInUse());
            other.release();
        });
        loop.start();
        loop.join();

        assertThat(outcome).containsExactly("refused", "refused", "refused", "refused", "refused", 100, 0L, 100L);
    }

    @Test
    void writesThatGrowTheBufferAreCharged() {
        ByteBuf buf = pool.buffer(16);
        buf.writeBytes(new byte[100]);
        assertThat(buf.capacity()).isGreaterThanOrEqualTo(100);
        assertThat(pool.usage().bytesInUse()).isEqualTo(buf.capacity());

        buf.writeCharSequence("é".repeat(400), StandardCharsets.UTF_8);
        ByteBufUtil.writeUtf8(buf, "ü".repeat(1000));
        buf.writeCharSequence("x".repeat(5000), StandardCharsets.UTF_16);
        for (int i = 0; i < 3000; i++) {
            buf.writeLong(i);
        }
        assertThat(buf.writerIndex()).isEqualTo(100 + 800 + 2000 + 10002 + 24000);
        assertThat(pool.usage().bytesInUse()).isEqualTo(buf.capacity());
        assertThat(pool.usage().peakBytes()).isEqualTo(buf.capacity());

        buf.release();
        assertIdle();
    }

    @Test
    void explicitCapacityChangesAndGrowthThroughADuplicateAreCharged() {
        ByteBuf buf = pool.buffer(64, 1 << 20);
        buf.capacity(4096);
        assertThat(pool.usage().bytesInUse()).isEqualTo(4096);
        buf.capacity(1024);
        assertThat(pool.usage().bytesInUse()).isEqualTo(1024);
        buf.ensureWritable(2000);
        assertThat(pool.usage().bytesInUse()).isEqualTo(buf.capacity()).isGreaterThanOrEqualTo(2000);
        assertThat(buf.ensureWritable(1 << 21, true)).isEqualTo(3);
        assertThat(pool.usage().bytesInUse()).isEqualTo(1 << 20);

        ByteBuf small = pool.buffer(32);
        ByteBuf duplicate = small.duplicate();
        duplicate.writeZero(10_000);
        assertThat(small.capacity()).isGreaterThanOrEqualTo(10_000);
        assertThat(pool.usage().bytesInUse()).isEqualTo((1 << 20) + small.capacity());

        buf.release();
        duplicate.release();
        assertIdle();
    }

    @Test
    void copiesComeFromTheOwnersAccount() {
        ByteBuf buf = pool.buffer(100).writeZero(100);
        ByteBuf copy = buf.copy();
        ByteBuf read = buf.readBytes(40);
        ByteBuf heap = pool.heapBuffer(10).writeZero(10);
        ByteBuf heapCopy = heap.copy(2, 5);

        assertThat(copy).isInstanceOf(AccountedByteBuf.class);
        assertThat(heapCopy.isDirect()).isFalse();
        assertThat(pool.usage()).extracting(PoolUsage::bytesInUse, PoolUsage::liveBuffers)
                .containsExactly(100L + 100 + 40 + 10 + 5, 5L);
        assertThatThrownBy(() -> buf.copy(90, 20)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> buf.readBytes(61)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(pool.usage().liveBuffers()).isEqualTo(5);

        for (ByteBuf b : List.of(buf, copy, read, heap, heapCopy)) {
            b.release();
        }
        assertIdle();
    }

    @Test
    void unwrapGivesThePooledBufferItself() {
        ByteBuf buf = pool.buffer(10);
        assertThat(buf.unwrap()).isNotInstanceOf(AccountedByteBuf.class);
        assertThat(buf.unwrap().capacity()).isEqualTo(10);
        assertThat(buf.isDirect()).isTrue();
        buf.release();
        assertIdle();
    }

    @Test
    void buffersMayBeReleasedOnAnotherThread() throws InterruptedException {
        List<ByteBuf> bufs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            bufs.add(pool.buffer(1000));
        }
        Thread releaser = new Thread(() -> bufs.forEach(ByteBuf::release));
        releaser.start();
        releaser.join();
        assertIdle();
    }

    @Test
    void figuresStayExactWhenMoreThreadsThanStripesAllocate() throws InterruptedException {
        int threads = StripedCounters.OWNED * 3;
        List<ByteBuf> held = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<ByteBuf> mine = new ArrayList<>();
            held.add(null);
            int slot = t;
            workers.add(new Thread(() -> {
                for (int i = 0; i < 2000; i++) {
                    ByteBuf buf = pool.buffer(64);
                    if (i % 2 == 0) {
                        buf.release();
                    } else {
                        mine.add(buf);
                    }
                }
                CompositeByteBuf all = pool.allocator().compositeBuffer(Integer.MAX_VALUE);
                all.addComponents(mine);
                synchronized (held) {
                    held.set(slot, all);
                }
            }));
        }
        workers.forEach(Thread::start);
        for (Thread worker : workers) {
            worker.join();
        }

        assertThat(pool.usage()).extracting(PoolUsage::bytesInUse, PoolUsage::liveBuffers, PoolUsage::allocations)
                .containsExactly(threads * 1000L * 64, threads * 1000L, threads * 2000L);
        held.forEach(ByteBuf::release);
        assertIdle();
    }

    private void assertIdle() {
        assertThat(pool.usage()).extracting(PoolUsage::bytesInUse, PoolUsage::liveBuffers).containsExactly(0L, 0L);
    }
}
