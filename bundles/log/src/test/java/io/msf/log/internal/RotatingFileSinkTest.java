package io.msf.log.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

class RotatingFileSinkTest {

    @TempDir
    Path dir;

    /** Writes the records, then flushes them, as the writer does a batch. */
    static void writeBatch(RotatingFileSink sink, String... records) throws IOException {
        for (String record : records) {
            sink.write(record);
        }
        sink.flush();
    }

    /** A record of exactly {@code n} bytes. */
    static String record(char c, int n) {
        return String.valueOf(c).repeat(n - 1) + "\n";
    }

    @Test
    void startsANewFileWhenTheNextRecordWouldPassTheLimit() throws IOException {
        Path file = dir.resolve("msf.log");
        try (RotatingFileSink sink = new RotatingFileSink(file, 100, 5)) {
            sink.write(record('a', 60));
            sink.write(record('b', 40)); // exactly 100: still fits
            sink.write(record('c', 10)); // would make 110: rotates first
        }
        assertThat(Files.readString(file)).isEqualTo(record('c', 10));
        assertThat(Files.readString(dir.resolve("msf.log.1"))).isEqualTo(record('a', 60) + record('b', 40));
        assertThat(Files.size(dir.resolve("msf.log.1"))).isEqualTo(100);
    }

    @Test
    void aRotationThatFailsLosesNoRecordIsToldOnceAndIsTriedAgainLater() throws IOException {
        Path file = dir.resolve("msf.log");
        // What stands in the way of the rotation: a folder that cannot be deleted, as msf.log.1 (a
        // read-only folder would not do under root, which may write there anyway)
        Path inTheWay = Files.createDirectories(dir.resolve("msf.log.1"));
        Files.writeString(inTheWay.resolve("x"), "x");
        List<String> problems = new ArrayList<>();
        SettableClock clock = new SettableClock();
        try (RotatingFileSink sink = new RotatingFileSink(file, 10, 2, problems::add, clock)) {
            sink.write(record('a', 10));
            sink.write(record('b', 10)); // the rotation fails: into the same file
            sink.write(record('c', 10)); // not tried again yet
            sink.flush();
            assertThat(Files.readString(file)).isEqualTo(record('a', 10) + record('b', 10) + record('c', 10));
            assertThat(problems).singleElement().asString()
                    .contains("cannot rotate " + file.toAbsolutePath(), "msf.log.1");

            Files.delete(inTheWay.resolve("x"));
            Files.delete(inTheWay);
            clock.pass(RotatingFileSink.ROTATION_RETRY);
            sink.write(record('d', 10));
        }
        assertThat(Files.readString(file)).isEqualTo(record('d', 10));
        assertThat(Files.readString(dir.resolve("msf.log.1")))
                .isEqualTo(record('a', 10) + record('b', 10) + record('c', 10));
        assertThat(problems).hasSize(2).last().asString().contains("works again");
    }

    @Test
    void retriesOfARotationThatFailedPartwayLoseNoOlderFileAndTheOneThatWorksKeepsMaxFiles()
            throws IOException {
        Path file = dir.resolve("msf.log");
        // msf.log.1 cannot be renamed, as a file of another owner in a sticky folder cannot. Made so
        // here, since root renames anything, and a folder in the way of a number is renamed along
        // with the files (only the oldest number's, which is deleted first, stops a rotation).
        AtomicBoolean refused = new AtomicBoolean();
        RotatingFileSink.Rename rename = (from, to) -> {
            if (refused.get() && from.getFileName().toString().equals("msf.log.1")) {
                throw new AccessDeniedException(from.toString(), to.toString(), "Operation not permitted");
            }
            Files.move(from, to);
        };
        List<String> problems = new ArrayList<>();
        SettableClock clock = new SettableClock();
        try (RotatingFileSink sink = new RotatingFileSink(file, 10, 5, problems::add, clock, rename)) {
            for (char c = 'a'; c <= 'e'; c++) {
                sink.write(record(c, 10)); // every record fills a file: e live, then d, c, b, a
            }
            refused.set(true);
            sink.write(record('f', 10)); // a goes, b and c move up, d cannot: f goes on into e's file
            for (char c = 'g'; c <= 'i'; c++) {
                clock.pass(RotatingFileSink.ROTATION_RETRY);
                sink.write(record(c, 10)); // tried again, and refused again
            }
            sink.flush();
            assertThat(filesWithTheirRecords()).containsExactly(
                    "msf.log=efghi", "msf.log.1=d", "msf.log.3=c", "msf.log.4=b");
            assertThat(problems).singleElement().asString().contains("cannot rotate", "msf.log.1");

            refused.set(false);
            clock.pass(RotatingFileSink.ROTATION_RETRY);
            sink.write(record('j', 10));
        }
        assertThat(filesWithTheirRecords()).containsExactly(
                "msf.log=j", "msf.log.1=efghi", "msf.log.2=d", "msf.log.3=c", "msf.log.4=b");
        assertThat(problems).hasSize(2).last().asString().contains("works again");
    }

