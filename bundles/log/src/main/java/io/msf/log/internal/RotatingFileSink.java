package io.msf.log.internal;

import io.msf.files.OwnerOnly;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Records in a file that is renamed away when the next record would take it past its size limit:
 * {@code msf.log} becomes {@code msf.log.1}, {@code msf.log.1} becomes {@code msf.log.2} and so on,
 * and the oldest beyond the file count is deleted. Logs can hold secrets, so new directories are
 * owner-only (0700) and the file is too (0600). Only a regular file is written, changed or renamed
 * ({@link RegularFileOnly}): a symbolic link, a device or a fifo at the path (or among the older files
 * a rotation would move) is left as it is, and each record fails, naming it, until the path holds a
 * regular file or nothing again; the writer tells of the failure once.
 *
 * <p>Others may take the file away (logrotate, an operator freeing space): before the first record
 * after a flush the sink checks that the path still names the file it writes, and opens the path
 * again if not, rather than write on into a deleted or moved file (after a write that failed
 * too: an operator whose disk filled up may have deleted it, and its space comes back only once
 * the sink lets it go); a file truncated in place (logrotate's copytruncate) is counted from its
 * new size.
 *
 * <p>Older files numbered past the file count, which a larger count left, are deleted at the next
 * rotation. A rotation that fails loses no record: the file grows past its limit until a later
 * try, a minute on, succeeds. One that fails partway loses no older file either: each try moves
 * files only into numbers that are free, so the next one goes on where it stopped.
 *
 * <p>Records are held here until a flush, or until {@link #HELD_BYTES} are held, and written out
 * once: a write that fails (a full disk) lets go of them, whatever part of them went in, rather than
 * write them again whole later, which repeated that part (a {@code BufferedOutputStream} keeps its
 * buffer when a write fails). Its records are lost, as the writer tells; the next record after such
 * a failure starts on a line of its own if the file ends in a part of one.
 */
final class RotatingFileSink implements LogSink {

    /** How long records go on into the full file after a rotation failed, before it is tried again. */
    static final Duration ROTATION_RETRY = Duration.ofMinutes(1);
    /**
     * The most files there can be ({@link LogConfiguration#maxFiles}'s bound): older files are numbered
     * below it, whatever maxFiles was when they were written.
     */
    private static final int MOST_FILES = 100;
    /** Held records written out before the next flush when they reach this size. */
    static final int HELD_BYTES = 8192;

    private final Path file;
    private final long maxBytes;
    private final int maxFiles;
    private final Consumer<String> problems;
    private final Clock clock;
    private final Rename rename;
    private final Open open;
    private OutputStream out;
    /** Records not yet written to {@link #out}. */
    private final ByteArrayOutputStream held = new ByteArrayOutputStream(HELD_BYTES);
    /** The open file's identity (inode), null where the file system has none. */
    private Object openedKey;
    private long size;
    /** Everything written is in the file: the next record checks the file is still the one open. */
    private boolean flushed;
    /**
     * A write failed (a full disk, say): the next record checks the file is still the one open too,
     * since an operator freeing space may have deleted it, whose space comes back only once it is
     * let go.
     */
    private boolean failed;
    /** When a rotation that failed is tried again; null while rotation works. */
    private Instant retryRotationAt;

    /**
     * @param maxBytes the size a file may reach; a single larger record still goes in, alone
     * @param maxFiles how many files at most, the live one included; 1 means start over when full
     */
    RotatingFileSink(Path file, long maxBytes, int maxFiles) {
        this(file, maxBytes, maxFiles, problem -> System.err.println("msf.log: " + problem), Clock.systemUTC());
    }

    /**
     * @param problems where a failed rotation is told (once, and once more when it works again), on the
     *                 thread that writes: it must not wait (the log hands it to its tail and writers)
     */
    RotatingFileSink(Path file, long maxBytes, int maxFiles, Consumer<String> problems, Clock clock) {
        this(file, maxBytes, maxFiles, problems, clock, Files::move);
    }

    /** With the renames given, for tests that refuse one as a folder may, for want of permission. */
    RotatingFileSink(Path file, long maxBytes, int maxFiles, Consumer<String> problems, Clock clock, Rename rename) {
        this(file, maxBytes, maxFiles, problems, clock, rename,
                RotatingFileSink::appendNoLink);
    }

    /** With the file's stream given too, for tests whose disk fills up. */
    RotatingFileSink(Path file, long maxBytes, int maxFiles, Consumer<String> problems, Clock clock, Rename rename,
            Open open) {
        if (maxBytes < 1 || maxFiles < 1) {
            throw new IllegalArgumentException("maxBytes and maxFiles must be positive: " + maxBytes + ", " + maxFiles);
        }
        this.file = file.toAbsolutePath();
        this.maxBytes = maxBytes;
        this.maxFiles = maxFiles;
        this.problems = problems;
        this.clock = clock;
        this.rename = rename;
        this.open = open;
    }

    /**
     * Opens the file to append, refusing a link put there since it was looked at: the open follows
     * none (O_NOFOLLOW where the platform has it).
     */
    private static OutputStream appendNoLink(Path file) throws IOException {
        return Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public String toString() {
        return "log file " + file;
    }

    /**
     * The file's absolute path made normal: {@code log/./msf.log} and {@code log/msf.log} are one file, and
     * a writer of the one must not overlap with a writer of the other. Written as configured all the same
     * (a {@code ..} after a link is the link's parent to the kernel), and links are not followed: that
     * would touch the disk, on the configuration's thread, which a hung disk would hold.
     */
    @Override
    public String place() {
        return "log file " + file.normalize();
    }

    @Override
    public void write(String record) throws IOException {
        byte[] bytes = record.getBytes(StandardCharsets.UTF_8);
        boolean afterFailure = failed;
        if (out != null && (flushed || afterFailure)) {
            flushed = false;
            closeIfReplaced();
        }
        if (out == null) {
            open();
        }
        if (afterFailure) {
            // Also once the file was closed by the failure: a rotation writes the held records out as it
            // closes the file, and a full disk fails that write partway as any other. Cleared only once
            // looked at, so that a failure to open or read the file leaves it for the next record.
            endTornLine();
            failed = false;
        }
        if (size > 0 && size + bytes.length > maxBytes && rotationDue()) {
            rotate();
        }
        held.write(bytes, 0, bytes.length);
        size += bytes.length;
        if (held.size() >= HELD_BYTES) {
            writeHeld();
        }
    }

    @Override
    public void flush() throws IOException {
        if (out != null) {
            writeHeld();
            try {
                out.flush();
            } catch (IOException e) {
                failed = true;
                throw e;
            }
            flushed = true;
        }
    }

    @Override
    public void close() throws IOException {
        if (out != null) {
            try {
                writeHeld();
            } finally {
                try {
                    out.close();
                } finally {
                    out = null;
                }
            }
        }
    }

    /** Writes the held records once: failing, they are let go, whatever part of them went in. */
    private void writeHeld() throws IOException {
        if (held.size() == 0) {
            return;
        }
        try {
            held.writeTo(out);
        } catch (IOException e) {
            failed = true;
            throw e;
        } finally {
            held.reset();
        }
    }

    /**
     * After a failed write the file may end in the first part of a record: the next one starts on a
     * line of its own, so that it is not read as the end of that one.
     */
    private void endTornLine() throws IOException {
        if (size == 0) {
            return;
        }
        ByteBuffer last = ByteBuffer.allocate(1);
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            channel.position(size - 1).read(last);
        }
        if (last.position() == 1 && last.get(0) != '\n') {
            held.write('\n');
            size++;
        }
    }

    /**
     * Makes the file's folder and the file, owner-only, as a sink writing it does, and opens the file
     * to append once: a setting that names a file that cannot be written is refused before the log
     * moves there.
     *
     * @throws IOException saying what could not be made or opened
     */
    static void checkWritable(Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        prepare(absolute);
        // CREATE: where there are no POSIX permissions, prepare made no file
        appendNoLink(absolute).close();
    }

    private void open() throws IOException {
        prepare(file);
        out = open.append(file);
        BasicFileAttributes opened = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!opened.isRegularFile()) {
            // put there between the look and the open: a device or fifo, which O_NOFOLLOW lets through
            letGo();
            throw RegularFileOnly.refused(file, opened);
        }
        openedKey = opened.fileKey();
        size = opened.size();
    }

    /**
     * Makes the folder and the file, if need be, owner-only; the file is made owner-only if it was
     * not. Anything but a regular file at the path is refused as it is: a folder made rw------- (as
     * root, any folder) would be shut to everyone, its owner too; a link's target or a device made so
     * is a file others use ({@link RegularFileOnly}).
     */
    private static void prepare(Path file) throws IOException {
        Path dir = file.getParent();
        if (!Files.isDirectory(dir)) {
            OwnerOnly.createDirectories(dir);
        }
        RegularFileOnly.require(file);
        if (OwnerOnly.isPosix(file)) {
            if (Files.exists(file)) {
                Files.setPosixFilePermissions(file, OwnerOnly.FILE);
            } else {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OwnerOnly.FILE));
            }
        }
    }

    /**
     * Closes the file if its path now names another file or none, or cannot be looked at (its folder
     * replaced by a file: not a NoSuchFileException); else takes its size, all flushed. Kept open
     * then, the records after the first failure went into the deleted file, the writer saying that
     * writing worked again.
     */
    private void closeIfReplaced() throws IOException {
        BasicFileAttributes now;
        try {
            // not followed: a link put at the path is another file, which open() then refuses
            now = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            letGo();
            if (e instanceof NoSuchFileException) {
                return; // made again at once
            }
            throw e;
        }
        if (now.fileKey() != null && !now.fileKey().equals(openedKey)) {
            letGo();
        } else {
            size = now.size();
        }
    }

    /**
     * Closes a file no longer at the path. Nothing is held for it (a flush or a failed write let
     * go of it all): a failure to close it, its disk full, is no reason to fail the next record,
     * which goes into a new file.
     */
    private void letGo() {
        try {
            close();
        } catch (IOException e) {
            // the writer told of the failed write that preceded it
        }
    }

    private boolean rotationDue() {
        return retryRotationAt == null || !clock.instant().isBefore(retryRotationAt);
    }

    /**
     * Shifts the files and opens a new one. If the files cannot be shifted (the folder became
     * read-only, say), the records go on into the current file past its limit rather than be lost,
     * and the rotation is tried again after {@link #ROTATION_RETRY}. A path that holds no regular
     * file any longer (a link or a device put there within this batch) is not shifted: the record
     * fails, as it would at the next batch.
     */
    private void rotate() throws IOException {
        close();
        RegularFileOnly.require(file);
        if (!taken(file)) {
            // deleted or moved away since this batch began (the sink looks at the path only before
            // a batch): there is nothing to shift, which is no failed rotation
            deleteBeyondMaxFiles();
            open();
            return;
        }
        try {
            shift();
        } catch (IOException e) {
            if (retryRotationAt == null) {
                problems.accept("cannot rotate " + file + ", writing on into it past maxFileBytes and trying"
                        + " again every " + ROTATION_RETRY.toSeconds() + " s: " + e);
            }
            retryRotationAt = clock.instant().plus(ROTATION_RETRY);
            open();
            return;
        }
        if (retryRotationAt != null) {
            problems.accept("rotating " + file + " works again");
            retryRotationAt = null;
        }
        deleteBeyondMaxFiles();
        open();
    }

    /**
     * Deletes the older files numbered maxFiles and up, which a larger maxFiles left: this sink never
     * numbers a file past maxFiles - 1, so they would be kept for good, beyond the file count.
     */
    private void deleteBeyondMaxFiles() {
        for (int n = maxFiles; n < MOST_FILES; n++) {
            Path older = numbered(n);
            try {
                RegularFileOnly.require(older);
                Files.deleteIfExists(older);
            } catch (IOException e) {
                problems.accept("cannot delete " + older + ", beyond maxFiles=" + maxFiles + ": " + e);
            }
        }
    }

    /**
     * Moves the numbered files up one, each into a number free at that moment, and the live file to
     * 1; the oldest is deleted only when no number is free. A shift that failed partway (a file that
     * could not be renamed) leaves a free number where it stopped, so the next try goes on from there
     * and deletes nothing: tried again every minute, the files it found are all kept. An older file
     * that is no regular file (a link, a device) is neither moved nor deleted: the shift fails there.
     */
    private void shift() throws IOException {
        if (maxFiles == 1) {
            Files.delete(file);
            return;
        }
        int free = 1;
        while (free < maxFiles - 1 && taken(numbered(free))) {
            free++;
        }
        if (taken(numbered(free))) {
            RegularFileOnly.require(numbered(free));
            Files.delete(numbered(free)); // all taken: the oldest
        }
        for (int i = free - 1; i >= 1; i--) {
            RegularFileOnly.require(numbered(i));
            rename.move(numbered(i), numbered(i + 1));
        }
        rename.move(file, numbered(1));
    }

    /** Anything at the path, a link that leads nowhere included, since a rename would not replace it. */
    private static boolean taken(Path path) {
        return Files.exists(path, LinkOption.NOFOLLOW_LINKS);
    }

    /** {@code msf.log.<n>}, the n-th older file. */
    private Path numbered(int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }

    /** Opens the file to append to it, making it if need be. */
    @FunctionalInterface
    interface Open {
        OutputStream append(Path file) throws IOException;
    }

    /** Renames a file that is not to replace another: {@link Files#move} with no options. */
    @FunctionalInterface
    interface Rename {
        void move(Path from, Path to) throws IOException;
    }
}
