package io.msf.protocol.codec;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;

/**
 * Heap buffers that remember themselves, so a test can assert that every buffer it or the codec
 * allocated was released: unlike the GC-driven leak detector, this cannot miss one. The detector
 * runs too, at PARANOID, for access records.
 */
final class TrackingAllocator extends AbstractByteBufAllocator {

    static {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    private final List<ByteBuf> allocated = new ArrayList<>();
    /** What every buffer's allocation throws from now on (a memory limit, say), or null. */
    private RuntimeException bufferRefusal;
    /** What every composite buffer's allocation throws from now on, or null. */
    private RuntimeException compositeRefusal;
    /** What adding a second buffer at once to a composite throws from now on, or null. */
    private RuntimeException addingRefusal;

    TrackingAllocator() {
        super(false);
    }

    /** An embedded channel with {@code handlers}, allocating from this allocator. */
    EmbeddedChannel channel(io.netty.channel.ChannelHandler... handlers) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(this);
        channel.pipeline().addLast(handlers);
        return channel;
    }

    /** A buffer holding {@code bytes}. */
    ByteBuf bytes(byte[] bytes) {
        return heapBuffer(bytes.length).writeBytes(bytes);
    }

    /** The buffer allocated last. */
    ByteBuf newest() {
        return allocated.get(allocated.size() - 1);
    }

    /** The buffers allocated here that are not yet released. */
    List<ByteBuf> unreleased() {
        return allocated.stream().filter(buf -> buf.refCnt() > 0).toList();
    }

    /** Every buffer's allocation from now on throws {@code refusal}, as a pool over its limit does. */
    void refuseBuffers(RuntimeException refusal) {
        this.bufferRefusal = refusal;
    }

    /** Every composite buffer's allocation from now on throws {@code refusal}. */
    void refuseComposites(RuntimeException refusal) {
        this.compositeRefusal = refusal;
    }

    /**
     * Every composite buffer from now on takes the first of the buffers added at once and refuses
     * the rest with {@code refusal}, releasing them, as Netty's composite does when adding fails.
     */
    void failAddingToComposites(RuntimeException refusal) {
        this.addingRefusal = refusal;
    }

    @Override
    public CompositeByteBuf compositeHeapBuffer(int maxNumComponents) {
        if (compositeRefusal != null) {
            throw compositeRefusal;
        }
        if (addingRefusal == null) {
            return super.compositeHeapBuffer(maxNumComponents);
        }
        RuntimeException refusal = addingRefusal;
        return new CompositeByteBuf(this, false, maxNumComponents) {
            @Override
            public CompositeByteBuf addComponents(boolean increaseWriterIndex, ByteBuf... buffers) {
                addComponent(increaseWriterIndex, buffers[0]);
                for (int i = 1; i < buffers.length; i++) {
                    buffers[i].release();
                }
                throw refusal;
            }
        };
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        if (bufferRefusal != null) {
            throw bufferRefusal;
        }
        ByteBuf buf = new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
        allocated.add(buf);
        return buf;
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return newHeapBuffer(initialCapacity, maxCapacity);
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }
}
