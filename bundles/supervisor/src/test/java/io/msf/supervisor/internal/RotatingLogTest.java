package io.msf.supervisor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RotatingLogTest {

    @TempDir
    Path dir;

    private static void write(RotatingLog log, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        log.write(bytes, 0, bytes.length);
    }

    @Test
    void noFileGrowsBeyondItsLimitAndOnlyMaxFilesAreKept() throws IOException {
        Path file = dir.resolve("proc-x.log");
        try (RotatingLog log = new RotatingLog(file, 100, 3)) {
            for (int i = 0; i < 50; i++) {
                write(log, String.format("line %03d ..........\n", i)); // 20 bytes
            }
        }
        assertThat(Files.size(file)).isLessThanOrEqualTo(100);
        assertThat(Files.size(dir.resolve("proc-x.log.1"))).isEqualTo(100);
        assertThat(Files.size(dir.resolve("proc-x.log.2"))).isEqualTo(100);
        assertThat(dir.resolve("proc-x.log.3")).doesNotExist();
        assertThat(Files.readString(file)).endsWith("line 049 ..........\n");
        assertThat(Files.readString(dir.resolve("proc-x.log.2"))).startsWith("line 035");
    }

    /** Lowered, the count holds from the next rotation on: the files numbered past it are deleted then. */
    @Test
    void aLowerFileCountDeletesTheOlderFilesAtTheNextRotation() throws IOException {
        Path file = dir.resolve("proc-fewer.log");
        try (RotatingLog log = new RotatingLog(file, 100, 5)) {
            for (int i = 0; i < 25; i++) {
                write(log, String.format("line %03d ..........\n", i));
            }
            assertThat(dir.resolve("proc-fewer.log.4")).exists();

            log.limits(100, 2);
            for (int i = 25; i < 30; i++) {
                write(log, String.format("line %03d ..........\n", i));
            }
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(path -> path.getFileName().toString()))
                    .containsExactlyInAnyOrder("proc-fewer.log", "proc-fewer.log.1");
        }
        assertThat(Files.readString(dir.resolve("proc-fewer.log.1"))).startsWith("line 020");
    }

    /**
     * A rotation deletes the files a larger count left only up to MOST_FILES: with more, those numbered 100 and
     * up were kept for good once the count was lowered (and every rotation looked for each of them).
     */
    @Test
    void moreFilesThanItDeletesAreRefused() throws IOException {
        Path file = dir.resolve("proc-many.log");
        assertThatThrownBy(() -> new RotatingLog(file, 16, RotatingLog.MOST_FILES + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("over 100");
        try (RotatingLog log = new RotatingLog(file, 16, RotatingLog.MOST_FILES)) {
            assertThatThrownBy(() -> log.limits(16, 150)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    /**
     * A file deleted or moved away by hand took the output with it: the log wrote on into the deleted
     * file (its space not given back, proc:log showing nothing) until the size limit made a rotation.
     */
    @Test
    void aFileTakenAwayIsOpenedAgainAtTheNextWrite() throws IOException {
        Path file = dir.resolve("proc-taken.log");
        try (RotatingLog log = new RotatingLog(file, 1000, 3)) {
            write(log, "before delete\n");
            Files.delete(file);
            write(log, "after delete\n");
            assertThat(Files.readString(file)).isEqualTo("after delete\n");

            Files.move(file, dir.resolve("proc-taken.log.old"));
            write(log, "after move\n");
            assertThat(Files.readString(file)).isEqualTo("after move\n");
            assertThat(Files.readString(dir.resolve("proc-taken.log.old"))).isEqualTo("after delete\n");
            assertThat(log.tail(10)).containsExactly("after move");

            Files.writeString(file, ""); // truncated in place: counted from 0, no rotation for the old size
            write(log, "x".repeat(990) + "\n");
            assertThat(dir.resolve("proc-taken.log.1")).doesNotExist();
        }
    }

    @Test
    void aChunkLargerThanTheLimitIsSplitAcrossFiles() throws IOException {
        Path file = dir.resolve("proc-big.log");
        try (RotatingLog log = new RotatingLog(file, 64, 2)) {
            write(log, "x".repeat(100));
        }
        assertThat(Files.size(dir.resolve("proc-big.log.1"))).isEqualTo(64);
        assertThat(Files.size(file)).isEqualTo(36);
    }

    @Test
    void oneFileKeptStartsOverWhenFull() throws IOException {
        Path file = dir.resolve("proc-one.log");
        try (RotatingLog log = new RotatingLog(file, 10, 1)) {
            write(log, "0123456789abc");
        }
        assertThat(Files.readString(file)).isEqualTo("abc");
        assertThat(dir.resolve("proc-one.log.1")).doesNotExist();
    }

    @Test
    void itAppendsToTheFileOfAnEarlierRun() throws IOException {
        Path file = dir.resolve("proc-again.log");
        try (RotatingLog log = new RotatingLog(file, 1000, 2)) {
            log.line("first run");
        }
        try (RotatingLog log = new RotatingLog(file, 1000, 2)) {
            log.line("second run");
        }
        assertThat(Files.readAllLines(file)).containsExactly("first run", "second run");
    }

    @Test
    void tailReadsTheLastLinesAcrossTheRotatedFile() throws IOException {
        Path file = dir.resolve("proc-tail.log");
        try (RotatingLog log = new RotatingLog(file, 40, 3)) {
            for (int i = 0; i < 10; i++) {
                log.line("line " + i); // 7 bytes: 5 lines in the first file, then rotation
            }
            assertThat(log.tail(3)).containsExactly("line 7", "line 8", "line 9");
            assertThat(log.tail(6)).containsExactly("line 4", "line 5", "line 6", "line 7", "line 8", "line 9");
            assertThat(log.tail(100)).hasSizeLessThanOrEqualTo(10).endsWith("line 9");
        }
    }

    @Test
    void tailFindsLinesFarBackInALargeFile() throws IOException {
        Path file = dir.resolve("proc-large.log");
        List<String> expected = new ArrayList<>();
        try (RotatingLog log = new RotatingLog(file, 10_000_000, 2)) {
            for (int i = 0; i < 20_000; i++) {
                log.line("record number " + i);
            }
            IntStream.range(17_000, 20_000).forEach(i -> expected.add("record number " + i));
            assertThat(log.tail(3000)).isEqualTo(expected);
        }
    }

    /**
     * A child that floods output without line breaks (a minified JSON document, a binary dump)
     * into a log allowed up to 1 GiB: proc:log read the whole file into memory, in a container whose
     * heap is 256 MiB and which bin/msf ends at the first OutOfMemoryError. It reads at most
     * {@value RotatingLog#MAX_TAIL_BYTES} bytes a file and says where a line was cut.
     */
    @Test
    void tailOfAFloodWithoutLineBreaksReadsABoundedPartAndSaysItIsCut() throws IOException {
        Path file = dir.resolve("proc-flood.log");
        int flood = RotatingLog.MAX_TAIL_BYTES * 3 / 2;
        try (RotatingLog log = new RotatingLog(file, 64L << 20, 2)) {
            write(log, "started\n");
            byte[] blob = "{\"k\":1}".repeat(flood / 7).getBytes(StandardCharsets.UTF_8);
            log.write(blob, 0, blob.length);
            write(log, "\ndone\n");
            List<String> tail = log.tail(3);
            assertThat(tail).hasSize(2);
            assertThat(tail.get(0)).startsWith(RotatingLog.CUT).endsWith("{\"k\":1}")
                    .hasSizeLessThanOrEqualTo(RotatingLog.MAX_TAIL_BYTES + RotatingLog.CUT.length());
            assertThat(tail.get(1)).isEqualTo("done");
        }
    }

    /**
     * proc:log read the files while it held the log's lock, which every write of the process's output pump
     * takes: a slow read (4 MiB of each file on a loaded disk) held up the pump, and the process once its
     * pipe was full. Here the read waits until the test lets it go: a write meanwhile must not wait for it,
     * and the tail is the log as it was when proc:log asked, the write after it not half in it.
     */
    @Test
    void aTailBeingReadDoesNotHoldUpTheWriter() throws Exception {
        Path file = dir.resolve("proc-slow.log");
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch goOn = new CountDownLatch(1);
        RotatingLog.Reader slow = path -> new WaitingChannel(FileChannel.open(path, StandardOpenOption.READ), reading,
                goOn);
        // threads of its own: the common pool may have one thread only (2 cores), which the tail holds
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (RotatingLog log = new RotatingLog(file, 1000, 2, slow)) {
            log.line("before proc:log");
            CompletableFuture<List<String>> tail = CompletableFuture.supplyAsync(() -> {
                try {
                    return log.tail(10);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, threads);
            assertThat(reading.await(10, TimeUnit.SECONDS)).as("the tail started reading").isTrue();

            CompletableFuture<Void> written = CompletableFuture.runAsync(() -> {
                try {
                    log.line("while proc:log reads");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, threads);
            try {
                written.get(5, TimeUnit.SECONDS);
            } finally {
                goOn.countDown();
            }
            assertThat(tail.get(10, TimeUnit.SECONDS)).containsExactly("before proc:log");
            assertThat(log.tail(10)).containsExactly("before proc:log", "while proc:log reads");
        } finally {
            threads.shutdownNow();
        }
    }

    /** A file whose first read waits for the test's go-ahead (reads after it do not). */
    private static final class WaitingChannel implements SeekableByteChannel {
        private final FileChannel channel;
        private final CountDownLatch reading;
        private final CountDownLatch goOn;

        WaitingChannel(FileChannel channel, CountDownLatch reading, CountDownLatch goOn) {
            this.channel = channel;
            this.reading = reading;
            this.goOn = goOn;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            reading.countDown();
            try {
                if (!goOn.await(30, TimeUnit.SECONDS)) {
                    throw new IOException("the test never let the read go on");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            return channel.read(dst);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return channel.write(src);
        }

        @Override
        public long position() throws IOException {
            return channel.position();
        }

        @Override
        public SeekableByteChannel position(long newPosition) throws IOException {
            channel.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public SeekableByteChannel truncate(long size) throws IOException {
            channel.truncate(size);
            return this;
        }

        @Override
        public boolean isOpen() {
            return channel.isOpen();
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    @Test
    void tailOfNothingIsEmpty() throws IOException {
        try (RotatingLog log = new RotatingLog(dir.resolve("proc-none.log"), 100, 2)) {
            assertThat(log.tail(10)).isEmpty();
        }
    }
}
