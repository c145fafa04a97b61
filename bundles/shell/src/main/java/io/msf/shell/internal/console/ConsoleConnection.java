package io.msf.shell.internal.console;

import io.msf.shell.internal.Failures;
import io.msf.shell.protocol.ConsoleProtocol;
import io.msf.shell.protocol.Frame;
import io.msf.shell.protocol.FrameReader;
import io.msf.shell.protocol.FrameType;
import io.msf.shell.protocol.FrameWriter;
import io.msf.shell.protocol.Hello;
import io.msf.shell.protocol.ProtocolException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.osgi.service.log.Logger;

/**
 * One console client: a Gogo session fed by EXEC and LINE frames, answered with output, then a
 * STATUS or a PROMPT. A frame the protocol does not allow ends this connection with a FAIL
 * frame saying why; nothing else is affected.
 */
final class ConsoleConnection implements Runnable {

    static final String PROMPT = "msf> ";

    private final int id;
    private final SocketChannel channel;
    private final CommandProcessor processor;
    private final int maxLineBytes;
    private final Logger log;
    private final FrameWriter writer;

    ConsoleConnection(int id, SocketChannel channel, CommandProcessor processor, int maxLineBytes, Logger log) {
        this.id = id;
        this.channel = channel;
        this.processor = processor;
        this.maxLineBytes = maxLineBytes;
        this.log = log;
        this.writer = FrameWriter.ofServerFrames(channel);
    }

    @Override
    public void run() {
        try {
            serve();
        } catch (ProtocolException e) {
            log.warn("console client #{}: {}; closing its connection", id, e.getMessage());
            try {
                writer.write(Frame.fail(e.getMessage()));
            } catch (IOException | RuntimeException gone) {
                log.debug("console client #{}: could not tell it why: {}", id, gone.toString());
            }
        } catch (IOException e) {
            // The client went away, or the console is stopping and closed the channel.
            log.debug("console client #{}: connection ended: {}", id, e.toString());
        } finally {
            close();
        }
    }

    /** Closes the connection; a blocked read or write in {@link #run} ends with an exception. */
    void close() {
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("console client #{}: close failed: {}", id, e.toString());
        }
    }

    private void serve() throws IOException {
        writer.write(new Hello(ConsoleProtocol.VERSION, maxLineBytes).toFrame());
        FrameReader reader = FrameReader.ofClientFrames(channel, maxLineBytes);
        FrameOutputStream out = new FrameOutputStream(writer, FrameType.OUT);
        FrameOutputStream err = new FrameOutputStream(writer, FrameType.ERR);
        CommandSession session = processor.createSession(InputStream.nullInputStream(), out, err);
        try {
            for (Frame frame = reader.read(); frame != null; frame = reader.read()) {
                String line = frame.text();
                log.debug("console client #{}: {} '{}'", id, frame.type(), line);
                String failure = execute(session, line, out);
                out.flush();
                if (frame.type() == FrameType.EXEC) {
                    err.flush();
                    writer.write(failure == null ? Frame.status(ConsoleProtocol.STATUS_OK, "")
                            : Frame.status(ConsoleProtocol.STATUS_FAILED, failure));
                } else {
                    if (failure != null) {
                        err.write((failure + "\n").getBytes(StandardCharsets.UTF_8));
                    }
                    err.flush();
                    writer.write(Frame.text(FrameType.PROMPT, PROMPT));
                }
            }
        } finally {
            session.close();
        }
    }

    /** Runs one line, printing its result as Gogo's own console does; the failure, or null. */
    private static String execute(CommandSession session, String line, OutputStream out) {
        if (line.isBlank()) {
            return null;
        }
        try {
            Object result = session.execute(line);
            if (result != null) {
                String text = String.valueOf(session.format(result, Converter.INSPECT));
                out.write(text.getBytes(StandardCharsets.UTF_8));
                if (!text.endsWith("\n")) {
                    out.write('\n');
                }
            }
            return null;
        } catch (Exception | LinkageError e) {
            // LinkageError: a command of a bundle being updated; the console must outlive it.
            return Failures.describe(e);
        }
    }
}
