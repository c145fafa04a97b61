package io.msf.shell.client;

import io.msf.shell.protocol.ConsoleProtocol;
import io.msf.shell.protocol.Frame;
import io.msf.shell.protocol.FrameReader;
import io.msf.shell.protocol.FrameType;
import io.msf.shell.protocol.FrameWriter;
import io.msf.shell.protocol.Hello;
import io.msf.shell.protocol.ProtocolException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** One connection to a container's console socket, speaking {@link io.msf.shell.protocol}. */
final class ConsoleClient implements AutoCloseable {


    private final SocketChannel channel;
    private final FrameReader reader;
    private final FrameWriter writer;
    private final Hello hello;

    private ConsoleClient(SocketChannel channel, FrameReader reader, Hello hello) {
        this.channel = channel;
        this.reader = reader;
        this.hello = hello;
        this.writer = FrameWriter.ofClientFrames(channel, hello.maxLineBytes());
    }

    /**
     * Connects and reads the server's HELLO, closing the connection if that takes longer than
     * {@code timeout} (a blocking channel has no read timeout of its own).
     *
     * @throws CannotConnectException with a message for the operator: not running, wrong path,
     *     not allowed, busy, not answering, or not an msf console at all
     */
    static ConsoleClient connect(Path socket, Duration timeout) throws CannotConnectException {
        SocketChannel channel = null;
        Greeting greeting = null;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            greeting = Greeting.awaited(channel, timeout);
            channel.connect(UnixDomainSocketAddress.of(socket));
            FrameReader reader = FrameReader.ofServerFrames(channel);
            Frame first = reader.read();
            if (!greeting.arrived()) {
                throw new CannotConnectException(timedOut(socket, timeout), null);
            }
            if (first == null) {
                throw new ProtocolException("the server closed the connection without a greeting");
            }
            if (first.type() == FrameType.FAIL) {
                throw new CannotConnectException("the container refused the connection: " + first.text(), null);
            }
            Hello hello = Hello.from(first);
            if (!ConsoleProtocol.VERSION.equals(hello.version())) {
                throw new ProtocolException(
                        "it speaks " + hello.version() + ", this client " + ConsoleProtocol.VERSION);
            }
            return new ConsoleClient(channel, reader, hello);
        } catch (CannotConnectException e) {
            closeQuietly(channel);
            throw e;
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            if (greeting != null && !greeting.arrived()) {
                throw new CannotConnectException(timedOut(socket, timeout), e);
            }
            throw new CannotConnectException(explain(socket, e), e);
        }
    }

    private static String explain(Path socket, Exception e) {
        String prefix = "cannot connect to " + socket + ": ";
        if (Files.notExists(socket)) {
            return prefix + "no such socket; the container is not running, or the socket path is wrong "
                    + "(msf.data, msf.console socket)";
        }
        if (e instanceof AccessDeniedException || !Files.exists(socket)
                || String.valueOf(e.getMessage()).contains("Permission denied")) {
            return prefix + "permission denied; the console is owner-only: run as the user running the container";
        }
        if (e instanceof ConnectException) {
            return prefix + "connection refused; the container is not running (the socket file is left over) "
                    + "or the socket path is wrong";
        }
        if (e instanceof ProtocolException) {
            return prefix + "not an msf console (" + e.getMessage() + ")";
        }
        return prefix + e.getMessage();
    }

    private static String timedOut(Path socket, Duration timeout) {
        return "cannot connect to " + socket + ": the container did not answer within " + timeout.toMillis()
                + " ms (is it hung, or stopped with SIGSTOP?)";
    }

    /**
     * The wait for the server's first frame: the channel is closed when it has not come in time,
     * which ends a blocked connect or read. Whichever comes first, the frame or the timeout, wins.
     * The timeout runs on a thread of its own: on a shared pool (since Java 25 even
     * {@code CompletableFuture.delayedExecutor} runs its task in the common pool, one thread on two
     * cores) a task blocked elsewhere could hold it back, and the client would hang.
     */
    private static final class Greeting {

        private static final int WAITING = 0;
        private static final int ARRIVED = 1;
        private static final int TIMED_OUT = 2;

        private final AtomicInteger state = new AtomicInteger(WAITING);
        private final Thread timer;

        private Greeting(SocketChannel channel, Duration timeout) {
            timer = new Thread(() -> {
                try {
                    Thread.sleep(timeout.toMillis());
                } catch (InterruptedException e) {
                    return; // the greeting arrived
                }
                if (state.compareAndSet(WAITING, TIMED_OUT)) {
                    closeQuietly(channel);
                }
            }, "msf-console-greeting-timeout");
            timer.setDaemon(true);
        }

        static Greeting awaited(SocketChannel channel, Duration timeout) {
            Greeting greeting = new Greeting(channel, timeout);
            greeting.timer.start();
            return greeting;
        }

        /** Ends the wait; true unless the timeout came first (and closed the channel). */
        boolean arrived() {
            if (state.compareAndSet(WAITING, ARRIVED)) {
                timer.interrupt();
            }
            return state.get() == ARRIVED;
        }
    }

    /** The largest command line the server accepts, in UTF-8 bytes. */
    int maxLineBytes() {
        return hello.maxLineBytes();
    }

    /**
     * Runs one command, copying its output as it arrives.
     *
     * @return the exit code, and the failure message printed to {@code err}
     * @throws CommandNotSentException if the command could not be sent, and so was not run
     */
    int exec(String command, OutputStream out, OutputStream err) throws IOException {
        send(Frame.text(FrameType.EXEC, command), command);
        Frame status = copyOutputUntil(FrameType.STATUS, out, err);
        String message = status.statusMessage();
        if (!message.isEmpty()) {
            err.write(("msf: " + message + "\n").getBytes(StandardCharsets.UTF_8));
            err.flush();
        }
        return status.exitCode();
    }

    /**
     * Runs one console line (an empty one only asks for the prompt), copying its output.
     *
     * @return the prompt to show next
     */
    String line(String line, OutputStream out, OutputStream err) throws IOException {
        send(Frame.text(FrameType.LINE, line), line);
        return copyOutputUntil(FrameType.PROMPT, out, err).text();
    }

    /**
     * Sends a command. One that cannot be sent found the connection closed by the container (a
     * console left open while the container stopped): said so, rather than as the bare "Broken pipe"
     * of the socket.
     *
     * @throws CommandNotSentException if it could not be sent
     */
    private void send(Frame frame, String command) throws CommandNotSentException {
        try {
            writer.write(frame);
        } catch (IOException e) {
            throw new CommandNotSentException("the container closed the connection: '"
                    + Shown.start(command, false) + "' was not run (is the container stopping, or stopped?)", e);
        }
    }

    private Frame copyOutputUntil(FrameType end, OutputStream out, OutputStream err) throws IOException {
        while (true) {
            Frame frame = reader.read();
            if (frame == null) {
                // the server closes without a word when its output waits too long: it cannot cut
                // the frame it is writing short to send FAIL
                throw new IOException("the container closed the connection before the command finished "
                        + "(is it stopping, or was the output left unread longer than msf.console "
                        + "outputTimeoutMillis?)");
            }
            if (frame.type() == end) {
                out.flush();
                return frame;
            }
            switch (frame.type()) {
                case OUT -> copy(frame, out);
                // An error stream that cannot be written (2>&-) loses its lines, as a program's own would: the
                // command goes on while its output is read.
                case ERR -> err.write(frame.payload());
                case FAIL -> throw new IOException("the container closed the connection: " + frame.text());
                default -> throw new ProtocolException("unexpected " + frame + " while waiting for " + end);
            }
        }
    }

    /**
     * Writes a chunk of output on. A PrintStream (System.out) notes a write that failed and goes on: with its
     * reader gone ({@code bin/msf exec '...' | head -1}, head done) the client copied output no one took for as
     * long as the command ran, for ever for a loop, which held its client slot in the container all that time.
     *
     * @throws OutputClosedException if {@code to} can no longer be written
     */
    private static void copy(Frame frame, OutputStream to) throws IOException {
        to.write(frame.payload());
        if (to instanceof PrintStream printed && printed.checkError()) {
            throw new OutputClosedException();
        }
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    private static void closeQuietly(SocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Nothing left to tell the operator: the result is already known.
            }
        }
    }
}