    @Test
    void aRotationFillsANumberLeftFreeAmongTheOlderFilesAndDeletesNone() throws IOException {
        // As a rotation that failed partway leaves them: msf.log.2 moved up, msf.log.1 not yet
        Path file = dir.resolve("msf.log");
        Files.writeString(file, record('d', 10));
        Files.writeString(dir.resolve("msf.log.1"), record('c', 10));
        Files.writeString(dir.resolve("msf.log.3"), record('b', 10));
        Files.writeString(dir.resolve("msf.log.4"), record('a', 10));
        try (RotatingFileSink sink = new RotatingFileSink(file, 10, 5)) {
            sink.write(record('e', 10));
        }
        assertThat(filesWithTheirRecords()).containsExactly(
                "msf.log=e", "msf.log.1=d", "msf.log.2=c", "msf.log.3=b", "msf.log.4=a");
    }

    @Test
    void keepsAtMostMaxFilesShiftingOlderOnesAndDeletingTheOldest() throws IOException {
        Path file = dir.resolve("msf.log");
        try (RotatingFileSink sink = new RotatingFileSink(file, 10, 3)) {
            for (char c = 'a'; c <= 'f'; c++) {
                sink.write(record(c, 10)); // every record fills a file
            }
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("msf.log", "msf.log.1", "msf.log.2");
        }
        assertThat(Files.readString(file)).isEqualTo(record('f', 10));
        assertThat(Files.readString(dir.resolve("msf.log.1"))).isEqualTo(record('e', 10));
        assertThat(Files.readString(dir.resolve("msf.log.2"))).isEqualTo(record('d', 10));
    }

    @Test
    void aLowerMaxFilesDeletesTheOlderFilesNumberedPastItAtTheNextRotation() throws IOException {
        // As maxFiles = 5 left them, msf.log.2 missing after a rotation that failed partway; now 2
        Path file = dir.resolve("msf.log");
        Files.writeString(file, record('e', 10));
        Files.writeString(dir.resolve("msf.log.1"), record('d', 10));
        Files.writeString(dir.resolve("msf.log.3"), record('c', 10));
        Files.writeString(dir.resolve("msf.log.4"), record('b', 10));
        Files.writeString(dir.resolve("msf.log.old"), record('x', 10)); // not one of the log's numbers
        try (RotatingFileSink sink = new RotatingFileSink(file, 10, 2)) {
            sink.write(record('f', 10));
        }
        assertThat(filesWithTheirRecords()).containsExactly("msf.log=f", "msf.log.1=e", "msf.log.old=x");
    }

    @Test
    void withOneFileDeletesTheOlderFilesOfALargerMaxFiles() throws IOException {
        Path file = dir.resolve("msf.log");
        Files.writeString(file, record('b', 10));
        Files.writeString(dir.resolve("msf.log.1"), record('a', 10));
        try (RotatingFileSink sink = new RotatingFileSink(file, 10, 1)) {
            sink.write(record('c', 10));
        }
        assertThat(filesWithTheirRecords()).containsExactly("msf.log=c");
    }

