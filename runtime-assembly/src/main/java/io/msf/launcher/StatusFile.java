package io.msf.launcher;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Child mode ({@code -Dmsf.status.file=<file>}): a small status file rewritten every second, and
 * at once when the container becomes ready, from which the parent's {@code proc:list} reads
 * readiness and heap without talking to this JVM. Java properties: {@code ready} (true once the
 * ready line was printed), {@code readyMillis} (its N, or -1), {@code heapUsed},
 * {@code heapCommitted}, {@code heapMax} (bytes). Written beside and renamed into place, so a
 * reader never sees half a file. The heap comes from {@link Runtime} rather than the memory
 * MXBean: loading java.management would slow down the start this file is meant to report.
 */
final class StatusFile implements Runnable {

    static final String STATUS_FILE = "msf.status.file";
    private static final long INTERVAL_MILLIS = 1000;
    private static final long READY_POLL_MILLIS = 20;

    private final File file;
    private final File partial;
    private final LongSupplier readyMillis;

    /** @param readyMillis milliseconds from JVM start to ready, or -1 while not ready */
    private StatusFile(File file, LongSupplier readyMillis) {
        this.file = file;
        this.partial = new File(file.getPath() + ".tmp");
        this.readyMillis = readyMillis;
    }

    /** Starts the writer thread if {@code path} is set. */
    static void start(String path, LongSupplier readyMillis) {
        if (path == null || path.isBlank()) {
            return;
        }
        Thread writer = new Thread(new StatusFile(new File(path.trim()), readyMillis), "msf-status");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void run() {
        try {
            long written = -1;
            long lastReady = Long.MIN_VALUE;
            while (!Thread.currentThread().isInterrupted()) {
                long ready = readyMillis.getAsLong();
                long now = System.nanoTime();
                // readiness is written as soon as it is seen (the parent times restarts by it), heap once a second
                if (ready != lastReady || now - written >= TimeUnit.MILLISECONDS.toNanos(INTERVAL_MILLIS)) {
                    write(ready);
                    lastReady = ready;
                    written = now;
                }
                TimeUnit.MILLISECONDS.sleep(READY_POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void write(long ready) {
        Runtime runtime = Runtime.getRuntime();
        long committed = runtime.totalMemory();
        String text = "ready=" + (ready >= 0) + "\nreadyMillis=" + ready + "\nheapUsed=" + (committed - runtime.freeMemory())
                + "\nheapCommitted=" + committed + "\nheapMax=" + runtime.maxMemory() + "\n";
        try (FileOutputStream out = new FileOutputStream(partial)) {
            out.write(text.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return; // the data folder is gone (the container is being removed): nothing to report to
        }
        partial.renameTo(file);
    }
}
