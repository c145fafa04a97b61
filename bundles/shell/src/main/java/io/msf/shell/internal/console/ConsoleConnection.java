package io.msf.shell.internal.console;

import io.msf.shell.internal.Failures;
import io.msf.shell.protocol.ConsoleProtocol;
import io.msf.shell.protocol.Frame;
import io.msf.shell.protocol.FrameReader;
import io.msf.shell.protocol.FrameType;
import io.msf.shell.protocol.FrameWriter;
import io.msf.shell.protocol.Hello;
import io.msf.shell.protocol.ProtocolException;
import io.msf.text.ControlCharacters;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.osgi.service.log.Logger;

/**
 * One console client: a Gogo session fed by EXEC and LINE frames, answered with output, then a
 * STATUS or a PROMPT. A frame the protocol does not allow ends this connection with a FAIL
 * frame saying why; nothing else is affected. A client that goes away ends its connection at
 * once, even while a command runs: that command is interrupted. So does one that stops inside a
 * frame ({@link ConsoleProtocol#FRAME_TIMEOUT_MILLIS}), and one that leaves its output unread for
 * longer than the output timeout ({@link #cutIfOutputUnread}); one that is silent between frames
 * (an operator at rest in an interactive console) keeps its connection.
 */
final class ConsoleConnection implements Runnable {

    static final String PROMPT = "msf> ";
    /** Gogo JLine's session variable for the last command's failure. */
    static final String EXCEPTION = "exception";
    /** The reader ends as soon as the channel is closed; this only bounds a wait that should be short. */
    private static final long READER_STOP_MILLIS = 1000;
    private static final Duration FRAME_TIMEOUT = Duration.ofMillis(ConsoleProtocol.FRAME_TIMEOUT_MILLIS);
    /** How often a command thread waiting for a frame looks at one that is arriving: 10 % late at most. */
    private static final long FRAME_CHECK_MILLIS = ConsoleProtocol.FRAME_TIMEOUT_MILLIS / 10;
    /** How much of a command's name the log shows. */
    private static final int MAX_NAME_CHARS = 64;
    /** The failure of a line whose nesting overflowed the stack of the thread running it. */
    static final String NESTED_TOO_DEEPLY = "command line nested too deeply for the console's stack: nest its"
            + " brackets and parentheses less deeply";

    private final int id;
    private final SocketChannel channel;
    private final CommandProcessor processor;
    private final SessionProfile profile;
    private final int maxLineBytes;
    private final NestedCommands nestedCommands;
    private final Logger log;
    private final FrameWriter writer;
    private final FrameReader reader;
    /**
     * Frames read and not yet run: a client may send its next lines before the answers to the last
     * (pipelining), up to {@link ConsoleProtocol#MAX_FRAMES_AHEAD} frames and
     * {@link ConsoleProtocol#MAX_BYTES_AHEAD} bytes. The reader never waits to hand one over: were
     * it to stop reading, it would not see the client leave, and the running command would run on.
     */
    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    /** The payload bytes of the frames waiting in {@link #frames}. */
    private final AtomicInteger bytesAhead = new AtomicInteger();
    /** The name of the command being run and answered, for the log; null between commands. */
    private volatile String running;

    ConsoleConnection(int id, SocketChannel channel, CommandProcessor processor, SessionProfile profile,
            int maxLineBytes, NestedCommands nestedCommands, Logger log) {
        this.id = id;
        this.channel = channel;
        this.processor = processor;
        this.profile = profile;
        this.maxLineBytes = maxLineBytes;
        this.nestedCommands = nestedCommands;
        this.log = log;
        this.writer = FrameWriter.ofServerFrames(channel);
        this.reader = FrameReader.ofClientFrames(channel, maxLineBytes);
    }

