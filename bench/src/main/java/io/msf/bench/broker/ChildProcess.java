package io.msf.bench.broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A process the driver starts (a server or the responder): its output goes to a log file, and
 * {@link #awaitReady} waits for the line that says it is ready. Stopped by closing its standard
 * input (the responder's signal), then SIGTERM, then SIGKILL, children first.
 */
final class ChildProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile String marker;
    private Thread pump;

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static ChildProcess start(String name, List<String> command, Map<String, String> environment, Path log,
            String readyMarker) throws IOException {
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        ChildProcess child = new ChildProcess(name, builder.start(), log);
        // run.sh stops what is listed here if the driver itself dies without cleaning up
        Files.writeString(log.getParent().resolve("children.pids"), child.process.pid() + "\n",
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        child.marker = readyMarker;
        child.pump = new Thread(child::pumpOutput, "output-" + name);
        child.pump.setDaemon(true);
        child.pump.start();
        return child;
    }

    /** Copies the output to the log, line by line, and notes the ready marker. */
    private void pumpOutput() {
        try (InputStream in = process.getInputStream(); OutputStream out = Files.newOutputStream(log)) {
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0) {
                out.write(b);
                if (b == '\n') {
                    out.flush();
                    if (marker != null && line.indexOf(marker) >= 0) {
                        ready.countDown();
                    }
                    line.setLength(0);
                } else {
                    line.append((char) b);
                }
            }
        } catch (IOException e) {
            // the process is gone; awaitReady reports it
        }
    }

    /** Waits for the ready marker; fails naming the log if the process ended or took too long. */
    ChildProcess awaitReady(long timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (!ready.await(100, TimeUnit.MILLISECONDS)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " ended (exit " + process.exitValue()
                        + ") before it was ready; see " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " not ready after " + timeoutSeconds + " s; see " + log);
            }
        }
        return this;
    }

    long pid() {
        return process.pid();
    }

    /** Waits for the process to end by itself (a command such as {@code bin/msf stop}); its exit code. */
    int waitFor(long timeoutSeconds) throws InterruptedException {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            close();
            throw new IllegalStateException(name + " did not finish within " + timeoutSeconds + " s; see " + log);
        }
        pump.join(TimeUnit.SECONDS.toMillis(5)); // the whole output is in the log
        return process.exitValue();
    }

    String output() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (process.waitFor(3, TimeUnit.SECONDS)) {
                return;
            }
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
