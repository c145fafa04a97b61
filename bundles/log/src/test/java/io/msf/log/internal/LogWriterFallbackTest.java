package io.msf.log.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.msf.log.api.LogLine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The fallback of a writer whose sink fails: standard output for a file with no console writer beside it. */
class LogWriterFallbackTest {

    private static final Instant T0 = Instant.parse("2025-05-01T12:00:00Z");

    private final ByteArrayOutputStream errors = new ByteArrayOutputStream();
    private final List<LogLine> notices = new CopyOnWriteArrayList<>();
    private final FlakySink file = new FlakySink();

    private LogWriter writer(int capacity, OutputStream fallback) {
        return writer("file", capacity, fallback);
    }

    private LogWriter writer(String name, int capacity, OutputStream fallback) {
        return new LogWriter(name, capacity, List.of(file), setup(fallback));
    }

    /** Records formatted in UTC, failures to {@link #errors}, and the fallback a console on {@code fallback}. */
    private WriterSetup setup(OutputStream fallback) {
        return WriterSetup.of(new LineFormat(ZoneOffset.UTC), "io.msf.log", notices::add, report -> { },
                new PrintStream(errors, true, StandardCharsets.UTF_8), Clock.fixed(T0, ZoneOffset.UTC))
                .withFallback(new ConsoleSink(new PrintStream(fallback, true, StandardCharsets.UTF_8)));
    }

    /** Lets the file work again and waits until it has written {@code record} through {@code writer}. */
    private void worksAgainWith(LogWriter writer, LogLine record) {
        file.failing = false;
        String written = new LineFormat(ZoneOffset.UTC).format(record);
        writer.offer(record);
        await().atMost(Duration.ofSeconds(10)).until(() -> file.written.contains(written));
    }

    private static LogLine line(int n) {
        return new LogLine(T0, "INFO", "b", "l", "record " + n + ";", "");
    }

    /**
     * Standard output is console.out under bin/msf start, which nothing rotates: a file failing for
     * long (a full disk) poured the whole log there. The fallback takes the first records of a
     * failure and, once the file works again, how many more there were.
     */
    @Test
    void aFailureGivesTheFallbackAtMostItsBoundThenHowManyMoreOnceTheFileWorksAgain() throws Exception {
        int more = 50;
        int records = LogWriter.FALLBACK_RECORDS + more;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LogWriter writer = writer(records + 10, out);
        file.failing = true;
        writer.start();
        for (int n = 1; n <= records; n++) {
            writer.offer(line(n));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> file.attempts.get() >= records);
        file.failing = false;
        writer.offer(line(records + 1));
        writer.stop(Duration.ofSeconds(10));

        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("record 1;", "record " + LogWriter.FALLBACK_RECORDS + ";",
                "further records are not shown here until the test file works again; see log:tail",
                more + " more log record(s) not shown here while the test file failed; see log:tail");
        assertThat(printed).doesNotContain("record " + (LogWriter.FALLBACK_RECORDS + 1) + ";",
                "record " + (records + 1) + ";");
        assertThat(file.written).containsExactly(new LineFormat(ZoneOffset.UTC).format(line(records + 1)));
    }

