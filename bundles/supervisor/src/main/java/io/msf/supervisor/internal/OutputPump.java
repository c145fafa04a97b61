package io.msf.supervisor.internal;

import java.io.IOException;
import java.io.InputStream;
import org.osgi.service.log.Logger;

/**
 * Copies a process's stdout (stderr merged in) into its {@link RotatingLog} on a daemon thread
 * of its own, until its output ends. That is when the process and every descendant holding the
 * output have exited (or closed it) where the output is the FIFO {@link ChildSpawner} gives it; where
 * that falls back to the JDK's pipe, the JDK closes the pipe once the process exits, and what a
 * descendant writes later is lost. Reading keeps the output drained, so the process never blocks on
 * it being full.
 */
final class OutputPump implements Runnable {

    private static final int BUFFER = 8192;

    private final String name;
    private final InputStream in;
    private final RotatingLog log;
    private final Logger logger;
    private boolean warned;

    private OutputPump(String name, InputStream in, RotatingLog log, Logger logger) {
        this.name = name;
        this.in = in;
        this.log = log;
        this.logger = logger;
    }

    /**
     * Starts copying {@code in} to {@code log}; {@code name} names the process in the thread and errors.
     * If the thread cannot start, {@code in} is closed and the error thrown.
     */
    static void start(String name, long pid, InputStream in, RotatingLog log, Logger logger) {
        Thread thread = new Thread(new OutputPump(name, in, log, logger), "msf-proc-" + name + "-" + pid);
        thread.setDaemon(true);
        log.retain(in); // the log stays open until this copier's last write, even if the process is removed first
        try {
            thread.start();
        } catch (RuntimeException | Error e) {
            log.release(in);
            try {
                in.close(); // nothing will read it: no fd is left open for the caller to forget
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    @Override
    public void run() {
        byte[] buffer = new byte[BUFFER];
        try (in) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                write(buffer, read);
            }
        } catch (IOException e) {
            // closed under us (the process was killed, or the copier ended: RotatingLog#endCopiers): the end
            // of the output either way
        } finally {
            log.release(in);
        }
    }

    private void write(byte[] buffer, int length) {
        try {
            log.write(buffer, 0, length);
        } catch (IOException e) {
            // keep draining the pipe (a blocked child is worse than a gap in its log); say it once per run
            if (warned) {
                return;
            }
            warned = true;
            logger.warn("process '{}': cannot write its output to {}: {}", name, log.file(), e.getMessage());
        }
    }
}