    /** Runs the client's commands on this thread, as its reader hands them over, until it ends. */
    @Override
    public void run() {
        Thread readerThread = null;
        try {
            writer.write(new Hello(ConsoleProtocol.VERSION, maxLineBytes).toFrame());
            try {
                readerThread = startReader(Thread.currentThread());
            } catch (OutOfMemoryError | RuntimeException e) {
                // "unable to create native thread": this client is told why, the others go on
                log.error("console client #{}: cannot start its reader thread: {}", id, e.toString());
                failQuietly("the console cannot serve this connection now: " + e);
                return;
            }
            serve();
        } catch (ProtocolException e) {
            // A frame that stopped arriving (the reader is still blocked in it); tell the client.
            log.warn("console client #{}: {}; closing its connection", id, e.getMessage());
            failQuietly(e.getMessage());
        } catch (InterruptedException e) {
            // The reader saw the client leave or break the protocol, or the console is stopping.
            log.debug("console client #{}: connection ended", id);
        } catch (IOException e) {
            // The client went away, or the console is stopping and closed the channel.
            log.debug("console client #{}: connection ended: {}", id, e.toString());
        } finally {
            close();
            if (readerThread != null) {
                // the reader waits for nothing but the channel, which the close ends
                awaitEnd(readerThread);
            }
        }
    }

    /**
     * Closes the connection if the frame being written to the client has waited longer than
     * {@code timeout} for it to read: the client stopped reading (a script that never reads, a
     * pager left open), and the command writing would wait for ever, holding the client's slot and
     * whatever locks it holds. The close ends that write; the caller interrupts the command, as
     * when a client leaves. Called by a watcher, so that the write itself stays cheap.
     *
     * @return true if it closed the connection
     */
    boolean cutIfOutputUnread(Duration timeout) {
        if (!channel.isOpen() || !writer.frameUnwrittenFor(timeout)) {
            return false;
        }
        String command = running;
        log.warn("console client #{}: output not read for {} ms (msf.console outputTimeoutMillis) while running {}; "
                + "closing its connection, which ends the command", id, timeout.toMillis(),
                command == null ? "no command" : command);
        close();
        return true;
    }

