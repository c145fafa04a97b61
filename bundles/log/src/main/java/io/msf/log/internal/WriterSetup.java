package io.msf.log.internal;

import io.msf.log.api.LogLine;
import java.io.PrintStream;
import java.time.Clock;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * What a {@link LogWriter} is made of beside its name, capacity and sinks. The writers of one log
 * share it but for the fallback; tests vary the rest (a queue of their own, where errors go) with
 * the {@code with} methods, each of which returns a copy.
 *
 * @param fallback where the records of a batch a sink failed to take go as well (null: none), for a
 *                 file with no console writer beside it: else they were lost, the tail aside
 * @param queue the writer's queue, of its capacity; null: a new one. Given by tests that hold a record
 *              on its way in
 * @param queueFull why a record was dropped when the queue had no room: which queue, and what sets its
 *                  size (null: the write queue, sized by queueSize)
 * @param bundle the symbolic name the writer's own records (drop counts) carry
 * @param notices receives the writer's own records too, e.g. for the tail
 * @param stillRunning receives the report of records dropped once the writer stopped with none in its
 *                     place, which its closed sinks cannot take, and, with no fallback, that a sink fails
 *                     or works again: it offers them to the writers still running
 *                     ({@link LogWriter#offerReport}), without waiting
 * @param errors where the writer tells what the log may no longer take: that it did not finish in time,
 *               records dropped once it stopped, a sink it could not close
 */
record WriterSetup(LogSink fallback, BlockingQueue<LogLine> queue, String queueFull, LineFormat format,
        String bundle, Consumer<LogLine> notices, Consumer<LogLine> stillRunning, PrintStream errors, Clock clock) {

    /** With no fallback, and a queue of the writer's own. */
    static WriterSetup of(LineFormat format, String bundle, Consumer<LogLine> notices,
            Consumer<LogLine> stillRunning, PrintStream errors, Clock clock) {
        return new WriterSetup(null, null, null, format, bundle, notices, stillRunning, errors, clock);
    }

    WriterSetup withFallback(LogSink fallback) {
        return new WriterSetup(fallback, queue, queueFull, format, bundle, notices, stillRunning, errors, clock);
    }

    WriterSetup withQueue(BlockingQueue<LogLine> queue) {
        return new WriterSetup(fallback, queue, queueFull, format, bundle, notices, stillRunning, errors, clock);
    }

    /** The setup of a writer's fallback writer: no fallback of its own, and its own wording of a full queue. */
    WriterSetup forFallback(String queueFull) {
        return new WriterSetup(null, null, queueFull, format, bundle, notices, stillRunning, errors, clock);
    }

    WriterSetup withStillRunning(Consumer<LogLine> stillRunning) {
        return new WriterSetup(fallback, queue, queueFull, format, bundle, notices, stillRunning, errors, clock);
    }

    WriterSetup withErrors(PrintStream errors) {
        return new WriterSetup(fallback, queue, queueFull, format, bundle, notices, stillRunning, errors, clock);
    }

    WriterSetup withClock(Clock clock) {
        return new WriterSetup(fallback, queue, queueFull, format, bundle, notices, stillRunning, errors, clock);
    }
}
