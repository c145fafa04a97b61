package io.msf.shell.testing;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;

/** The real Gogo runtime, outside OSGi: a command processor with its thread I/O. */
public final class Gogo implements AutoCloseable {

    /** What a command line gave: its printed output and result, or its failure. */
    public record Outcome(String output, Exception failure) {
    }

    private final ThreadIOImpl threadIO = new ThreadIOImpl();
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

    @Override
    public void close() {
        processor.stop();
        threadIO.stop();
    }
}