    @Test
    void withOneFileStartsOverInPlace() throws IOException {
        Path file = dir.resolve("msf.log");
        try (RotatingFileSink sink = new RotatingFileSink(file, 10, 1)) {
            sink.write(record('a', 10));
            sink.write(record('b', 10));
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
        assertThat(Files.readString(file)).isEqualTo(record('b', 10));
    }

    @Test
    void aRecordLargerThanTheLimitGoesAloneIntoAFile() throws IOException {
        Path file = dir.resolve("msf.log");
        try (RotatingFileSink sink = new RotatingFileSink(file, 10, 2)) {
            sink.write(record('a', 5));
            sink.write(record('b', 25));
            sink.write(record('c', 5));
        }
        assertThat(Files.readString(dir.resolve("msf.log.1"))).isEqualTo(record('b', 25));
        assertThat(Files.readString(file)).isEqualTo(record('c', 5));
    }

    @Test
    void appendsToAnExistingFileCountingItsSize() throws IOException {
        Path file = dir.resolve("msf.log");
        Files.writeString(file, record('a', 8));
        try (RotatingFileSink sink = new RotatingFileSink(file, 10, 2)) {
            sink.write(record('b', 4));
        }
        assertThat(Files.readString(dir.resolve("msf.log.1"))).isEqualTo(record('a', 8));
        assertThat(Files.readString(file)).isEqualTo(record('b', 4));
    }

    @Test
    void aFileDeletedWhileOpenIsMadeAgainAtTheNextRecord() throws IOException {
        Path file = dir.resolve("msf.log");
        try (RotatingFileSink sink = new RotatingFileSink(file, 1000, 2)) {
            writeBatch(sink, record('a', 10));
            Files.delete(file);
            writeBatch(sink, record('b', 10));
            assertThat(Files.readString(file)).isEqualTo(record('b', 10));
        }
    }

    /**
     * Deleted between two records of one batch (before the sink looks again, at the next batch), the
     * file is gone when that batch's rotation comes: nothing is to be shifted, and the rotation has
     * not failed. Taken for failed, it was told as "cannot rotate" and put off for a minute, the new
     * file growing past its limit meanwhile.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void aFileDeletedWithinABatchIsNoFailedRotation(int maxFiles) throws IOException {
        Path file = dir.resolve("msf.log");
        Files.writeString(dir.resolve("msf.log.1"), "older\n");
        List<String> problems = new ArrayList<>();
        try (RotatingFileSink sink = new RotatingFileSink(file, 20, maxFiles, problems::add, new SettableClock())) {
            writeBatch(sink, record('a', 10));
            sink.write(record('b', 10));
            Files.delete(file);
            sink.write(record('c', 10)); // past the limit: the rotation finds no file
            sink.flush();
            if (maxFiles == 1) {
                assertThat(dir.resolve("msf.log.1")).as("beyond maxFiles, deleted at this rotation").doesNotExist();
            }
            writeBatch(sink, record('d', 10), record('e', 10)); // past it again: rotates at once
            assertThat(problems).isEmpty();
            assertThat(Files.readString(file)).isEqualTo(record('e', 10));
            if (maxFiles == 1) {
                assertThat(dir.resolve("msf.log.1")).doesNotExist();
            } else {
                assertThat(Files.readString(dir.resolve("msf.log.1"))).isEqualTo(record('c', 10) + record('d', 10));
                assertThat(Files.readString(dir.resolve("msf.log.2"))).isEqualTo("older\n");
            }
        }
    }

    /** An operator cleaning up removes the whole log folder: it is made again, owner-only, and rotation goes on there. */
    @Test
    void aFolderDeletedWhileTheFileIsOpenIsMadeAgainAtTheNextRecord() throws IOException {
        Path folder = dir.resolve("log");
        Path file = folder.resolve("msf.log");
        try (RotatingFileSink sink = new RotatingFileSink(file, 20, 3)) {
            writeBatch(sink, record('a', 10), record('b', 10), record('c', 10));
            try (Stream<Path> files = Files.list(folder)) {
                files.forEach(path -> path.toFile().delete());
            }
            Files.delete(folder);
            writeBatch(sink, record('d', 10));
            assertThat(Files.readString(file)).isEqualTo(record('d', 10));
            writeBatch(sink, record('e', 10), record('f', 10));
        }
        assertThat(Files.readString(file)).isEqualTo(record('f', 10));
        assertThat(Files.readString(folder.resolve("msf.log.1"))).isEqualTo(record('d', 10) + record('e', 10));
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");
        }
    }

