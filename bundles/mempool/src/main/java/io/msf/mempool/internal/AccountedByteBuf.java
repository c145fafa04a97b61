package io.msf.mempool.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.util.ByteProcessor;
import io.netty.util.IllegalReferenceCountException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ScatteringByteChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * A pooled buffer charged to an {@link Account}.
 *
 * <p>Each allocation gets one root wrapper; slices, duplicates and the other views of it are wrapped
 * too and point at the root. Every release, through whichever view, lands on the pooled buffer's one
 * reference count, and exactly one release call returns {@code true}: the one that frees the memory.
 * That call credits the account, so the account is credited once, whoever lets go last. Retained
 * views are therefore made as {@code retain()} plus a plain view: Netty's own pooled retained slices
 * keep a count of their own, whose end is not the end of the memory.
 *
 * <p>Growth is charged as well. A write that needs room grows the buffer here, picking the new
 * capacity as Netty's AbstractByteBuf would, once the account has admitted it; the account is then
 * charged the change actually made. Copies come from the owner's allocator.
 *
 * <p>Deliberately not a {@link io.netty.buffer.WrappedByteBuf}: Netty unwraps that type (in
 * ByteBufUtil.writeUtf8 and CompositeByteBuf) and would then grow the pooled buffer behind the
 * account's back, and its final {@code alloc()} would hand out the uncharged allocator.
 *
 * <p>The plain delegation after the accounting part was generated once from ByteBuf's abstract
 * methods and is kept as ordinary source.
 */
@SuppressWarnings("deprecation") // order(ByteOrder) and friends are deprecated in ByteBuf, but still delegated
final class AccountedByteBuf extends ByteBuf {

    private static final VarHandle FREED;