    /** A failure of exactly the bound hides no record: no notice says that further ones are not shown. */
    @Test
    void aFailureOfExactlyTheBoundHidesNothing() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LogWriter writer = writer(LogWriter.FALLBACK_RECORDS + 10, out);
        file.failing = true;
        writer.start();
        for (int n = 1; n <= LogWriter.FALLBACK_RECORDS; n++) {
            writer.offer(line(n));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> file.attempts.get() >= LogWriter.FALLBACK_RECORDS);
        file.failing = false;
        writer.offer(line(0));
        writer.stop(Duration.ofSeconds(10));

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("record " + LogWriter.FALLBACK_RECORDS + ";")
                .doesNotContain("not shown");
    }

    /** A new failure has the bound again: the first records of each failure tell what went wrong. */
    @Test
    void eachFailureHasItsOwnBound() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LogWriter writer = writer(10, out);
        writer.start();
        for (int spell = 1; spell <= 2; spell++) {
            int spells = spell;
            file.failing = true;
            int before = file.attempts.get();
            writer.offer(line(spell));
            await().atMost(Duration.ofSeconds(10)).until(() -> file.attempts.get() > before);
            file.failing = false;
            writer.offer(line(10 + spell));
            await().atMost(Duration.ofSeconds(10)).until(() -> file.written.size() == spells);
        }
        writer.stop(Duration.ofSeconds(10));

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("record 1;", "record 2;")
                .doesNotContain("more log record(s) not shown");
    }

    /**
     * A standard output that blocks (a pipe nobody reads) held up the file's writer, whose thread
     * printed the fallback: no record reached the file once it worked again, against the rule that
     * one sink holds up no other. The fallback has a writer of its own, which drops and counts.
     */
    @Test
    void aFallbackThatBlocksHoldsUpNoRecordOfTheFile() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        LogWriter writer = writer(4, blocking(new CountDownLatch(1), release));
        file.failing = true;
        writer.start();
        try {
            for (int n = 1; n <= 20; n++) {
                // one at a time, so that the file's queue (4 too) drops none: the fallback's has to
                int offered = n;
                writer.offer(line(n));
                await().atMost(Duration.ofSeconds(10)).until(() -> file.attempts.get() >= offered);
            }
            worksAgainWith(writer, line(100));
        } finally {
            release.countDown();
            writer.stop(Duration.ofSeconds(10));
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(notices).anySatisfy(notice -> assertThat(
                notice.message()).contains("dropped", "for the console: the fallback's queue (queueSize=4) was full")));
    }

    /**
     * The fallback's drops said "the write queue (queueSize=1004) was full": a queueSize nobody set,
     * which raising changes nothing. The fallback names its own queue, one failure large.
     */
    @Test
    void theFallbackNamesItsOwnQueueWhenItDrops() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        LogWriter writer = writer(10_000, blocking(entered, release));
        int oneFailure = LogWriter.FALLBACK_RECORDS + 4;
        file.failing = true;
        writer.start();
        try {
            // A failure fills the fallback's queue but for a few, its writer blocked on its first batch
            // (at most 512); the lines that the file works again and fails again, and a second failure
            // of 600, are more than the room left.
            for (int n = 1; n <= LogWriter.FALLBACK_RECORDS; n++) {
                writer.offer(line(n));
            }
            entered.await();
            await().atMost(Duration.ofSeconds(10)).until(() -> file.attempts.get() >= LogWriter.FALLBACK_RECORDS);
            worksAgainWith(writer, line(0));
            file.failing = true;
            int before = file.attempts.get();
            for (int n = 1; n <= 600; n++) {
                writer.offer(line(2000 + n));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> file.attempts.get() >= before + 600);
        } finally {
            release.countDown();
            writer.stop(Duration.ofSeconds(10));
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(notices).anySatisfy(notice -> assertThat(
                notice.message()).matches("dropped \\d+ log record\\(s\\) for the console: the fallback's queue"
                        + " \\(one failure: " + oneFailure + " records\\) was full")));
        assertThat(notices).noneSatisfy(notice -> assertThat(notice.message()).contains("queueSize"));
    }

    /**
     * That the file fails and works again went to stderr on the file writer's thread: with stderr
     * the same blocked console as standard output, the file's writer blocked on it, holding up the
     * records of the file just as it worked again. Those lines go through the fallback.
     */
    @Test
    void aBlockedStderrHoldsUpNoRecordOfTheFile() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LogWriter writer = new LogWriter("file", 100, List.of(file),
                setup(out).withErrors(new PrintStream(blocking(entered, release), true, StandardCharsets.UTF_8)));
        file.failing = true;
        writer.start();
        try {
            writer.offer(line(1));
            await().atMost(Duration.ofSeconds(10)).until(() -> file.attempts.get() > 0);
            worksAgainWith(writer, line(2));
        } finally {
            release.countDown();
            writer.stop(Duration.ofSeconds(10));
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains(
                "cannot write to the test file, its records go to the console", "record 1;",
                "writing to the test file works again");
    }

    /**
     * Under bin/msf start (no console, standard output the fallback) that the file failed went to
     * console.out only: log:tail, where the fallback's own notice sends the operator ("see log:tail"),
     * had the records but no word that the file no longer took them, nor that it worked again.
     */
    @Test
    void thatTheFileFailsAndWorksAgainIsInTheTailToo() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LogWriter writer = writer(10, out);
        file.failing = true;
        writer.start();
        writer.offer(line(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> file.attempts.get() > 0);
        worksAgainWith(writer, line(2));
        writer.stop(Duration.ofSeconds(10));

        assertThat(notices).extracting(LogLine::message).satisfiesExactly(
                failing -> assertThat(failing).startsWith("cannot write to the test file, its records go to the console")
                        .endsWith("java.io.IOException: disk full"),
                back -> assertThat(back).isEqualTo("writing to the test file works again"));
        assertThat(notices).extracting(LogLine::level).containsOnly("WARN");
    }

    /**
     * stop waited its whole timeout for the file's writer, then again for the fallback's: for the
     * standard output the fallback exists for (one that blocks), every replacement of the writers
     * held the log's monitor that long. The fallback's end waits briefly and counts what it left.
     */
    @Test
    void aFallbackThatBlocksHoldsUpNoStopAndWhatItLeftIsCounted() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        LogWriter writer = writer(100, blocking(entered, release));
        file.failing = true;
        writer.start();
        long took;
        try {
            writer.offer(line(0));
            entered.await();
            for (int n = 1; n <= 20; n++) {
                writer.offer(line(n));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> file.attempts.get() >= 21);
            long start = System.nanoTime();
            writer.stop(Duration.ofSeconds(4));
            took = System.nanoTime() - start;
        } finally {
            release.countDown();
        }
        assertThat(Duration.ofNanos(took)).isLessThan(Duration.ofSeconds(2));
        assertThat(notices).anySatisfy(notice -> assertThat(notice.message())
                .matches("dropped \\d+ log record\\(s\\) for the console: it took none within 200 ms once the"
                        + " log file's writer ended"));
    }

    /**
     * With standard output blocked for good, the fallback's end reported only the records left in
     * its queue: those its full queue had dropped were counted, never reported, since its writer
     * never took another batch. They are reported at its end, once, even if it wakes later.
     */
    @Test
    void aFallbackBlockedForGoodReportsWhatItsFullQueueDroppedOnce() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        LogWriter writer = writer("blocked", 4, blocking(entered, release));
        LogWriter fallback = writer.fallback();
        file.failing = true;
        writer.start();
        try {
            writer.offer(line(0));
            entered.await();
            for (int n = 1; n <= 20; n++) {
                // one at a time, so that the file's queue (4 too) drops none: the fallback's has to
                int offered = n + 1;
                writer.offer(line(n));
                await().atMost(Duration.ofSeconds(10)).until(() -> file.attempts.get() >= offered);
            }
            writer.stop(Duration.ofSeconds(4));

            // its writer took one batch (at most the first two lines), 4 wait in its queue: the rest were dropped
            assertThat(fallback.dropped()).isGreaterThan(4);
            assertThat(reportedDrops()).isEqualTo(fallback.dropped());
        } finally {
            release.countDown();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> threads("msf-log-blocked").isEmpty());
        assertThat(reportedDrops()).isEqualTo(fallback.dropped());
    }

    /** The records the notices say were dropped for the console. */
    private long reportedDrops() {
        Pattern count = Pattern.compile("dropped (\\d+) log record\\(s\\) for the console: .*");
        return notices.stream().map(notice -> count.matcher(notice.message())).filter(Matcher::matches)
                .mapToLong(matcher -> Long.parseLong(matcher.group(1))).sum();
    }

    /**
     * A file writer outliving stop's wait gave its records to a fallback already stopped: each was
     * reported dropped on its own, a line on stderr and the tail for every record, none shown.
     * The fallback ends once the file's writer has.
     */
    @Test
    void aFileWriterOutlivingStopStillHasItsFallback() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        LogSink stuck = new NamedSink("the stuck file") {
            @Override
            public void write(String record) {
            }

            @Override
            public void flush() throws IOException {
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                throw new IOException("disk full");
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LogWriter writer = new LogWriter("outliving", 100, List.of(stuck), setup(out));
        writer.start();
        for (int n = 1; n <= 5; n++) {
            writer.offer(line(n));
        }
        entered.await();
        writer.stop(Duration.ofMillis(100));
        release.countDown();

        await().atMost(Duration.ofSeconds(10)).until(() -> out.toString(StandardCharsets.UTF_8).contains("record 5;"));
        assertThat(errors.toString(StandardCharsets.UTF_8)).doesNotContain("dropped");
        await().atMost(Duration.ofSeconds(10)).until(() -> threads("msf-log-outliving").isEmpty());
    }

    private static OutputStream blocking(CountDownLatch entered, CountDownLatch release) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
        };
    }

    /**
     * The fallback's queue was queueSize large (up to 1,048,576 slots, allocated up front) for every
     * file writer without a console, though one failure gives it at most its bound and two notices;
     * and its thread, like every writer's, woke each second with nothing to do.
     */
    @Test
    void theFallbackQueuesNoMoreThanOneFailureAndAnIdleWriterSleeps() throws Exception {
        LogWriter writer = writer("idle", 1_048_576, new ByteArrayOutputStream());
        assertThat(writer.fallback().capacity()).isEqualTo(LogWriter.FALLBACK_RECORDS + 4);
        assertThat(writer(5, new ByteArrayOutputStream()).fallback().capacity()).isEqualTo(5);
        writer.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> threads("msf-log-idle").stream()
                    .allMatch(thread -> thread.getState() == Thread.State.WAITING)
                    && threads("msf-log-idle").size() == 2);
        } finally {
            writer.stop(Duration.ofSeconds(10));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> threads("msf-log-idle").isEmpty());
    }

    /** Live threads named {@code prefix} or {@code prefix-fallback}. */
    private static List<Thread> threads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && (t.getName().equals(prefix) || t.getName().equals(prefix + "-fallback")))
                .toList();
    }

    /** A file that fails at its flush while {@link #failing} is set, and keeps what it took otherwise. */
    private static final class FlakySink extends NamedSink {

        volatile boolean failing;
        /** Records given to the file, taken or not. */
        final AtomicInteger attempts = new AtomicInteger();
        final List<String> written = new CopyOnWriteArrayList<>();
        private final List<String> pending = new ArrayList<>();

        FlakySink() {
            super("the test file");
        }

        @Override
        public void write(String record) {
            attempts.incrementAndGet();
            pending.add(record);
        }

        @Override
        public void flush() throws IOException {
            List<String> batch = List.copyOf(pending);
            pending.clear();
            if (failing) {
                throw new IOException("disk full");
            }
            written.addAll(batch);
        }
    }
}
