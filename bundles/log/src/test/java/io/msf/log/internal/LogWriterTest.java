package io.msf.log.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.msf.log.api.LogLine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogWriterTest {

    private static final Instant T0 = Instant.parse("2025-05-01T12:00:00Z");

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errors = new ByteArrayOutputStream();
    private final List<LogLine> notices = new CopyOnWriteArrayList<>();
    /** What a writer stopped with none in its place hands to the writers still running. */
    private final List<LogLine> toWritersRunning = new CopyOnWriteArrayList<>();

    private LogWriter writer(int capacity) {
        return new LogWriter("console", capacity, List.of(new ConsoleSink(new PrintStream(console, true,
                StandardCharsets.UTF_8))), setup());
    }

    /** Records formatted in UTC, the writer's own records to {@link #notices}, failures to {@link #errors}. */
    private WriterSetup setup() {
        return WriterSetup.of(new LineFormat(ZoneOffset.UTC), "io.msf.log", notices::add, toWritersRunning::add,
                new PrintStream(errors, true, StandardCharsets.UTF_8), Clock.fixed(T0, ZoneOffset.UTC));
    }

    private static LogLine line(int n) {
        return new LogLine(T0, "INFO", "b", "l", "record " + n, "");
    }

    @Test
    void dropsAndCountsWhatDoesNotFitAndReportsTheCountInTheLog() throws InterruptedException {
        LogWriter writer = writer(4);
        // Not started yet: nothing leaves the queue, so the fifth record on does not fit.
        for (int i = 1; i <= 7; i++) {
            assertThat(writer.offer(line(i))).isEqualTo(i <= 4);
        }
        assertThat(writer.dropped()).isEqualTo(3);

        writer.start();
        writer.stop(Duration.ofSeconds(10));

        String out = console.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("record 1", "record 4").doesNotContain("record 5");
        assertThat(out).contains("WARN  [io.msf.log] io.msf.log.internal.LogWriter: dropped 3 log record(s) for the console:"
                + " the write queue (queueSize=4) was full");
        assertThat(notices).singleElement().extracting(LogLine::message).asString().startsWith("dropped 3 ");
    }

    @Test
    void writesEverythingQueuedBeforeStopReturns() throws InterruptedException {
        LogWriter writer = writer(1000);
        writer.start();
        for (int i = 1; i <= 500; i++) {
            writer.offer(line(i));
        }
        writer.stop(Duration.ofSeconds(10));

        String out = console.toString(StandardCharsets.UTF_8);
        assertThat(out.lines()).hasSize(500).last().asString().endsWith("record 500");
        assertThat(writer.dropped()).isZero();
    }

    @Test
    void refusesAndCountsRecordsOnceStopped() throws InterruptedException {
        LogWriter writer = writer(10);
        writer.start();
        writer.stop(Duration.ofSeconds(10));

        assertThat(writer.offer(line(1))).isFalse();
        assertThat(writer.dropped()).isEqualTo(1);
        assertThat(errors.toString(StandardCharsets.UTF_8)).containsOnlyOnce("msf.log: dropped 1 log record(s) for"
                + " the console: they came after its writer stopped (turned off, or the log stopping)");
        assertThat(notices).singleElement().satisfies(notice -> {
            assertThat(notice.level()).isEqualTo("WARN");
            assertThat(notice.message()).startsWith("dropped 1 log record(s) for the console: they came after");
        });
    }

    @Test
    void recordsDroppedWhileAWriterWithoutSuccessorStopsAreReportedOnceItHasEnded() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        LogSink slow = new NamedSink("the slow sink") {
            @Override
            public void write(String record) {
                writing.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        LogWriter writer = new LogWriter("slow", 10, List.of(slow), setup());
        writer.start();
        writer.offer(line(1));
        writing.await(); // the writer is held in the sink: its stop waits for it
        Thread stopping = new Thread(() -> {
            try {
                writer.stop(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        stopping.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> !writer.offer(line(2))); // dropped: the writer stops
        writer.offer(line(3));
        writer.offer(line(4));
        assertThat(notices).isEmpty();

        release.countDown();
        stopping.join();

        assertThat(writer.dropped()).isEqualTo(3);
        assertThat(errors.toString(StandardCharsets.UTF_8)).containsOnlyOnce("msf.log: dropped")
                .contains("msf.log: dropped 3 log record(s) for the slow sink: they came after its writer stopped");
        assertThat(notices).singleElement().satisfies(notice -> {
            assertThat(notice.level()).isEqualTo("WARN");
            assertThat(notice.message()).startsWith("dropped 3 log record(s) for the slow sink: they came after");
        });
    }

    @Test
    void theReportOfRecordsDroppedAfterAStopIsWrittenByTheWritersStillRunningAndNeverReportedAgain(
            @TempDir Path dir) throws Exception {
        List<LogWriter> running = new CopyOnWriteArrayList<>();
        Consumer<LogLine> toRunning = report -> running.forEach(writer -> writer.offerReport(report));
        WriterSetup setup = setup().withStillRunning(toRunning);
        LogWriter consoleWriter = new LogWriter("console", 10, List.of(new ConsoleSink(new PrintStream(console, true,
                StandardCharsets.UTF_8))), setup);
        Path file = dir.resolve("msf.log");
        LogWriter fileWriter = new LogWriter("file", 10, List.of(new RotatingFileSink(file, 1000, 2)), setup);
        running.addAll(List.of(consoleWriter, fileWriter));
        consoleWriter.start();
        fileWriter.start();

        fileWriter.offer(line(1));
        consoleWriter.stop(Duration.ofSeconds(10)); // the console turned off, the file stays on
        consoleWriter.offer(line(2));
        fileWriter.stop(Duration.ofSeconds(10)); // the log stopping: no writer runs to take its report
        fileWriter.offer(line(3));

        assertThat(Files.readString(file)).contains("record 1").containsOnlyOnce("dropped")
                .contains("WARN  [io.msf.log] io.msf.log.internal.LogWriter: dropped 1 log record(s) for the console:"
                        + " they came after its writer stopped");
        assertThat(console.toString(StandardCharsets.UTF_8)).doesNotContain("dropped");
        assertThat(consoleWriter.dropped()).isEqualTo(1);
        assertThat(fileWriter.dropped()).isEqualTo(1);
        assertThat(notices).extracting(LogLine::message).satisfiesExactly(
                message -> assertThat(message).startsWith("dropped 1 log record(s) for the console:"),
                message -> assertThat(message).startsWith("dropped 1 log record(s) for log file " + file + ":"));
        assertThat(errors.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("msf.log: dropped")))
                .hasSize(2);
    }

    @Test
    void aRecordLetInJustBeforeTheStopButQueuedAfterTheLastDrainGoesToTheSuccessor() throws Exception {
        LogLine late = line(2);
        HoldingQueue queue = new HoldingQueue(late);
        LogWriter old = writer(queue, console);
        ByteArrayOutputStream nextConsole = new ByteArrayOutputStream();
        LogWriter next = writer(new ArrayBlockingQueue<>(10), nextConsole);
        old.start();
        old.offer(line(1));
        Thread logging = new Thread(() -> old.offer(late));
        logging.start();
        queue.held.await(); // past the writer's stopping check, not queued yet

        old.handOver(next);
        old.stop(Duration.ofSeconds(10)); // its last look at the queue finds it empty
        queue.release.countDown();
        logging.join();
        next.start();
        next.stop(Duration.ofSeconds(10));

        assertThat(console.toString(StandardCharsets.UTF_8)).contains("record 1").doesNotContain("record 2");
        assertThat(nextConsole.toString(StandardCharsets.UTF_8)).contains("record 2");
        assertThat(old.dropped()).isZero();
    }

    /**
     * A configuration change whose old file writer hangs on the disk past the stop's wait: the new one
     * opened the same file while the old one still wrote to it, each counting its size and rotating.
     */
    @Test
    void aSuccessorWritesToTheSameFileOnlyOnceTheWriterItReplacesHasEnded() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch diskBack = new CountDownLatch(1);
        LogWriter old = new LogWriter("file", 10, List.of(new EventSink("log file /srv/msf.log", "old", events) {
            @Override
            public void write(String record) {
                super.write(record);
                writing.countDown();
                try {
                    diskBack.await(); // a hung disk
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }), setup());
        LogWriter next = new LogWriter("file", 10, List.of(new EventSink("log file /srv/msf.log", "new", events)),
                setup());
        old.start();
        old.offer(line(1));
        writing.await();

        old.handOver(next);
        old.stop(Duration.ofMillis(50)); // as a change does: the old writer has not ended by then
        next.start();
        next.offer(line(2));

        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> events.stream().noneMatch(event -> event.startsWith("new")));
        assertThat(errors.toString(StandardCharsets.UTF_8)).contains("msf.log: the log writer for log file"
                + " /srv/msf.log did not finish within PT0.05S; the one in its place writes there once it has ended,"
                + " queueing up to queueSize records meanwhile");
        diskBack.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> events.contains("new write record 2"));
        assertThat(events).containsSubsequence("old write record 1", "old close", "new write record 2");
        next.stop(Duration.ofSeconds(10));
    }

    /** A file moved elsewhere (away from a hung disk, say) is written at once: no other writer has it. */
    @Test
    void aSuccessorToAnotherFileWritesAtOnce() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch diskBack = new CountDownLatch(1);
        LogWriter old = new LogWriter("file", 10, List.of(new EventSink("log file /hung/msf.log", "old", events) {
            @Override
            public void write(String record) {
                writing.countDown();
                try {
                    diskBack.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }), setup());
        LogWriter next = new LogWriter("file", 10, List.of(new EventSink("log file /srv/msf.log", "new", events)),
                setup());
        old.start();
        old.offer(line(1));
        writing.await();

        old.handOver(next);
        old.stop(Duration.ofMillis(50));
        next.start();
        next.offer(line(2));

        await().atMost(Duration.ofSeconds(10)).until(() -> events.contains("new write record 2"));
        diskBack.countDown();
        next.stop(Duration.ofSeconds(10));
    }

    /**
     * One file written under two spellings of its path is one file: a writer of {@code log/./msf.log} in the
     * place of one of {@code log/msf.log} stuck on a hung disk waits for it, or two writers overlapped there,
     * each rotating the file by its own count.
     */
    @Test
    void aSuccessorToTheSameFileSpelledAnotherWayWaitsForTheWriterItReplaces(@TempDir Path dir) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("log"));
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch diskBack = new CountDownLatch(1);
        RotatingFileSink hung = new RotatingFileSink(folder.resolve("msf.log"), 1000, 2, problem -> { },
                Clock.systemUTC(), Files::move, file -> new OutputStream() {
                    @Override
                    public void write(int b) throws IOException {
                        writing.countDown();
                        try {
                            diskBack.await();
                        } catch (InterruptedException e) {
                            throw new InterruptedIOException();
                        }
                    }
                });
        LogWriter old = new LogWriter("file", 10, List.of(hung), setup());
        LogWriter next = new LogWriter("file", 10, List.of(new RotatingFileSink(dir.resolve("log/./msf.log"), 1000, 2)),
                setup());
        old.start();
        old.offer(line(1));
        writing.await();

        old.handOver(next);
        old.stop(Duration.ofMillis(50));
        next.start();
        next.offer(line(2));

        Path file = folder.resolve("msf.log");
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> !Files.exists(file) || !Files.readString(file).contains("record 2"));
        assertThat(errors.toString(StandardCharsets.UTF_8)).contains("the one in its place writes there once it has"
                + " ended");
        diskBack.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(file)
                && Files.readString(file).contains("record 2"));
        next.stop(Duration.ofSeconds(10));
    }

    /** A sink that records what is done to it, as "<who> write <message>" and "<who> close". */
    private static class EventSink extends NamedSink {

        private final String who;
        private final List<String> events;

        EventSink(String name, String who, List<String> events) {
            super(name);
            this.who = who;
            this.events = events;
        }

        @Override
        public void write(String record) {
            events.add(who + " write " + record.substring(record.indexOf("record ")).strip());
        }

        @Override
        public void close() {
            events.add(who + " close");
        }
    }

    @Test
    void aRecordQueuedAfterTheLastDrainOfAWriterWithoutSuccessorIsCountedAsDropped() throws Exception {
        LogLine late = line(2);
        HoldingQueue queue = new HoldingQueue(late);
        LogWriter writer = writer(queue, console);
        writer.start();
        Thread logging = new Thread(() -> writer.offer(late));
        logging.start();
        queue.held.await();

        writer.stop(Duration.ofSeconds(10));
        queue.release.countDown();
        logging.join();

        assertThat(writer.dropped()).isEqualTo(1);
    }

    private LogWriter writer(BlockingQueue<LogLine> queue, ByteArrayOutputStream out) {
        return new LogWriter("console", 10, List.of(new ConsoleSink(new PrintStream(out, true,
                StandardCharsets.UTF_8))), setup().withQueue(queue));
    }

    /** Holds the offer of one record until released: the moment between the writer's check and the queue. */
    private static final class HoldingQueue extends ArrayBlockingQueue<LogLine> {

        final CountDownLatch held = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final LogLine record;

        HoldingQueue(LogLine record) {
            super(10);
            this.record = record;
        }

        @Override
        public boolean offer(LogLine line) {
            if (line == record) {
                held.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return super.offer(line);
        }
    }

    @Test
    void aFailingSinkIsReportedOnceAndDoesNotStopTheOthers() throws InterruptedException {
        LogSink broken = new NamedSink("broken sink") {
            @Override
            public void write(String record) throws java.io.IOException {
                throw new java.io.IOException("disk full");
            }
        };
        LogWriter writer = new LogWriter("test", 10, List.of(broken, new ConsoleSink(new PrintStream(console, true,
                StandardCharsets.UTF_8))), setup().withClock(Clock.systemUTC()));
        writer.start();
        writer.offer(line(1));
        writer.offer(line(2));
        writer.stop(Duration.ofSeconds(10));

        assertThat(console.toString(StandardCharsets.UTF_8)).contains("record 1", "record 2");
        assertThat(notices).filteredOn(notice -> notice.message().contains("cannot write to broken sink"))
                .singleElement().satisfies(notice -> assertThat(notice.message()).contains("disk full"));
        assertThat(toWritersRunning).filteredOn(told -> told.message().contains("cannot write to broken sink"))
                .hasSize(1);
    }

    /**
     * With the console's writer beside the file's (no fallback: bin/msf run, a service whose output
     * goes to a journal), that the file failed and worked again went to stderr on the file writer's
     * thread: with stderr the same blocked console as standard output, the file's writer blocked on it,
     * holding up the file's records just as it worked again. Those lines go to the tail and, without
     * waiting, to the writers still running, the console's among them.
     */
    @Test
    void aBlockedStderrHoldsUpNoRecordOfAFileWithoutAFallback() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        PrintStream blockedStderr = new PrintStream(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new InterruptedIOException();
                }
            }
        }, true, StandardCharsets.UTF_8);
        AtomicBoolean failing = new AtomicBoolean(true);
        List<String> written = new CopyOnWriteArrayList<>();
        LogSink file = new NamedSink("the test file") {
            private final List<String> pending = new ArrayList<>();

            @Override
            public void write(String record) {
                pending.add(record);
            }

            @Override
            public void flush() throws IOException {
                List<String> batch = List.copyOf(pending);
                pending.clear();
                if (failing.get()) {
                    throw new IOException("disk full");
                }
                written.addAll(batch);
            }
        };
        LogWriter writer = new LogWriter("file", 10, List.of(file), setup().withErrors(blockedStderr));
        writer.start();
        try {
            writer.offer(line(1));
            await().atMost(Duration.ofSeconds(10)).until(() -> notices.stream()
                    .anyMatch(notice -> notice.message().startsWith("cannot write to the test file")));
            failing.set(false);
            writer.offer(line(2));
            await().atMost(Duration.ofSeconds(10)).until(() -> written.stream().anyMatch(w -> w.contains("record 2")));
        } finally {
            release.countDown();
            writer.stop(Duration.ofSeconds(10));
        }
        assertThat(toWritersRunning).extracting(LogLine::message).satisfiesExactly(
                failed -> assertThat(failed).startsWith("cannot write to the test file, its records are lost until it"
                        + " works again: java.io.IOException: disk full"),
                back -> assertThat(back).isEqualTo("writing to the test file works again"));
    }

    /**
     * The log file turned into a link while the log runs (to a file of others, which kept its content):
     * one line tells that and why, however many batches fail, and another once a regular file is back.
     * Each failed batch goes to the fallback, the console, which shows when the writer has taken it.
     */
    @Test
    void aLogFileTurnedIntoALinkIsToldOnceAndWrittenAgainOnceTheLinkIsGone(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("msf.log");
        Path shared = Files.writeString(dir.resolve("shared.txt"), "not the log's\n");
        LogWriter writer = new LogWriter("file", 10, List.of(new RotatingFileSink(file, 4096, 3)),
                setup().withFallback(new ConsoleSink(new PrintStream(console, true, StandardCharsets.UTF_8))));
        writer.start();
        writer.offer(line(1));
        await().until(() -> Files.readString(file).contains("record 1"));
        Files.delete(file);
        Files.createSymbolicLink(file, shared);

        writer.offer(line(2));
        await().until(() -> console.toString(StandardCharsets.UTF_8).contains("record 2"));
        writer.offer(line(3));
        await().until(() -> console.toString(StandardCharsets.UTF_8).contains("record 3"));
        Files.delete(file);
        writer.offer(line(4));
        await().until(() -> Files.exists(file) && Files.readString(file).contains("record 4"));
        writer.stop(Duration.ofSeconds(10));

        assertThat(console.toString(StandardCharsets.UTF_8).lines().filter(told -> told.contains("log file " + file)))
                .satisfiesExactly(
                        failing -> assertThat(failing).contains("cannot write to log file " + file + ", its records go to",
                                "java.nio.file.FileSystemException: " + file + ": is a symbolic link (to " + shared
                                        + "); msf writes its log only to a regular file it owns"),
                        back -> assertThat(back).endsWith("writing to log file " + file + " works again"));
        assertThat(Files.readString(shared)).isEqualTo("not the log's\n");
        assertThat(Files.readString(file)).doesNotContain("record 2", "record 3");
    }

    /**
     * Threads logging at once into a file rotated every few records: one writer thread rotates, so
     * every record is in exactly one file, whole, and there are never more files than maxFiles.
     */
    @Test
    void recordsOfManyThreadsIntoARotatingFileAreAllKeptWholeInAtMostMaxFiles(@TempDir Path dir) throws Exception {
        int threads = 8;
        int each = 500;
        int maxFiles = 100;
        Path file = dir.resolve("msf.log");
        // a record is about 70 bytes: 4096-byte files of about 58 records, 69 of them for the 4000 records
        LogWriter writer = new LogWriter("file", threads * each, List.of(new RotatingFileSink(file, 4096, maxFiles)),
                setup());
        writer.start();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> loggers = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            loggers.add(started(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    writer.offer(new LogLine(T0, "INFO", "b", "l", "thread " + thread + " record " + i, ""));
                }
            }));
        }
        go.countDown();
        for (Thread logger : loggers) {
            logger.join();
        }
        writer.stop(Duration.ofSeconds(10));

        List<Path> files;
        try (var listed = Files.list(dir)) {
            files = listed.toList();
        }
        List<String> lines = new java.util.ArrayList<>();
        for (Path written : files) {
            assertThat(Files.size(written)).isLessThanOrEqualTo(4096);
            lines.addAll(Files.readAllLines(written));
        }
        assertThat(files).hasSizeGreaterThan(2).hasSizeLessThanOrEqualTo(maxFiles);
        assertThat(writer.dropped()).isZero();
        assertThat(lines).hasSize(threads * each).doesNotHaveDuplicates()
                .allMatch(line -> line.matches(".* INFO  \\[b\\] l: thread \\d record \\d+"));
        assertThat(errors.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    /** Past the file count, the oldest records go: the files stay at maxFiles, each one whole. */
    @Test
    void manyThreadsLoggingPastTheFileCountLeaveMaxFiles(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("msf.log");
        LogWriter writer = new LogWriter("file", 4000, List.of(new RotatingFileSink(file, 4096, 3)), setup());
        writer.start();
        List<Thread> loggers = new java.util.ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            loggers.add(started(() -> {
                for (int i = 0; i < 1000; i++) {
                    writer.offer(new LogLine(T0, "INFO", "b", "l", "thread " + thread + " record " + i, ""));
                }
            }));
        }
        for (Thread logger : loggers) {
            logger.join();
        }
        writer.stop(Duration.ofSeconds(10));

        try (var listed = Files.list(dir)) {
            assertThat(listed.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("msf.log", "msf.log.1", "msf.log.2");
        }
        assertThat(Files.readAllLines(dir.resolve("msf.log.2"))).isNotEmpty()
                .allMatch(line -> line.matches(".* INFO  \\[b\\] l: thread \\d record \\d+"));
    }

    private static Thread started(Runnable task) {
        Thread thread = new Thread(task);
        thread.start();
        return thread;
    }
}