    /**
     * Its folder replaced by a file, the path cannot even be looked at (ENOTDIR, no NoSuchFileException):
     * the first record after it failed, but the next ones went on into the deleted file, and the
     * writer said writing worked again, while every record was lost.
     */
    @Test
    void aFolderReplacedByAFileFailsEveryRecordUntilThePathCanBeWrittenAgain() throws IOException {
        Path folder = dir.resolve("log");
        Path file = folder.resolve("msf.log");
        try (RotatingFileSink sink = new RotatingFileSink(file, 1000, 2)) {
            writeBatch(sink, record('a', 10));
            Files.delete(file);
            Files.delete(folder);
            Files.writeString(folder, "not a folder");
            assertThatIOException().isThrownBy(() -> sink.write(record('b', 10)));
            assertThatIOException().as("the next record too").isThrownBy(() -> writeBatch(sink, record('c', 10)));
            Files.delete(folder);
            writeBatch(sink, record('d', 10));
        }
        assertThat(Files.readString(file)).isEqualTo(record('d', 10));
    }

    @Test
    void aFileDeletedWhileItsDiskIsFullIsLetGoAndMadeAgainOnceThereIsRoom() throws IOException {
        // An operator whose disk filled up deletes the log file: its space comes back only once no
        // process holds the file open
        Path file = dir.resolve("msf.log");
        AtomicBoolean full = new AtomicBoolean();
        List<OutputStream> closed = new ArrayList<>();
        RotatingFileSink.Open open = path -> new FilterOutputStream(Files.newOutputStream(path,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                if (full.get()) {
                    throw new IOException("No space left on device");
                }
                out.write(bytes, offset, length);
            }

            @Override
            public void close() throws IOException {
                closed.add(this);
                super.close();
            }
        };
        try (RotatingFileSink sink = new RotatingFileSink(file, 1000, 2, problems -> { }, Clock.systemUTC(),
                Files::move, open)) {
            writeBatch(sink, record('a', 10));
            full.set(true);
            sink.write(record('b', 10));
            assertThatIOException().isThrownBy(sink::flush).withMessage("No space left on device");
            Files.delete(file);

            sink.write(record('c', 10)); // the disk still full: only the deleted file is let go
            assertThat(closed).as("the deleted file let go").hasSize(1);
            full.set(false);
            writeBatch(sink, record('d', 10));
            assertThat(Files.readString(file)).isEqualTo(record('c', 10) + record('d', 10));
        }
    }

    /** A disk that fills up takes the part of a write it has room for, then fails, as write(2) does. */
    @Test
    void aWriteThatFailsPartwayIsNotWrittenAgainAndTheNextRecordStartsALine() throws IOException {
        Path file = dir.resolve("msf.log");
        AtomicInteger room = new AtomicInteger(Integer.MAX_VALUE);
        RotatingFileSink.Open open = path -> new FilterOutputStream(Files.newOutputStream(path,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                int fits = Math.min(room.get(), length);
                out.write(bytes, offset, fits);
                room.addAndGet(-fits);
                if (fits < length) {
                    throw new IOException("No space left on device");
                }
            }
        };
        try (RotatingFileSink sink = new RotatingFileSink(file, 1000, 2, problems -> { }, Clock.systemUTC(),
                Files::move, open)) {
            writeBatch(sink, record('a', 10));
            room.set(5);
            sink.write(record('b', 10));
            sink.write(record('c', 10));
            assertThatIOException().isThrownBy(sink::flush).withMessage("No space left on device");
            room.set(Integer.MAX_VALUE);
            writeBatch(sink, record('d', 10));
        }
        assertThat(Files.readString(file)).isEqualTo(record('a', 10) + "bbbbb\n" + record('d', 10));
    }

