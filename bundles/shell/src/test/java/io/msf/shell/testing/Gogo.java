package io.msf.shell.testing;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The real Gogo runtime, outside OSGi: a command processor with its thread I/O.
 *
 * <p>Gogo's thread I/O replaces {@code System.out}, {@code err} and {@code in} for the whole JVM
 * while it runs, and puts its own back whenever a command starts or ends ({@code setStreams},
 * {@code close}), even after it was stopped. A command still ending when a test closes this (one
 * a test interrupted, say) would then leave them replaced for every later test, each of which
 * would fail with "Thread Print Stream already set". So {@link #close} waits for the commands
 * still running first.
 */
public final class Gogo implements AutoCloseable {

    private static final long COMMANDS_END_WAIT_MILLIS = 10_000;

    /** What a command line gave: its printed output and result, or its failure. */
    public record Outcome(String output, Exception failure) {
    }

    private final CountingThreadIO threadIO = new CountingThreadIO();
    private final CommandProcessorImpl processor;

    public Gogo() {
        threadIO.start();
        processor = new CommandProcessorImpl(threadIO);
    }

    public CommandProcessor processor() {
        return processor;
    }

    /** Registers functions of {@code target} under {@code scope}, as the Gogo whiteboard does. */
    public Gogo add(String scope, Object target, String... functions) {
        for (String function : functions) {
            processor.addCommand(scope, target, function);
        }
        return this;
    }

    /** Runs a line in a new session, printing the result as a console would. */
    public Outcome run(String line) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CommandSession session = processor.createSession(InputStream.nullInputStream(), out, out)) {
            Object result = session.execute(line);
            if (result != null) {
                String text = String.valueOf(session.format(result, Converter.INSPECT));
                out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
            }
            return new Outcome(out.toString(StandardCharsets.UTF_8), null);
        } catch (Exception e) {
            return new Outcome(out.toString(StandardCharsets.UTF_8), e);
        }
    }

    /** Stops Gogo once every command under way has ended; fails if one has not within 10 s. */
    @Override
    public void close() {
        processor.stop();
        try {
            Awaitility.await().pollInterval(Duration.ofMillis(5)).atMost(Duration.ofMillis(COMMANDS_END_WAIT_MILLIS))
                    .until(() -> threadIO.running.get() == 0);
        } catch (ConditionTimeoutException e) {
            // stopped all the same below; the test that left a command running fails, not the later ones
        }
        int running = threadIO.running.get();
        threadIO.stop();
        if (running > 0) {
            throw new IllegalStateException(running + " Gogo command(s) still running "
                    + COMMANDS_END_WAIT_MILLIS + " ms after the test: later tests would find System.out replaced");
        }
    }

    /** Counts the commands under way: Gogo sets a command's streams as it starts and closes them as it ends. */
    private static final class CountingThreadIO extends ThreadIOImpl {

        final AtomicInteger running = new AtomicInteger();

        @Override
        public void setStreams(InputStream in, PrintStream out, PrintStream err) {
            running.incrementAndGet();
            super.setStreams(in, out, err);
        }

        @Override
        public void close() {
            try {
                super.close();
            } finally {
                running.decrementAndGet();
            }
        }
    }
}
