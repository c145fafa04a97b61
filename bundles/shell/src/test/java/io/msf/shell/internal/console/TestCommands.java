package io.msf.shell.internal.console;

import java.lang.ref.WeakReference;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.felix.service.command.Job;
import org.apache.felix.service.command.Process;

/** Commands for the console tests, registered with the real Gogo runtime under scope {@code test}. */
public final class TestCommands {

    static final String[] FUNCTIONS = {"echo", "fail", "big", "print", "block", "flood", "count", "remember",
        "collected"};

    /** Counts the {@code test:block} commands that started. */
    static final Semaphore BLOCKS_STARTED = new Semaphore(0);
    /** Counts the {@code test:block} commands that ended, interrupted. */
    static final Semaphore BLOCKS_INTERRUPTED = new Semaphore(0);
    /** Counts the {@code test:flood} commands that ended. */
    static final Semaphore FLOODS_ENDED = new Semaphore(0);
    /** Counts the {@code test:count} commands that ran. */
    static final Semaphore COUNTED = new Semaphore(0);

    /** The jobs {@code test:remember} ran in, weakly held. */
    static final List<WeakReference<Job>> REMEMBERED = new CopyOnWriteArrayList<>();
    /** How many of them the last {@code test:collected} found collected. */
    static final AtomicInteger COLLECTED = new AtomicInteger();

    public String echo(String... words) {
        return String.join(" ", words);
    }

    /**
     * Remembers the job it runs in, weakly: whether Gogo still holds it once it is done. Its own job, its pipe's
     * ({@code Job.Utils.current()} is the command line's, the top of the jobs above it).
     */
    public void remember() {
        REMEMBERED.add(new WeakReference<>(Process.Utils.current().job()));
    }

    /** Collects garbage until every remembered job is gone, for 5 s at most; sets {@link #COLLECTED}. */
    public void collected() throws InterruptedException {
        for (int round = 0; round < 50; round++) {
            System.gc();
            COLLECTED.set((int) REMEMBERED.stream().filter(job -> job.get() == null).count());
            if (COLLECTED.get() == REMEMBERED.size()) {
                return;
            }
            Thread.sleep(100);
        }
    }

    /** A command that only says it ran. */
    public void count() {
        COUNTED.release();
    }

    public String fail(String message) {
        throw new IllegalArgumentException(message);
    }

    /** A result longer than one output chunk. */
    public String big(int length) {
        return "x".repeat(length);
    }

    /** Output a command prints rather than returns. */
    public void print(int lines) {
        for (int i = 1; i <= lines; i++) {
            System.out.println("line " + i);
        }
    }

    /** A command that never returns by itself, as a loop or a wait without timeout would. */
    public String block() {
        BLOCKS_STARTED.release();
        try {
            Thread.sleep(Long.MAX_VALUE);
            return "woke";
        } catch (InterruptedException e) {
            BLOCKS_INTERRUPTED.release();
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Output without end, as {@code lb} in a loop: a line at a time until the command is interrupted. */
    public void flood() {
        try {
            for (long line = 1; !Thread.currentThread().isInterrupted(); line++) {
                System.out.println("line " + line);
            }
        } finally {
            FLOODS_ENDED.release();
        }
    }
}