    /**
     * The records held for the file are written out as a rotation begins, and a full disk may fail that write
     * partway: the file then ends in part of a record, as after any failed write, and the next record, which
     * the file has room for under the limit (the lost part is not counted), must start a line of its own.
     */
    @Test
    void aWriteThatFailsPartwayAsARotationBeginsLeavesTheNextRecordOnALineOfItsOwn() throws IOException {
        Path file = dir.resolve("msf.log");
        AtomicInteger room = new AtomicInteger(Integer.MAX_VALUE);
        RotatingFileSink.Open open = path -> new FilterOutputStream(Files.newOutputStream(path,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                int fits = Math.min(room.get(), length);
                out.write(bytes, offset, fits);
                room.addAndGet(-fits);
                if (fits < length) {
                    throw new IOException("No space left on device");
                }
            }
        };
        try (RotatingFileSink sink = new RotatingFileSink(file, 30, 2, problems -> { }, Clock.systemUTC(),
                Files::move, open)) {
            writeBatch(sink, record('a', 10), record('b', 10));
            room.set(5);
            sink.write(record('c', 10));
            assertThatIOException().isThrownBy(() -> sink.write(record('d', 10))) // 40 bytes: rotates first
                    .withMessage("No space left on device");
            room.set(Integer.MAX_VALUE);
            writeBatch(sink, record('e', 5));
        }
        String written = Files.readString(file);
        if (Files.exists(dir.resolve("msf.log.1"))) {
            written = Files.readString(dir.resolve("msf.log.1")) + written;
        }
        assertThat(written).isEqualTo(record('a', 10) + record('b', 10) + "ccccc\n" + record('e', 5));
    }

    @Test
    void aFileMovedAsideWhileOpenIsLeftAndTheNewOneAtItsPathWrittenTo() throws IOException {
        Path file = dir.resolve("msf.log");
        Path aside = dir.resolve("msf.log-20250501");
        try (RotatingFileSink sink = new RotatingFileSink(file, 1000, 2)) {
            writeBatch(sink, record('a', 10));
            Files.move(file, aside); // as logrotate does, with its create option
            Files.writeString(file, "");
            sink.write(record('b', 10));
        }
        assertThat(Files.readString(aside)).isEqualTo(record('a', 10));
        assertThat(Files.readString(file)).isEqualTo(record('b', 10));
    }

    @Test
    void aFileTruncatedWhileOpenCountsFromItsNewSize() throws IOException {
        Path file = dir.resolve("msf.log");
        try (RotatingFileSink sink = new RotatingFileSink(file, 20, 2)) {
            writeBatch(sink, record('a', 15));
            Files.writeString(file, ""); // as logrotate's copytruncate does
            sink.write(record('b', 15));
        }
        assertThat(dir.resolve("msf.log.1")).doesNotExist();
        assertThat(Files.readString(file)).isEqualTo(record('b', 15));
    }

    @Test
    void createsFolderAndFileForTheOwnerOnly() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path file = dir.resolve("data").resolve("log").resolve("msf.log");
        try (RotatingFileSink sink = new RotatingFileSink(file, 1000, 2)) {
            sink.write(record('a', 10));
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent().getParent())))
                .isEqualTo("rwx------");
    }

    @Test
    void aFolderAtThePathIsRefusedAndLeftAsItWas() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        // The key naming the folder meant for the log, not the log file in it
        Path folder = Files.createDirectory(dir.resolve("logs"));
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-x---"));
        try (RotatingFileSink sink = new RotatingFileSink(folder, 1000, 2)) {
            assertThatIOException().isThrownBy(() -> sink.write(record('a', 10)))
                    .withMessage(folder + ": is a folder, not a file");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwxr-x---");
    }

    /** Each file in the folder as {@code name=letters}, the first letter of each of its records. */
    private List<String> filesWithTheirRecords() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().map(path -> {
                try {
                    String letters = Files.readAllLines(path).stream().map(line -> line.substring(0, 1))
                            .collect(Collectors.joining());
                    return path.getFileName() + "=" + letters;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        }
    }

    @Test
    void aNewFileOnAFileSystemWithoutPosixPermissionsIsFoundWritable() throws IOException {
        // A zip file system has no POSIX view, as a Windows one has not: nothing makes the file before it is opened
        try (FileSystem zip = FileSystems.newFileSystem(dir.resolve("logs.zip"), Map.of("create", "true"))) {
            Path file = zip.getPath("/log/msf.log");

            RotatingFileSink.checkWritable(file);

            assertThat(file).exists();
        }
    }

    /** Time that passes when the test says so. */
    private static final class SettableClock extends Clock {

        private Instant now = Instant.parse("2025-05-01T12:00:00Z");

        void pass(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