    /** Closes the connection; a blocked read or write in {@link #run} ends with an exception. */
    void close() {
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("console client #{}: close failed: {}", id, e.toString());
        }
    }

    /**
     * Reads the client's frames on a thread of their own, so that the end of the connection is
     * seen while a command runs too. Read on the command thread, between commands only, a client
     * killed (Ctrl-C) during a command that never returns left that command running and its
     * client slot taken for good.
     */
    private Thread startReader(Thread commands) {
        Thread thread = new Thread(() -> readFrames(commands), "msf-console-reader-" + id);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /**
     * Hands each frame over to {@link #serve}. When the client closes the connection (or its
     * sending side), or sends a frame the protocol does not allow (told with a FAIL frame), the
     * connection is closed and the command thread interrupted: a running command is stopped, as
     * Ctrl-C stops one at a local console, and nothing is written after the FAIL.
     */
    private void readFrames(Thread commands) {
        try {
            for (Frame frame = reader.read(); frame != null; frame = reader.read()) {
                frame.text(); // text that is not UTF-8 is refused as it arrives, not when its turn comes
                handOver(frame);
            }
            log.debug("console client #{}: closed the connection", id);
        } catch (ProtocolException e) {
            log.warn("console client #{}: {}; closing its connection", id, e.getMessage());
            failQuietly(e.getMessage());
        } catch (IOException e) {
            log.debug("console client #{}: connection ended: {}", id, e.toString());
        } finally {
            close();
            commands.interrupt();
        }
    }

    /**
     * Queues a frame for the command thread without waiting. One frame may always wait, whatever
     * its size; more only within the bounds, which keep a client that sends without waiting for
     * its answers from filling the heap.
     */
    private void handOver(Frame frame) throws ProtocolException {
        int waiting = frames.size();
        if (waiting > 0 && (waiting >= ConsoleProtocol.MAX_FRAMES_AHEAD
                || bytesAhead.get() + frame.length() > ConsoleProtocol.MAX_BYTES_AHEAD)) {
            throw new ProtocolException("more than " + ConsoleProtocol.MAX_FRAMES_AHEAD + " frames or "
                    + ConsoleProtocol.MAX_BYTES_AHEAD + " bytes sent ahead of their answers; send each command "
                    + "after the answer to the last");
        }
        bytesAhead.addAndGet(frame.length());
        frames.add(frame);
    }

    private void serve() throws IOException, InterruptedException {
        FrameOutputStream out = new FrameOutputStream(writer, FrameType.OUT);
        FrameOutputStream err = new FrameOutputStream(writer, FrameType.ERR);
        CommandSession session = processor.createSession(InputStream.nullInputStream(), out, err);
        ErrorStatus status = new ErrorStatus();
        NestedCommands.Session nested = nestedCommands.session();
        session.setJobListener(nested.beside(status)); // a session has one job listener
        Closeable terminal = SessionTerminal.attach(session, out);
        try {
            profile.apply(session, err);
            out.flush();
            while (true) {
                Frame frame = nextFrame();
                String line = frame.text();
                running = commandName(line);
                // not the line: its arguments may be a password or a token given to a command
                log.debug("console client #{}: {} {} ({} bytes)", id, frame.type(), running, frame.length());
                status.clear();
                String failure = execute(session, line, out);
                out.flush();
                if (frame.type() == FrameType.EXEC) {
                    err.flush();
                    // a command that told its failure itself and set an error status (cat, grep) fails
                    // the exec with no message of its own, as a shell's $?
                    writer.write(failure != null ? Frame.status(ConsoleProtocol.STATUS_FAILED, failure)
                            : status.failed() ? Frame.status(ConsoleProtocol.STATUS_FAILED, "")
                            : Frame.status(ConsoleProtocol.STATUS_OK, ""));
                } else {
                    if (failure != null) {
                        err.write((failure + "\n").getBytes(StandardCharsets.UTF_8));
                    }
                    err.flush();
                    writer.write(Frame.text(FrameType.PROMPT, PROMPT));
                }
                running = null;
            }
        } finally {
            session.close();
            nested.close();
            terminal.close();
        }
    }

    /**
     * The next frame the reader hands over. Between frames this waits for ever (an interactive
     * session may rest), but not for a frame whose first bytes came and the rest did not: a
     * client sends each frame at once, and one that stops inside a frame (on purpose or not)
     * would hold its client slot for good; a handful of them, every slot. Looked at while no
     * command runs: a running command holds the slot anyway, and ends when its client goes.
     */
    private Frame nextFrame() throws InterruptedException, ProtocolException {
        while (true) {
            Frame frame = frames.poll(FRAME_CHECK_MILLIS, TimeUnit.MILLISECONDS);
            if (frame != null) {
                bytesAhead.addAndGet(-frame.length());
                return frame;
            }
            if (reader.frameIncompleteFor(FRAME_TIMEOUT)) {
                throw new ProtocolException("frame not complete " + FRAME_TIMEOUT.toSeconds()
                        + " s after its first byte; a frame is sent whole");
            }
        }
    }

    /** Tells the client why, and ends the connection: a command writing meanwhile writes nothing after the FAIL. */
    private void failQuietly(String reason) {
        try {
            writer.writeLastAndClose(Frame.fail(reason));
        } catch (IOException | RuntimeException gone) {
            log.debug("console client #{}: could not tell it why: {}", id, gone.toString());
        }
    }

    /**
     * The first word of a command line, cut to a length: enough for the log to say what ran,
     * without the arguments (which may be a password given to a command).
     */
    private static String commandName(String line) {
        String trimmed = line.strip();
        int end = 0;
        while (end < trimmed.length() && end < MAX_NAME_CHARS && !Character.isWhitespace(trimmed.charAt(end))) {
            end++;
        }
        return end == 0 ? "an empty line" : trimmed.substring(0, end);
    }

    private static void awaitEnd(Thread thread) {
        try {
            thread.join(READER_STOP_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Runs one line, printing its result as Gogo's own console does; the failure, or null. The
     * failure's text is the client's to print: control characters in it (a peer's error, an
     * exception quoting what it was given) are made visible ({@link ControlCharacters#escaped}).
     */
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
            // Kept as the local console keeps it, for the profile's `e` (its stack trace, printed
            // through the session's streams: into this client's output).
            session.put(EXCEPTION, e);
            return ControlCharacters.escaped(Failures.ofLine(e, line, session));
        } catch (StackOverflowError e) {
            // Gogo reads a line recursively: thousands of nested brackets or parentheses overflow
            // this thread's stack, and the error, uncaught, ended the connection. The stack is
            // unwound by now; the session goes on as after any failed line. (Nested $( ) are
            // nested commands, which maxNestedCommands bounds.)
            return NESTED_TOO_DEEPLY;
        }
    }
}
