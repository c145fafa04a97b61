package io.msf.supervisor.internal;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A process's output file {@code proc-<name>.log}, never larger than {@code maxBytes}: when it is
 * full it becomes {@code proc-<name>.log.1} (the older ones move up, the oldest beyond
 * {@code maxFiles} is dropped) and a new one starts. Several runs of a process write to the same
 * log; writes are serialised so that output from an old run's leftover and a new run do not
 * interleave mid-chunk.
 *
 * <p>Others may take the file away (an operator freeing space, logrotate): before each write the log
 * checks that the path still names the file it writes, and opens the path again if not, rather than
 * write on into a deleted or moved file, whose space would come back, and whose output proc:log would
 * show again, only once the size limit made a rotation; a file truncated in place (copytruncate) is
 * counted from its new size.
 *
 * <p>One instance per process and file, across its configurations ({@link #limits}): a second
 * writer of the same file would keep a size of its own and rotate the file under the first.
 * The copiers of a run's output ({@link OutputPump}) {@link #retain} it for as long as they
 * copy: after {@link #close} the file stays open until the last of them is done, and not longer.
 */
final class RotatingLog implements Closeable {

    private static final int TAIL_BLOCK = 8192;
    /**
     * The most {@link #tail} reads of a file: a log may be allowed 1 GiB, the container's heap is 256 MiB,
     * and output without line breaks (a minified document, a binary dump) gives no line to stop at.
     */
    static final int MAX_TAIL_BYTES = 4 << 20;
    /** Starts a line {@link #tail} shows only the end of. */
    static final String CUT = "[msf: the start of this line is not shown] ";
    /**
     * The most files there can be (ProcessConfiguration's bound of {@code logMaxFiles}): older files are
     * numbered below it, whatever the count was when they were written.
     */
    static final int MOST_FILES = 100;

    /** Opens a file for {@link #tail} to read. */
    interface Reader {
        SeekableByteChannel open(Path path) throws IOException;
    }

    private final Path file;
    private final Reader reader;
    private long maxBytes;
    private int maxFiles;
    private OutputStream out;
    /** The open file's identity (device and inode), to tell when the path names another file, or none. */
    private Object openKey;
    private long size;
    /** Output copiers still writing ({@link #retain}). */
    private int writers;
    /** What the copiers read from, for {@link #endCopiers}. */
    private final List<Closeable> sources = new ArrayList<>();
    private boolean closed;

    RotatingLog(Path file, long maxBytes, int maxFiles) {
        this(file, maxBytes, maxFiles, path -> FileChannel.open(path, StandardOpenOption.READ));
    }

    /** With the files read through {@code reader}, for tests whose reads take their time. */
    RotatingLog(Path file, long maxBytes, int maxFiles, Reader reader) {
        this.file = file;
        this.reader = reader;
        limits(maxBytes, maxFiles);
    }

    /** New limits (a new configuration of the process), from the next write on. */
    synchronized void limits(long maxBytes, int maxFiles) {
        if (maxBytes < 1 || maxFiles < 1) {
            throw new IllegalArgumentException("maxBytes and maxFiles must be positive");
        }
        if (maxFiles > MOST_FILES) {
            // a rotation deletes the files a larger count left only up to this number
            throw new IllegalArgumentException("maxFiles: " + maxFiles + " is over " + MOST_FILES);
        }
        this.maxBytes = maxBytes;
        this.maxFiles = maxFiles;
    }

    /**
     * A copier of output starts writing what it reads from {@code source}: the file stays open for it
     * until {@link #release}.
     */
    synchronized void retain(Closeable source) {
        writers++;
        sources.add(source);
    }

    /** A copier is done; after {@link #close}, the last one closes the file. */
    synchronized void release(Closeable source) {
        writers--;
        sources.remove(source);
        closeIfUnused();
        notifyAll(); // awaitCopiers
    }

    /** Whether a copier still reads. */
    synchronized boolean copying() {
        return !sources.isEmpty();
    }

    /** Waits until no copier reads any more, at most {@code millis}; whether none does. */
    synchronized boolean awaitCopiers(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        long left;
        while (!sources.isEmpty() && (left = deadline - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return sources.isEmpty();
    }

    /**
     * Ends the copiers still reading: what they read is what a process left running when it was
     * stopped for good (one that left its process group, which the stop ends), and could outlive the
     * supervisor. Its next write gets EPIPE. Closing a source wakes a copier blocked in its read.
     */
    void endCopiers() {
        List<Closeable> reading;
        synchronized (this) {
            reading = new ArrayList<>(sources);
        }
        for (Closeable source : reading) {
            try {
                source.close();
            } catch (IOException e) {
                // ended either way: its copier's read fails
            }
        }
    }

    Path file() {
        return file;
    }

    /**
     * Appends {@code length} bytes. When they do not fit into the current file it is rotated
     * first; only bytes more than a whole file's worth are cut across files.
     */
    synchronized void write(byte[] bytes, int offset, int length) throws IOException {
        int written = 0;
        followPath();
        while (written < length) {
            if (out == null) {
                open();
            }
            int remaining = length - written;
            if (size > 0 && size + remaining > maxBytes) {
                // a chunk starts in a fresh file rather than being cut at the limit: lines stay whole
                rotate();
            }
            int chunk = (int) Math.min(remaining, maxBytes - size);
            out.write(bytes, offset + written, chunk);
            size += chunk;
            written += chunk;
        }
        out.flush();
        closeIfUnused(); // a write after the close (nobody should) leaves nothing open
    }

    /** Appends one line of the supervisor's own (a start or an end of the process). */
    void line(String text) throws IOException {
        byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
        write(bytes, 0, bytes.length);
    }

    /** The process is done with the log: the file is closed now, or by the last copier's {@link #release}. */
    @Override
    public synchronized void close() throws IOException {
        closed = true;
        if (writers <= 0 && out != null) {
            OutputStream open = out;
            out = null;
            open.close();
        }
    }

    private void closeIfUnused() {
        if (closed && writers <= 0 && out != null) {
            try {
                close();
            } catch (IOException e) {
                // nothing is lost: every write was flushed
            }
        }
    }

    /**
     * The last {@code lines} lines of the current file and of the one rotated before it, oldest first;
     * at most {@value #MAX_TAIL_BYTES} bytes of each, the first line then {@link #CUT} if cut.
     *
     * <p>Only the opening of the two files and the reading of their lengths hold the log's lock, not the
     * reading (up to {@value #MAX_TAIL_BYTES} bytes of each): the process's output pump writes under that
     * lock, and a slow read (a loaded disk) held it up for as long, and the process with it once its pipe
     * was full. Opened under the lock, the two files are the pair of that moment, a rotation after it
     * moving neither under the read (an open file is read whatever its name becomes); their lengths then
     * end with the last whole write, not inside one under way.
     */
    List<String> tail(int lines) throws IOException {
        if (lines < 1) {
            return List.of();
        }
        Opened current;
        Opened older = null;
        synchronized (this) {
            current = opened(file);
            try {
                older = opened(rotated(1));
            } catch (IOException | RuntimeException e) {
                if (current != null) {
                    current.channel().close();
                }
                throw e;
            }
        }
        try (SeekableByteChannel first = current == null ? null : current.channel();
                SeekableByteChannel second = older == null ? null : older.channel()) {
            Tail last = lastLines(current, lines);
            Deque<String> shown = new ArrayDeque<>(last.lines());
            if (shown.size() < lines && !last.cut()) {
                List<String> before = lastLines(older, lines - shown.size()).lines();
                for (int i = before.size() - 1; i >= 0; i--) {
                    shown.addFirst(before.get(i));
                }
            }
            return new ArrayList<>(shown);
        }
    }

    /** Lines read from the end of a file; {@code cut} when the read stopped at its bound inside a line. */
    private record Tail(List<String> lines, boolean cut) {
    }

    /** A file opened for {@link #tail} and its length then. */
    private record Opened(SeekableByteChannel channel, long length) {
    }

    /** The file open for reading, with its length; null if there is none. Under the lock. */
    private Opened opened(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            return null;
        }
        SeekableByteChannel channel = reader.open(path);
        try {
            return new Opened(channel, channel.size());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private void open() throws IOException {
        Files.createDirectories(file.getParent());
        out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        BasicFileAttributes opened = Files.readAttributes(file, BasicFileAttributes.class);
        openKey = opened.fileKey();
        size = opened.size();
    }

    /**
     * Lets go of the open file if the path no longer names it (deleted or moved away), so that the next
     * write opens the path again; counts a file truncated in place from its new size.
     */
    private void followPath() throws IOException {
        if (out == null) {
            return;
        }
        BasicFileAttributes now;
        try {
            now = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            now = null;
        }
        if (now == null || openKey == null || !openKey.equals(now.fileKey())) {
            OutputStream taken = out;
            out = null;
            taken.close();
        } else if (now.size() < size) {
            size = now.size();
        }
    }

    private void rotate() throws IOException {
        out.close();
        out = null;
        if (maxFiles == 1) {
            Files.deleteIfExists(file); // deleted by hand meanwhile: nothing to start over from
        } else {
            Files.deleteIfExists(rotated(maxFiles - 1));
            for (int i = maxFiles - 2; i >= 1; i--) {
                if (Files.exists(rotated(i))) {
                    Files.move(rotated(i), rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.move(file, rotated(1), StandardCopyOption.REPLACE_EXISTING);
        }
        deleteBeyondMaxFiles();
        open();
    }

    /**
     * Deletes the files numbered maxFiles and up, which a larger logMaxFiles left: a rotation never numbers
     * a file past maxFiles - 1, so they would be kept for good, beyond the count the process is configured
     * with (as the container log does with its own, RotatingFileSink).
     */
    private void deleteBeyondMaxFiles() throws IOException {
        for (int n = maxFiles; n < MOST_FILES; n++) {
            Files.deleteIfExists(rotated(n));
        }
    }

    private Path rotated(int index) {
        return file.resolveSibling(file.getFileName() + "." + index);
    }

    /**
     * Reads backwards from the end, block by block, until enough line breaks are found, or
     * {@value #MAX_TAIL_BYTES} bytes are read: then the partial line it starts with is shown, marked.
     * The end is the file's length when it was opened.
     */
    private static Tail lastLines(Opened opened, int lines) throws IOException {
        if (lines < 1 || opened == null) {
            return new Tail(List.of(), false);
        }
        SeekableByteChannel in = opened.channel();
        long end = opened.length();
        long start = end;
        int breaks = 0;
        byte[] block = new byte[TAIL_BLOCK];
        // one more break than lines: the text before it is a partial line that is not shown
        while (start > 0 && breaks <= lines && end - start < MAX_TAIL_BYTES) {
            int read = (int) Math.min(Math.min(TAIL_BLOCK, start), MAX_TAIL_BYTES - (end - start));
            start -= read;
            readFully(in, start, block, read);
            for (int i = read - 1; i >= 0; i--) {
                if (block[i] == '\n' && start + i != end - 1) {
                    breaks++;
                }
            }
        }
        byte[] text = new byte[(int) (end - start)];
        readFully(in, start, text, text.length);
        List<String> all = new ArrayList<>(new String(text, StandardCharsets.UTF_8).lines().toList());
        boolean cut = start > 0 && breaks <= lines; // stopped by the bound, not by enough lines
        if (start > 0 && !all.isEmpty()) {
            if (cut) {
                all.set(0, CUT + all.get(0));
            } else {
                all.remove(0);
            }
        }
        return new Tail(all.subList(Math.max(0, all.size() - lines), all.size()), cut);
    }

    /** {@code length} bytes from {@code position}; EOFException if the file is shorter now (truncated meanwhile). */
    private static void readFully(SeekableByteChannel in, long position, byte[] into, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(into, 0, length);
        in.position(position);
        while (buffer.hasRemaining()) {
            if (in.read(buffer) < 0) {
                throw new EOFException("the file is shorter than when it was opened: truncated meanwhile");
            }
        }
    }
}
