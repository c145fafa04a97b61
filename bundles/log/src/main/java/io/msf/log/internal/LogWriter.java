package io.msf.log.internal;

import io.msf.log.api.LogLine;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Writes records to the sinks on its own thread, so that no thread that logs waits for a disk.
 * The queue between them is bounded: when it is full a record is dropped and counted, and the
 * count is written as a record of its own once there is room again. A record that comes once the
 * writer stops, with no writer taking its place (its sink turned off, or the log stopping), is
 * dropped too, and their count reported once the writer has ended: its sink is closed by then, so
 * the report goes to the tail, to stderr and to the writers still running (the file, when only the
 * console was turned off). Sinks that may block apart (a console nobody reads, a disk) each get a
 * writer of their own, so that one holds up no other. A batch a sink fails to take goes to the
 * writer's fallback, if it has one, as well: through a writer of its own, so that a fallback that
 * blocks (standard output a pipe nobody reads) holds up no record of the sink, and at most
 * {@link #FALLBACK_RECORDS} records of one failure, so that a long one does not pour the whole log
 * into a file nothing rotates (console.out); how many more there were is said once the sink works again.
 *
 * <p>A writer that takes another's place for the same destination ({@link #handOver}) writes nothing
 * before that one's thread has ended, however long its stop waited: two writers on one file each
 * counted its size and rotated it. Its records queue meanwhile, as many as its queue holds, the rest
 * dropped and counted as when its sink is slow.
 */
final class LogWriter {

    private static final int BATCH = 512;
    /**
     * Records of one failure of the sinks that go to the fallback, the rest counted: the first ones
     * tell what went wrong, the tail has the latest. A choice, not a measure: a bound on what one
     * failure adds to console.out, however long it lasts.
     */
    static final int FALLBACK_RECORDS = 1000;
    /**
     * How long the writer's end waits for its fallback's: short, since the fallback exists for a
     * standard output that may block, and the writer's stop may hold the log's monitor meanwhile.
     */
    private static final Duration FALLBACK_WAIT = Duration.ofMillis(200);
    /** Wakes the writer so that it sees {@link #stop}; never written. */
    private static final LogLine WAKE = new LogLine(null, "", "", "", "", "");

    private final String name;
    private final BlockingQueue<LogLine> queue;
    private final int capacity;
    /** Why a record was dropped when the queue had no room: which queue, and what sets its size. */
    private final String queueFull;
    private final List<LogSink> sinks;
    /** Writes the records a sink failed to take, on a thread of its own; null if none does. */
    private final LogWriter fallback;
    /** Records of the current failure given to the fallback, and those past the bound; writer thread only. */
    private int fallbackShown;
    private long fallbackHidden;
    private final String destination;
    /** Where the sinks write, as {@link #handOver} compares it ({@link LogSink#place}). */
    private final String place;
    private final LineFormat format;
    private final String bundle;
    private final Consumer<LogLine> notices;
    private final Consumer<LogLine> stillRunning;
    private final PrintStream errors;
    private final Clock clock;
    private final Thread thread;
    private final AtomicLong unreported = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Object endLock = new Object();
    /** Records dropped for want of a successor, not yet reported; guarded by endLock. */
    private long droppedAfterStop;
    /** The writer has ended and reported {@link #droppedAfterStop}: a later drop is reported on its own. */
    private boolean ended; // guarded by endLock
    /** Sinks whose last write failed; only the writer thread touches it. */
    private final Map<LogSink, Boolean> failing = new IdentityHashMap<>();
    private volatile boolean stopping;
    /** Set by the writer thread before its last look at the queue: what is queued after it is never written here. */
    private volatile boolean closed;
    /** The writer taking this one's place ({@link #handOver}), or null. */
    private volatile LogWriter successor;
    /** The writer whose place this one took for the same destination, whose end it awaits; or null. */
    private volatile LogWriter predecessor;

    /**
     * @param name what the writer's thread is called after: {@code msf-log-<name>}
     * @param capacity how many records its queue holds (queueSize)
     */
    LogWriter(String name, int capacity, List<LogSink> sinks, WriterSetup setup) {
        this.name = name;
        // Room for one failure: its records, the notice that further ones are not shown and their
        // count, and for each sink the lines that it fails and works again. No more, whatever
        // queueSize says (up to a million, allocated up front): it is built for every file writer
        // without a console, though most never take a record.
        int oneFailure = FALLBACK_RECORDS + 2 + 2 * sinks.size();
        int fallbackCapacity = Math.min(capacity, oneFailure);
        // Its drops named queueSize=1004, a size nobody set and raising queueSize does not change:
        // only a queueSize below one failure's room sizes it.
        String fallbackFull = "the fallback's queue (" + (capacity < oneFailure ? "queueSize=" + capacity
                : "one failure: " + oneFailure + " records") + ") was full";
        this.fallback = setup.fallback() == null ? null : new LogWriter(name + "-fallback", fallbackCapacity,
                List.of(setup.fallback()), setup.forFallback(fallbackFull));
        this.queue = setup.queue() != null ? setup.queue() : new ArrayBlockingQueue<>(capacity);
        this.capacity = capacity;
        this.queueFull = setup.queueFull() != null ? setup.queueFull() : writeQueueFull(capacity);
        this.sinks = List.copyOf(sinks);
        this.destination = sinks.stream().map(Object::toString).collect(Collectors.joining(" and "));
        this.place = sinks.stream().map(LogSink::place).collect(Collectors.joining(" and "));
        this.format = setup.format();
        this.bundle = setup.bundle();
        this.notices = setup.notices();
        this.stillRunning = setup.stillRunning();
        this.errors = setup.errors();
        this.clock = setup.clock();
        this.thread = new Thread(this::run, "msf-log-" + name);
        this.thread.setDaemon(true);
    }

    private static String writeQueueFull(int capacity) {
        return "the write queue (queueSize=" + capacity + ") was full";
    }

    void start() {
        if (fallback != null) {
            fallback.start();
        }
        thread.start();
    }

    /** What the writer's thread is named after, the same for the writer that replaces it. */
    String name() {
        return name;
    }

    /**
     * Queues a record; returns false, and counts it, if the queue is full. Once the writer stops,
     * a record goes to its successor ({@link #handOver}), or is counted as dropped without one.
     */
    boolean offer(LogLine line) {
        return offer(line, false);
    }

    /** @param report another writer's report of its drops: never counted as dropped nor reported again */
    private boolean offer(LogLine line, boolean report) {
        if (stopping) {
            return passOn(line, report);
        }
        if (!queue.offer(line)) {
            return report ? false : drop();
        }
        // A record let in just before the stop may have come after the writer's last look at the
        // queue: taken back, it is passed on; not found, the writer took it.
        if (closed && queue.remove(line)) {
            return passOn(line, report);
        }
        return true;
    }

    /**
     * Records offered once this writer stops go to {@code next} (not started yet: it queues them). If
     * it writes to the same destination (the same file, however its path is written, or the console:
     * {@link LogSink#place}), it writes only once this writer's
     * thread has ended, which a stop that waited in vain (a hung disk) does not wait for; to another
     * file (one moved away from that disk) at once.
     */
    void handOver(LogWriter next) {
        if (next.place.equals(place)) {
            next.predecessor = this;
        }
        successor = next;
    }

    /**
     * Queues another writer's report of records it dropped after its stop, if this writer runs and
     * has room; else it goes no further (the tail and stderr have it). It is never counted as dropped
     * nor reported, so that no report is dropped and reported again, and never waits.
     */
    void offerReport(LogLine report) {
        offer(report, true);
    }

    private boolean passOn(LogLine line, boolean report) {
        LogWriter next = successor;
        if (next != null) {
            return next.offer(line, report);
        }
        return report ? false : dropAfterStop();
    }

    private boolean dropAfterStop() {
        dropped.incrementAndGet();
        synchronized (endLock) {
            if (!ended) {
                droppedAfterStop++;
                return false;
            }
        }
        reportDroppedAfterStop(1);
        return false;
    }

    private boolean drop() {
        if (unreported.getAndIncrement() == 0) {
            // The writer waits for a record with no timeout: the first drop since its last report
            // wakes it, should it have emptied the queue meanwhile, so that the count is written
            // without waiting for the next record. A later one is seen by the report this one leads to.
            queue.offer(WAKE);
        }
        dropped.incrementAndGet();
        return false;
    }

    /** The size of the queue; for tests. */
    int capacity() {
        return capacity;
    }

    /** The writer of the records its sinks failed to take, or null; for tests. */
    LogWriter fallback() {
        return fallback;
    }

    /** Records dropped since this writer was created. */
    long dropped() {
        return dropped.get();
    }

    /**
     * Writes what is queued, flushes and closes the sinks, waiting at most {@code timeout}. Interrupted,
     * it waits no longer but the writer still ends on its own, and from then on a record with no
     * successor to take it is reported as dropped, as after a wait.
     *
     * @throws InterruptedException if the wait was interrupted: the writer was told to stop all the same
     */
    void stop(Duration timeout) throws InterruptedException {
        stopping = true;
        queue.offer(WAKE);
        try {
            thread.join(timeout.toMillis());
            if (thread.isAlive()) {
                LogWriter next = successor;
                boolean nextWaits = next != null && next.place.equals(place);
                errors.println("msf.log: the log writer for " + destination + " did not finish within " + timeout
                        + (nextWaits ? "; the one in its place writes there once it has ended, queueing up to"
                        + " queueSize records meanwhile" : "; records may be lost"));
            }
        } finally {
            reportDroppedWithoutSuccessor();
        }
    }

    /** With no writer in this one's place: the records dropped so far, once; each later one on its own. */
    private void reportDroppedWithoutSuccessor() {
        if (successor == null) {
            long count;
            synchronized (endLock) {
                ended = true;
                count = droppedAfterStop;
                droppedAfterStop = 0;
            }
            if (count > 0) {
                reportDroppedAfterStop(count);
            }
        }
    }

    /** Its sinks are closed: the tail, stderr and the writers still running are where the count can be read. */
    private void reportDroppedAfterStop(long count) {
        String message = "dropped " + count + " log record(s) for " + destination + ": they came after its writer"
                + " stopped (turned off, or the log stopping)";
        LogLine report = new LogLine(clock.instant(), "WARN", bundle, LogWriter.class.getName(), message, "");
        notices.accept(report);
        errors.println("msf.log: " + message);
        stillRunning.accept(report);
    }

    private void run() {
        awaitPredecessor();
        List<LogLine> batch = new ArrayList<>(BATCH);
        boolean done = false;
        while (!done) {
            try {
                // No timeout: stop and a drop offer WAKE, so an idle writer never wakes for nothing.
                batch.add(queue.take());
                queue.drainTo(batch, BATCH - 1);
            } catch (InterruptedException e) {
                stopping = true; // nobody interrupts this thread but the JVM going down: finish up
            }
            done = stopping && queue.isEmpty();
            reportDrops(batch);
            write(batch);
            batch.clear();
        }
        closed = true;
        queue.drainTo(batch); // what came in between the last look and closed (offer checks closed after)
        write(batch);
        endFallbackSpell();
        for (LogSink sink : sinks) {
            try {
                sink.close();
            } catch (IOException e) {
                errors.println("msf.log: cannot close " + sink + ": " + e);
            }
        }
        if (fallback != null) {
            fallback.endAsFallback(); // here, once nothing more is offered to it, even past stop's wait
        }
    }

    /** Until the writer this one replaces has closed the destination both write to, if there is one. */
    private void awaitPredecessor() {
        LogWriter previous = predecessor;
        if (previous == null) {
            return;
        }
        try {
            previous.thread.join();
        } catch (InterruptedException e) {
            stopping = true; // nobody interrupts this thread but the JVM going down: finish up
        }
        predecessor = null; // let go of it (and its queue) once it has ended
    }

    /**
     * Ends the fallback's writer, waiting {@link #FALLBACK_WAIT} at most: the records it has not
     * taken by then, and those its full queue dropped and it has not reported, are counted and
     * reported once, to the tail and the writers still running (not stderr: the same console as
     * standard output, likely, which is what holds the fallback up).
     */
    private void endAsFallback() {
        stopping = true;
        queue.offer(WAKE);
        try {
            thread.join(FALLBACK_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the JVM going down: count what is left
        }
        if (!thread.isAlive()) {
            return;
        }
        // The drops its full queue counted are reported here too: with a standard output blocked for
        // good its writer never reports them. Taken from it at once, so that a late wake reports only later ones.
        long full = unreported.getAndSet(0);
        List<LogLine> left = new ArrayList<>();
        queue.drainTo(left);
        // Its WAKE may have been drained, or found the queue full: its writer, should the output take
        // its batch after all, would wait for a record forever. There is room for one now.
        queue.offer(WAKE);
        long count = left.stream().filter(line -> line != WAKE).count();
        dropped.addAndGet(count);
        if (full + count == 0) {
            return;
        }
        String tookNone = "it took none within " + FALLBACK_WAIT.toMillis() + " ms once the log file's writer ended";
        String why = full == 0 ? tookNone : count == 0 ? queueFull
                : full + " as " + queueFull + ", " + count + " as " + tookNone;
        LogLine report = notice("dropped " + (full + count) + " log record(s) for " + destination + ": " + why);
        notices.accept(report);
        stillRunning.accept(report);
    }

    private void reportDrops(List<LogLine> batch) {
        long count = unreported.getAndSet(0);
        if (count > 0) {
            LogLine notice = new LogLine(clock.instant(), "WARN", bundle, LogWriter.class.getName(),
                    "dropped " + count + " log record(s) for " + destination + ": " + queueFull, "");
            notices.accept(notice);
            batch.add(notice);
        }
    }

    private void write(List<LogLine> batch) {
        List<LogLine> lines = new ArrayList<>(batch.size());
        List<String> records = new ArrayList<>(batch.size());
        for (LogLine line : batch) {
            if (line != WAKE) {
                lines.add(line);
                records.add(format.format(line));
            }
        }
        if (records.isEmpty()) {
            return;
        }
        boolean failed = false;
        for (LogSink sink : sinks) {
            try {
                for (String record : records) {
                    sink.write(record);
                }
                sink.flush();
                if (failing.remove(sink) != null) {
                    status("writing to " + sink + " works again");
                }
            } catch (IOException | RuntimeException e) {
                if (failing.put(sink, Boolean.TRUE) == null) {
                    status("cannot write to " + sink + ", its records " + (fallback == null
                            ? "are lost" : "go to " + fallback.destination + " (the first " + FALLBACK_RECORDS
                            + ", then how many more)") + " until it works again: " + e);
                }
                failed = true;
            }
        }
        if (failed) {
            toFallback(lines);
        } else {
            endFallbackSpell(); // every sink took the batch
        }
    }

    /**
     * The whole batch, the part of it that went into the failing sink included (a record twice is
     * better than one lost), up to the bound; the fallback's writer drops and counts what it has no room for.
     */
    private void toFallback(List<LogLine> lines) {
        if (fallback == null) {
            return;
        }
        for (LogLine line : lines) {
            if (fallbackShown < FALLBACK_RECORDS) {
                fallbackShown++;
                fallback.offer(line);
            } else if (fallbackHidden++ == 0) { // at the first one hidden: a failure of exactly the bound hides none
                fallback.offer(notice("further records are not shown here until " + destination
                        + " works again; see log:tail"));
            }
        }
    }

    /** The sinks work again, or the writer ends: how many records of the failure the fallback was not given. */
    private void endFallbackSpell() {
        if (fallbackHidden > 0) {
            fallback.offer(notice(fallbackHidden + " more log record(s) not shown here while " + destination
                    + " failed; see log:tail"));
        }
        fallbackShown = 0;
        fallbackHidden = 0;
    }

    /**
     * That a sink fails or works again, never on stderr from this thread, which with standard output and
     * stderr the same blocked console held up the sink just as it worked again: to the tail, always, since
     * log:tail is where an operator looks (and where the fallback's own notices send them); and through the
     * fallback if there is one, else, without waiting, to the writers still running (the console's, which
     * is beside a file that has no fallback, and this one, which writes it once its sink takes records).
     */
    private void status(String message) {
        LogLine notice = notice(message);
        notices.accept(notice);
        if (fallback != null) {
            fallback.offer(notice);
        } else {
            stillRunning.accept(notice);
        }
    }

    private LogLine notice(String message) {
        return new LogLine(clock.instant(), "WARN", bundle, LogWriter.class.getName(), message, "");
    }
}