    static {
        try {
            FREED = MethodHandles.lookup().findVarHandle(AccountedByteBuf.class, "freed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ByteBuf buf;
    private final ChargingAllocator alloc;
    /** The wrapper of the allocation itself, which holds the charge: {@code this} for the root. */
    private final AccountedByteBuf root;
    /** Capacity charged for the allocation; used on the root only. */
    private int charged;
    /**
     * Root only: the memory went back to the pool. Netty recycles the pooled buffer object and may
     * hand it to the next allocation (another owner's, maybe), so a wrapper whose memory is gone
     * must not touch it again: a stale release or retain would free or keep that other buffer.
     * Written with release and read with acquire semantics ({@link #FREED}), not volatile: a
     * volatile write would put a full fence on every free, the pool's hot path, and a guard against
     * a caller's stale release needs no more ordering than the release that freed the memory had.
     */
    @SuppressWarnings("unused") // through FREED
    private boolean freed;

    AccountedByteBuf(ByteBuf pooled, ChargingAllocator alloc, int charged) {
        this.buf = pooled;
        this.alloc = alloc;
        this.root = this;
        this.charged = charged;
    }

    private AccountedByteBuf(ByteBuf view, AccountedByteBuf root) {
        this.buf = view;
        this.alloc = root.alloc;
        this.root = root;
    }

    // ---- reference counting: credit once, when the memory goes back to the pool

    @Override
    public int refCnt() {
        return root.isFreed() ? 0 : buf.refCnt();
    }

    @Override
    public boolean release() {
        ensureNotFreed(-1);
        if (buf.release()) {
            root.credit();
            return true;
        }
        return false;
    }

    @Override
    public boolean release(int decrement) {
        ensureNotFreed(-decrement);
        if (buf.release(decrement)) {
            root.credit();
            return true;
        }
        return false;
    }

    private void credit() {
        FREED.setRelease(this, true);
        alloc.account().credit(charged);
    }

    /** Refuses a change of the count once the memory is back in the pool, as Netty does at 0. */
    private void ensureNotFreed(int change) {
        if (root.isFreed()) {
            throw new IllegalReferenceCountException(0, change);
        }
    }

    /**
     * Refuses a change of capacity once the memory is back in the pool, as Netty does at 0: the pooled
     * object may already be another allocation's (another owner's, maybe), which a stale resize would grow
     * or shrink, and this wrapper's account would be charged for it. Checked where the buffer grows only,
     * not on every write: one acquire read on a path that already does the work of a resize.
     */
    private void ensureAccessible() {
        if (root.isFreed()) {
            throw new IllegalReferenceCountException(0);
        }
    }

    private boolean isFreed() {
        return (boolean) FREED.getAcquire(this);
    }

    // ---- views share the root's charge and reference count

    @Override
    public ByteBuf slice() {
        return view(buf.slice());
    }

    @Override
    public ByteBuf slice(int index, int length) {
        return view(buf.slice(index, length));
    }

    @Override
    public ByteBuf readSlice(int length) {
        return view(buf.readSlice(length));
    }

    @Override
    public ByteBuf duplicate() {
        return view(buf.duplicate());
    }

    @Override
    public ByteBuf asReadOnly() {
        return view(buf.asReadOnly());
    }

    @Override
    public ByteBuf order(ByteOrder endianness) {
        return buf.order() == endianness ? this : view(buf.order(endianness));
    }

    @Override
    public ByteBuf retainedSlice() {
        ensureNotFreed(1);
        ByteBuf slice = buf.slice();
        buf.retain();
        return view(slice);
    }

    @Override
    public ByteBuf retainedSlice(int index, int length) {
        ensureNotFreed(1);
        ByteBuf slice = buf.slice(index, length);
        buf.retain();
        return view(slice);
    }

    @Override
    public ByteBuf readRetainedSlice(int length) {
        ensureNotFreed(1);
        ByteBuf slice = buf.readSlice(length);
        buf.retain();
        return view(slice);
    }

    @Override
    public ByteBuf retainedDuplicate() {
        ensureNotFreed(1);
        ByteBuf duplicate = buf.duplicate();
        buf.retain();
        return view(duplicate);
    }

    private ByteBuf view(ByteBuf derived) {
        return derived == buf ? this : new AccountedByteBuf(derived, root);
    }

    @Override
    public ByteBuf unwrap() {
        return buf;
    }

    // ---- copies come from the owner's allocator, so they are charged too

    @Override
    public ByteBufAllocator alloc() {
        return alloc;
    }

    @Override
    public ByteBuf copy() {
        return copy(buf.readerIndex(), buf.readableBytes());
    }

    @Override
    public ByteBuf copy(int index, int length) {
        if ((index | length) < 0 || index > buf.capacity() - length) {
            throw new IndexOutOfBoundsException(
                    "index: " + index + ", length: " + length + " (expected: range(0, " + buf.capacity() + "))");
        }
        ByteBuf copy = buf.isDirect() ? alloc.directBuffer(length, buf.maxCapacity())
                : alloc.heapBuffer(length, buf.maxCapacity());
        try {
            return copy.writeBytes(buf, index, length);
        } catch (RuntimeException e) {
            copy.release();
            throw e;
        }
    }

    @Override
    public ByteBuf readBytes(int length) {
        if (length <= 0 || length > buf.readableBytes()) {
            return buf.readBytes(length); // Netty's own answer: the empty buffer or its exception
        }
        ByteBuf copy = copy(buf.readerIndex(), length);
        buf.skipBytes(length);
        return copy;
    }

    // ---- growth: admitted before Netty grows the pooled buffer, charged after

    @Override
    public ByteBuf capacity(int newCapacity) {
        resize(newCapacity);
        return this;
    }

    @Override
    public ByteBuf ensureWritable(int minWritableBytes) {
        beforeWrite(minWritableBytes);
        buf.ensureWritable(minWritableBytes); // Netty's argument and accessibility checks; the room is there
        return this;
    }

    @Override
    public int ensureWritable(int minWritableBytes, boolean force) {
        if (minWritableBytes <= buf.writableBytes() || buf.refCnt() == 0 || buf.isReadOnly()) {
            return buf.ensureWritable(minWritableBytes, force); // Netty's answer, 1 for a read-only view
        }
        if (minWritableBytes <= buf.maxCapacity() - buf.writerIndex()) {
            makeRoom(minWritableBytes);
            return 2;
        }
        if (force && buf.capacity() != buf.maxCapacity()) {
            resize(buf.maxCapacity());
            return 3;
        }
        return 1;
    }

    @Override
    public int writeCharSequence(CharSequence sequence, Charset charset) {
        // The same room Netty reserves before encoding, so that it never has to grow the buffer itself.
        if (StandardCharsets.UTF_8.equals(charset)) {
            beforeWrite(ByteBufUtil.utf8MaxBytes(sequence));
        } else if (StandardCharsets.US_ASCII.equals(charset) || StandardCharsets.ISO_8859_1.equals(charset)) {
            beforeWrite(sequence.length());
        } else {
            byte[] bytes = sequence.toString().getBytes(charset);
            writeBytes(bytes);
            return bytes.length;
        }
        return buf.writeCharSequence(sequence, charset);
    }

    /** Makes room for a write of {@code length} bytes if there is not enough. */
    private void beforeWrite(int length) {
        if (length > buf.writableBytes()) {
            makeRoom(length);
        }
    }

    /** Picks the new capacity as AbstractByteBuf.ensureWritable0 does, and grows to it. */
    private void makeRoom(int minWritableBytes) {
        ensureAccessible();
        int writerIndex = buf.writerIndex();
        int maxCapacity = buf.maxCapacity();
        if (minWritableBytes > maxCapacity - writerIndex) {
            buf.ensureWritable(minWritableBytes); // Netty's IndexOutOfBoundsException
            root.chargeCapacityChange();
            return;
        }
        int fastWritable = buf.maxFastWritableBytes();
        resize(fastWritable >= minWritableBytes ? writerIndex + fastWritable
                : alloc.calculateNewCapacity(writerIndex + minWritableBytes, maxCapacity));
    }

    private void resize(int newCapacity) {
        ensureAccessible();
        int growth = newCapacity - buf.capacity();
        if (growth > 0 && nettyMayGrowTo(newCapacity)) {
            alloc.account().admitGrowth(growth);
        }
        buf.capacity(newCapacity);
        root.chargeCapacityChange();
    }

    /**
     * False for a capacity Netty refuses whatever the limit (above maxCapacity; a read-only view's, a slice's
     * growth, whose maxCapacity is its length): Netty's own exception then says what is wrong, where the
     * limit's would blame the owner's memory and count a refusal for a call that could never have grown.
     */
    private boolean nettyMayGrowTo(int newCapacity) {
        return newCapacity <= buf.maxCapacity() && !buf.isReadOnly();
    }

    /** Charges the owner for a change of the pooled buffer's capacity; called on the root. */
    private void chargeCapacityChange() {
        int capacity = buf.capacity();
        if (capacity != charged) {
            alloc.account().recharge(capacity - charged);
            charged = capacity;
        }
    }

    @Override
    public String toString() {
        return "AccountedByteBuf(" + alloc.account().bundle() + ", " + buf + ')';
    }

    // ---- plain delegation (generated), writes making room first

    @Override
    public int capacity() {
        return buf.capacity();
    }

    @Override
    public int maxCapacity() {
        return buf.maxCapacity();
    }

    @Override
    public ByteOrder order() {
        return buf.order();
    }

    @Override
    public boolean isDirect() {
        return buf.isDirect();
    }

    @Override
    public boolean isReadOnly() {
        return buf.isReadOnly();
    }

    @Override
    public int readerIndex() {
        return buf.readerIndex();
    }

    @Override
    public ByteBuf readerIndex(int readerIndex) {
        buf.readerIndex(readerIndex);
        return this;
    }

    @Override
    public int writerIndex() {
        return buf.writerIndex();
    }

    @Override
    public ByteBuf writerIndex(int writerIndex) {
        buf.writerIndex(writerIndex);
        return this;
    }

    @Override
    public ByteBuf setIndex(int readerIndex, int writerIndex) {
        buf.setIndex(readerIndex, writerIndex);
        return this;
    }

    @Override
    public int readableBytes() {
        return buf.readableBytes();
    }

    @Override
    public int writableBytes() {
        return buf.writableBytes();
    }

    @Override
    public int maxWritableBytes() {
        return buf.maxWritableBytes();
    }

    @Override
    public boolean isReadable() {
        return buf.isReadable();
    }

    @Override
    public boolean isReadable(int size) {
        return buf.isReadable(size);
    }

    @Override
    public boolean isWritable() {
        return buf.isWritable();
    }

    @Override
    public boolean isWritable(int size) {
        return buf.isWritable(size);
    }

    @Override
    public ByteBuf clear() {
        buf.clear();
        return this;
    }

    @Override
    public ByteBuf markReaderIndex() {
        buf.markReaderIndex();
        return this;
    }

    @Override
    public ByteBuf resetReaderIndex() {
        buf.resetReaderIndex();
        return this;
    }

    @Override
    public ByteBuf markWriterIndex() {
        buf.markWriterIndex();
        return this;
    }

    @Override
    public ByteBuf resetWriterIndex() {
        buf.resetWriterIndex();
        return this;
    }

    @Override
    public ByteBuf discardReadBytes() {
        buf.discardReadBytes();
        return this;
    }

    @Override
    public ByteBuf discardSomeReadBytes() {
        buf.discardSomeReadBytes();
        return this;
    }

    @Override
    public boolean getBoolean(int index) {
        return buf.getBoolean(index);
    }

    @Override
    public byte getByte(int index) {
        return buf.getByte(index);
    }

    @Override
    public short getUnsignedByte(int index) {
        return buf.getUnsignedByte(index);
    }

    @Override
    public short getShort(int index) {
        return buf.getShort(index);
    }

    @Override
    public short getShortLE(int index) {
        return buf.getShortLE(index);
    }

    @Override
    public int getUnsignedShort(int index) {
        return buf.getUnsignedShort(index);
    }

    @Override
    public int getUnsignedShortLE(int index) {
        return buf.getUnsignedShortLE(index);
    }

    @Override
    public int getMedium(int index) {
        return buf.getMedium(index);
    }

    @Override
    public int getMediumLE(int index) {
        return buf.getMediumLE(index);
    }

    @Override
    public int getUnsignedMedium(int index) {
        return buf.getUnsignedMedium(index);
    }

    @Override
    public int getUnsignedMediumLE(int index) {
        return buf.getUnsignedMediumLE(index);
    }

    @Override
    public int getInt(int index) {
        return buf.getInt(index);
    }

    @Override
    public int getIntLE(int index) {
        return buf.getIntLE(index);
    }

    @Override
    public long getUnsignedInt(int index) {
        return buf.getUnsignedInt(index);
    }

    @Override
    public long getUnsignedIntLE(int index) {
        return buf.getUnsignedIntLE(index);
    }

    @Override
    public long getLong(int index) {
        return buf.getLong(index);
    }

    @Override
    public long getLongLE(int index) {
        return buf.getLongLE(index);
    }

    @Override
    public char getChar(int index) {
        return buf.getChar(index);
    }

    @Override
    public float getFloat(int index) {
        return buf.getFloat(index);
    }

    @Override
    public double getDouble(int index) {
        return buf.getDouble(index);
    }

    @Override
    public ByteBuf getBytes(int index, ByteBuf dst) {
        buf.getBytes(index, dst);
        return this;
    }

    @Override
    public ByteBuf getBytes(int index, ByteBuf dst, int length) {
        buf.getBytes(index, dst, length);
        return this;
    }

    @Override
    public ByteBuf getBytes(int index, ByteBuf dst, int dstIndex, int length) {
        buf.getBytes(index, dst, dstIndex, length);
        return this;
    }

    @Override
    public ByteBuf getBytes(int index, byte[] dst) {
        buf.getBytes(index, dst);
        return this;
    }

    @Override
    public ByteBuf getBytes(int index, byte[] dst, int dstIndex, int length) {
        buf.getBytes(index, dst, dstIndex, length);
        return this;
    }

    @Override
    public ByteBuf getBytes(int index, ByteBuffer dst) {
        buf.getBytes(index, dst);
        return this;
    }

    @Override
    public ByteBuf getBytes(int index, OutputStream out, int length) throws IOException {
        buf.getBytes(index, out, length);
        return this;
    }

    @Override
    public int getBytes(int index, GatheringByteChannel out, int length) throws IOException {
        return buf.getBytes(index, out, length);
    }

    @Override
    public int getBytes(int index, FileChannel out, long position, int length) throws IOException {
        return buf.getBytes(index, out, position, length);
    }

    @Override
    public CharSequence getCharSequence(int index, int length, Charset charset) {
        return buf.getCharSequence(index, length, charset);
    }

    @Override
    public ByteBuf setBoolean(int index, boolean value) {
        buf.setBoolean(index, value);
        return this;
    }

    @Override
    public ByteBuf setByte(int index, int value) {
        buf.setByte(index, value);
        return this;
    }

    @Override
    public ByteBuf setShort(int index, int value) {
        buf.setShort(index, value);
        return this;
    }

    @Override
    public ByteBuf setShortLE(int index, int value) {
        buf.setShortLE(index, value);
        return this;
    }

    @Override
    public ByteBuf setMedium(int index, int value) {
        buf.setMedium(index, value);
        return this;
    }

    @Override
    public ByteBuf setMediumLE(int index, int value) {
        buf.setMediumLE(index, value);
        return this;
    }

    @Override
    public ByteBuf setInt(int index, int value) {
        buf.setInt(index, value);
        return this;
    }

    @Override
    public ByteBuf setIntLE(int index, int value) {
        buf.setIntLE(index, value);
        return this;
    }

    @Override
    public ByteBuf setLong(int index, long value) {
        buf.setLong(index, value);
        return this;
    }

    @Override
    public ByteBuf setLongLE(int index, long value) {
        buf.setLongLE(index, value);
        return this;
    }

    @Override
    public ByteBuf setChar(int index, int value) {
        buf.setChar(index, value);
        return this;
    }

    @Override
    public ByteBuf setFloat(int index, float value) {
        buf.setFloat(index, value);
        return this;
    }

    @Override
    public ByteBuf setDouble(int index, double value) {
        buf.setDouble(index, value);
        return this;
    }

    @Override
    public ByteBuf setBytes(int index, ByteBuf src) {
        buf.setBytes(index, src);
        return this;
    }

    @Override
    public ByteBuf setBytes(int index, ByteBuf src, int length) {
        buf.setBytes(index, src, length);
        return this;
    }

    @Override
    public ByteBuf setBytes(int index, ByteBuf src, int srcIndex, int length) {
        buf.setBytes(index, src, srcIndex, length);
        return this;
    }

    @Override
    public ByteBuf setBytes(int index, byte[] src) {
        buf.setBytes(index, src);
        return this;
    }

    @Override
    public ByteBuf setBytes(int index, byte[] src, int srcIndex, int length) {
        buf.setBytes(index, src, srcIndex, length);
        return this;
    }

    @Override
    public ByteBuf setBytes(int index, ByteBuffer src) {
        buf.setBytes(index, src);
        return this;
    }

    @Override
    public int setBytes(int index, InputStream in, int length) throws IOException {
        return buf.setBytes(index, in, length);
    }

    @Override
    public int setBytes(int index, ScatteringByteChannel in, int length) throws IOException {
        return buf.setBytes(index, in, length);
    }

    @Override
    public int setBytes(int index, FileChannel in, long position, int length) throws IOException {
        return buf.setBytes(index, in, position, length);
    }

    @Override
    public ByteBuf setZero(int index, int length) {
        buf.setZero(index, length);
        return this;
    }

    @Override
    public int setCharSequence(int index, CharSequence sequence, Charset charset) {
        return buf.setCharSequence(index, sequence, charset);
    }

    @Override
    public boolean readBoolean() {
        return buf.readBoolean();
    }

    @Override
    public byte readByte() {
        return buf.readByte();
    }

    @Override
    public short readUnsignedByte() {
        return buf.readUnsignedByte();
    }

    @Override
    public short readShort() {
        return buf.readShort();
    }

    @Override
    public short readShortLE() {
        return buf.readShortLE();
    }

    @Override
    public int readUnsignedShort() {
        return buf.readUnsignedShort();
    }

    @Override
    public int readUnsignedShortLE() {
        return buf.readUnsignedShortLE();
    }

    @Override
    public int readMedium() {
        return buf.readMedium();
    }

    @Override
    public int readMediumLE() {
        return buf.readMediumLE();
    }

    @Override
    public int readUnsignedMedium() {
        return buf.readUnsignedMedium();
    }

    @Override
    public int readUnsignedMediumLE() {
        return buf.readUnsignedMediumLE();
    }

    @Override
    public int readInt() {
        return buf.readInt();
    }

    @Override
    public int readIntLE() {
        return buf.readIntLE();
    }

    @Override
    public long readUnsignedInt() {
        return buf.readUnsignedInt();
    }

    @Override
    public long readUnsignedIntLE() {
        return buf.readUnsignedIntLE();
    }

    @Override
    public long readLong() {
        return buf.readLong();
    }

    @Override
    public long readLongLE() {
        return buf.readLongLE();
    }

    @Override
    public char readChar() {
        return buf.readChar();
    }

    @Override
    public float readFloat() {
        return buf.readFloat();
    }

    @Override
    public double readDouble() {
        return buf.readDouble();
    }

    @Override
    public ByteBuf readBytes(ByteBuf dst) {
        buf.readBytes(dst);
        return this;
    }

    @Override
    public ByteBuf readBytes(ByteBuf dst, int length) {
        buf.readBytes(dst, length);
        return this;
    }

    @Override
    public ByteBuf readBytes(ByteBuf dst, int dstIndex, int length) {
        buf.readBytes(dst, dstIndex, length);
        return this;
    }

    @Override
    public ByteBuf readBytes(byte[] dst) {
        buf.readBytes(dst);
        return this;
    }

    @Override
    public ByteBuf readBytes(byte[] dst, int dstIndex, int length) {
        buf.readBytes(dst, dstIndex, length);
        return this;
    }

    @Override
    public ByteBuf readBytes(ByteBuffer dst) {
        buf.readBytes(dst);
        return this;
    }

    @Override
    public ByteBuf readBytes(OutputStream out, int length) throws IOException {
        buf.readBytes(out, length);
        return this;
    }

    @Override
    public int readBytes(GatheringByteChannel out, int length) throws IOException {
        return buf.readBytes(out, length);
    }

    @Override
    public CharSequence readCharSequence(int length, Charset charset) {
        return buf.readCharSequence(length, charset);
    }

    @Override
    public int readBytes(FileChannel out, long position, int length) throws IOException {
        return buf.readBytes(out, position, length);
    }

    @Override
    public ByteBuf skipBytes(int length) {
        buf.skipBytes(length);
        return this;
    }

    @Override
    public ByteBuf writeBoolean(boolean value) {
        beforeWrite(1);
        buf.writeBoolean(value);
        return this;
    }

    @Override
    public ByteBuf writeByte(int value) {
        beforeWrite(1);
        buf.writeByte(value);
        return this;
    }

    @Override
    public ByteBuf writeShort(int value) {
        beforeWrite(2);
        buf.writeShort(value);
        return this;
    }

    @Override
    public ByteBuf writeShortLE(int value) {
        beforeWrite(2);
        buf.writeShortLE(value);
        return this;
    }

    @Override
    public ByteBuf writeMedium(int value) {
        beforeWrite(3);
        buf.writeMedium(value);
        return this;
    }

    @Override
    public ByteBuf writeMediumLE(int value) {
        beforeWrite(3);
        buf.writeMediumLE(value);
        return this;
    }

    @Override
    public ByteBuf writeInt(int value) {
        beforeWrite(4);
        buf.writeInt(value);
        return this;
    }

    @Override
    public ByteBuf writeIntLE(int value) {
        beforeWrite(4);
        buf.writeIntLE(value);
        return this;
    }

    @Override
    public ByteBuf writeLong(long value) {
        beforeWrite(8);
        buf.writeLong(value);
        return this;
    }

    @Override
    public ByteBuf writeLongLE(long value) {
        beforeWrite(8);
        buf.writeLongLE(value);
        return this;
    }

    @Override
    public ByteBuf writeChar(int value) {
        beforeWrite(2);
        buf.writeChar(value);
        return this;
    }

    @Override
    public ByteBuf writeFloat(float value) {
        beforeWrite(4);
        buf.writeFloat(value);
        return this;
    }

    @Override
    public ByteBuf writeDouble(double value) {
        beforeWrite(8);
        buf.writeDouble(value);
        return this;
    }

    @Override
    public ByteBuf writeBytes(ByteBuf src) {
        beforeWrite(src.readableBytes());
        buf.writeBytes(src);
        return this;
    }

    @Override
    public ByteBuf writeBytes(ByteBuf src, int length) {
        beforeWrite(length);
        buf.writeBytes(src, length);
        return this;
    }

    @Override
    public ByteBuf writeBytes(ByteBuf src, int srcIndex, int length) {
        beforeWrite(length);
        buf.writeBytes(src, srcIndex, length);
        return this;
    }

    @Override
    public ByteBuf writeBytes(byte[] src) {
        beforeWrite(src.length);
        buf.writeBytes(src);
        return this;
    }

    @Override
    public ByteBuf writeBytes(byte[] src, int srcIndex, int length) {
        beforeWrite(length);
        buf.writeBytes(src, srcIndex, length);
        return this;
    }

    @Override
    public ByteBuf writeBytes(ByteBuffer src) {
        beforeWrite(src.remaining());
        buf.writeBytes(src);
        return this;
    }

    @Override
    public int writeBytes(InputStream in, int length) throws IOException {
        beforeWrite(length);
        return buf.writeBytes(in, length);
    }

    @Override
    public int writeBytes(ScatteringByteChannel in, int length) throws IOException {
        beforeWrite(length);
        return buf.writeBytes(in, length);
    }

    @Override
    public int writeBytes(FileChannel in, long position, int length) throws IOException {
        beforeWrite(length);
        return buf.writeBytes(in, position, length);
    }

    @Override
    public ByteBuf writeZero(int length) {
        beforeWrite(length);
        buf.writeZero(length);
        return this;
    }

    @Override
    public int indexOf(int fromIndex, int toIndex, byte value) {
        return buf.indexOf(fromIndex, toIndex, value);
    }

    @Override
    public int bytesBefore(byte value) {
        return buf.bytesBefore(value);
    }

    @Override
    public int bytesBefore(int length, byte value) {
        return buf.bytesBefore(length, value);
    }

    @Override
    public int bytesBefore(int index, int length, byte value) {
        return buf.bytesBefore(index, length, value);
    }

    @Override
    public int forEachByte(ByteProcessor processor) {
        return buf.forEachByte(processor);
    }

    @Override
    public int forEachByte(int index, int length, ByteProcessor processor) {
        return buf.forEachByte(index, length, processor);
    }

    @Override
    public int forEachByteDesc(ByteProcessor processor) {
        return buf.forEachByteDesc(processor);
    }

    @Override
    public int forEachByteDesc(int index, int length, ByteProcessor processor) {
        return buf.forEachByteDesc(index, length, processor);
    }

    @Override
    public int nioBufferCount() {
        return buf.nioBufferCount();
    }

    @Override
    public ByteBuffer nioBuffer() {
        return buf.nioBuffer();
    }

    @Override
    public ByteBuffer nioBuffer(int index, int length) {
        return buf.nioBuffer(index, length);
    }

    @Override
    public ByteBuffer internalNioBuffer(int index, int length) {
        return buf.internalNioBuffer(index, length);
    }

    @Override
    public ByteBuffer[] nioBuffers() {
        return buf.nioBuffers();
    }

    @Override
    public ByteBuffer[] nioBuffers(int index, int length) {
        return buf.nioBuffers(index, length);
    }

    @Override
    public boolean hasArray() {
        return buf.hasArray();
    }

    @Override
    public byte[] array() {
        return buf.array();
    }

    @Override
    public int arrayOffset() {
        return buf.arrayOffset();
    }

    @Override
    public boolean hasMemoryAddress() {
        return buf.hasMemoryAddress();
    }

    @Override
    public long memoryAddress() {
        return buf.memoryAddress();
    }

    @Override
    public String toString(Charset charset) {
        return buf.toString(charset);
    }

    @Override
    public String toString(int index, int length, Charset charset) {
        return buf.toString(index, length, charset);
    }

    @Override
    public int hashCode() {
        return buf.hashCode();
    }

    @Override
    public boolean equals(Object obj) {
        return buf.equals(obj);
    }

    @Override
    public int compareTo(ByteBuf buffer) {
        return buf.compareTo(buffer);
    }

    @Override
    public ByteBuf retain(int increment) {
        ensureNotFreed(increment);
        buf.retain(increment);
        return this;
    }

    @Override
    public ByteBuf retain() {
        ensureNotFreed(1);
        buf.retain();
        return this;
    }

    @Override
    public ByteBuf touch() {
        buf.touch();
        return this;
    }

    @Override
    public ByteBuf touch(Object hint) {
        buf.touch(hint);
        return this;
    }

    @Override
    public int maxFastWritableBytes() {
        return buf.maxFastWritableBytes();
    }

    @Override
    public boolean isContiguous() {
        return buf.isContiguous();
    }
}
