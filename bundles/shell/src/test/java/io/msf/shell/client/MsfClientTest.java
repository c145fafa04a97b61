package io.msf.shell.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.shell.protocol.Frame;
import io.msf.shell.protocol.FrameReader;
import io.msf.shell.protocol.FrameType;
import io.msf.shell.protocol.FrameWriter;
import io.msf.shell.protocol.Hello;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against servers that misbehave; the real server is in the console tests. */
class MsfClientTest {

    /** What one accepted connection does, on the server's side. */
    @FunctionalInterface
    interface Peer {
        void serve(SocketChannel connection) throws IOException;
    }

    @TempDir
    Path temp;

    private ServerSocketChannel server;
    private CompletableFuture<Void> served;

    @AfterEach
    void stopServer() throws Exception {
        if (server != null) {
            server.close();
            served.get();
        }
    }

    @Test
    void helpExitsZero() {
        Result result = run("--help");

        assertThat(result.exit()).isEqualTo(MsfClient.EXIT_OK);
        assertThat(result.out()).startsWith("usage: MsfClient <socketPath> exec <command...>");
    }

    @Test
    void badUsageExitsTwoWithTheUsage() {
        for (String[] args : new String[][] {{}, {"/tmp/x.sock"}, {"/tmp/x.sock", "exec"}, {"/tmp/x.sock", "run", "lb"},
            {"/tmp/x.sock", "console", "extra"}}) {
            Result result = run(args);

            assertThat(result.exit()).as(String.join(" ", args)).isEqualTo(MsfClient.EXIT_NOT_RUN);
            assertThat(result.err()).startsWith("usage:");
        }
    }

    @Test
    void somethingElseOnTheSocketIsNotAnMsfConsole() throws IOException {
        Path socket = serve(connection -> connection.write(ByteBuffer.wrap(
                "SSH-2.0-OpenSSH_9.6\r\n".getBytes(StandardCharsets.US_ASCII))));

        Result result = run(socket.toString(), "exec", "lb");

        assertThat(result.exit()).isEqualTo(MsfClient.EXIT_NOT_RUN);
        assertThat(result.err()).startsWith("msf: cannot connect to " + socket + ": not an msf console (");
    }

    @Test
    void aServerThatHangsUpAtOnceRunsNothing() throws IOException {
        Path socket = serve(SocketChannel::close);

        Result result = run(socket.toString(), "exec", "lb");

        assertThat(result.exit()).isEqualTo(MsfClient.EXIT_NOT_RUN);
        assertThat(result.err()).contains("closed the connection without a greeting");
    }

    @Test
    void aServerThatNeverGreetsRunsNothingAndSaysSoInsteadOfHanging() throws IOException {
        Path socket = serve(connection -> {
            // A hung container: the connection is taken, and nothing ever comes.
            connection.read(ByteBuffer.allocate(1));
        });

        long start = System.nanoTime();
        Result result = run(Duration.ofMillis(300), socket.toString(), "exec", "lb");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(result.exit()).isEqualTo(MsfClient.EXIT_NOT_RUN);
        assertThat(result.err()).isEqualTo("msf: cannot connect to " + socket + ": the container did not answer within "
                + "300 ms (is it hung, or stopped with SIGSTOP?)\n");
    }

    @Test
    void anotherProtocolVersionIsRefused() throws IOException {
        Path socket = serve(c -> FrameWriter.ofServerFrames(c).write(new Hello("msf-console/2", 100).toFrame()));

        Result result = run(socket.toString(), "exec", "lb");

        assertThat(result.exit()).isEqualTo(MsfClient.EXIT_NOT_RUN);
        assertThat(result.err()).contains("it speaks msf-console/2, this client msf-console/1");
    }

    @Test
    void connectionLostWhileTheCommandRunsExitsOne() throws IOException {
        Path socket = serve(connection -> {
            FrameWriter writer = FrameWriter.ofServerFrames(connection);
            writer.write(new Hello("msf-console/1", 100).toFrame());
            FrameReader.ofClientFrames(connection, 100).read();
            writer.write(Frame.text(FrameType.OUT, "partial "));
            connection.close();
        });

        Result result = run(socket.toString(), "exec", "lb");

        assertThat(result.exit()).isEqualTo(MsfClient.EXIT_FAILED);
        assertThat(result.out()).isEqualTo("partial ");
        assertThat(result.err()).contains("closed the connection before the command finished (is it stopping, "
                + "or was the output left unread longer than msf.console outputTimeoutMillis?)");
    }

    /**
     * The container closed the connection (stopping) between its greeting and the command: the client
     * said "'lb' was not run" and exited 1, the code of a command that failed, where a script that tries
     * again a command not run (2) would have tried again.
     */
    @Test
    void anExecThatCannotBeSentExitsTwoAsNotRun() throws IOException {
        CountDownLatch clientDone = new CountDownLatch(1);
        Path socket = serve(connection -> {
            connection.shutdownInput(); // what the client sends now fails at once (EPIPE)
            FrameWriter.ofServerFrames(connection).write(new Hello("msf-console/1", 100).toFrame());
            try {
                clientDone.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        Result result = run(socket.toString(), "exec", "lb");
        clientDone.countDown();

        assertThat(result.exit()).isEqualTo(MsfClient.EXIT_NOT_RUN);
        assertThat(result.err()).isEqualTo("msf: the container closed the connection: 'lb' was not run (is the"
                + " container stopping, or stopped?)\n");
    }

    /**
     * The container stopped while an interactive console waited for the operator's next line: the
     * line then failed to be sent, and all the console said was "msf: Broken pipe".
     */
    @Test
    void aConsoleWhoseContainerWentAwaySaysSoAtTheNextLine() throws Exception {
        CountDownLatch closed = new CountDownLatch(1);
        Path socket = serve(connection -> {
            FrameWriter writer = FrameWriter.ofServerFrames(connection);
            writer.write(new Hello("msf-console/1", 100).toFrame());
            FrameReader.ofClientFrames(connection, 100).read();
            writer.write(Frame.text(FrameType.PROMPT, "msf> "));
            connection.close();
            closed.countDown();
        });
        InputStream typed = new InputStream() {
            private final InputStream line = new ByteArrayInputStream("msf:info\n".getBytes(StandardCharsets.UTF_8));

            @Override
            public int read() throws IOException {
                try {
                    closed.await(); // the operator types once the container is gone
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                return line.read();
            }
        };

        Result result = run(typed, MsfClient.GREETING_TIMEOUT, socket.toString(), "console");

        assertThat(result.exit()).isEqualTo(MsfClient.EXIT_FAILED);
        assertThat(result.err()).isEqualTo("msf: the container closed the connection: 'msf:info' was not run (is"
                + " the container stopping, or stopped?)\n");
    }

    @Test
    void errorOutputGoesToStandardErrorAndTheExitCodeIsTheServers() throws IOException {
        Path socket = serve(connection -> {
            FrameWriter writer = FrameWriter.ofServerFrames(connection);
            writer.write(new Hello("msf-console/1", 100).toFrame());
            Frame exec = FrameReader.ofClientFrames(connection, 100).read();
            writer.write(Frame.text(FrameType.OUT, "ran " + exec.text() + "\n"));
            writer.write(Frame.text(FrameType.ERR, "warning\n"));
            writer.write(Frame.status(1, "it failed"));
        });

        Result result = run(socket.toString(), "exec", "a", "b");

        assertThat(result).isEqualTo(new Result(MsfClient.EXIT_FAILED, "ran a b\n", "warning\nmsf: it failed\n"));
    }

    /**
     * A line longer than the container takes is told too long from its start, whatever that start is: cut
     * short, its blank start was taken as a blank line and skipped, the command after it never run nor
     * counted, and the script ended 0.
     */
    @Test
    void aScriptLineTooLongIsAFailureEvenWhenItsStartIsBlank() throws IOException {
        CountDownLatch clientDone = new CountDownLatch(1);
        Path socket = serve(connection -> {
            FrameWriter.ofServerFrames(connection).write(new Hello("msf-console/1", 100).toFrame());
            awaitQuietly(clientDone);
        });
        String input = " ".repeat(150) + "lb\n" + "exit" + " ".repeat(150) + "lb\n";

        Result result = run(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                MsfClient.GREETING_TIMEOUT, socket.toString(), "console", MsfClient.SCRIPT);
        clientDone.countDown();

        assertThat(result.exit()).as(result.err()).isEqualTo(MsfClient.EXIT_FAILED);
        assertThat(result.err()).contains("msf: line 1 failed: ...", "msf: line 2 failed: exit...");
    }

    /** The same at an interactive console: told too long, not skipped as blank, nor taken as exit. */
    @Test
    void aConsoleLineTooLongIsToldSoEvenWhenItsStartIsBlankOrExit() throws IOException {
        Path socket = serve(connection -> {
            FrameWriter writer = FrameWriter.ofServerFrames(connection);
            writer.write(new Hello("msf-console/1", 100).toFrame());
            FrameReader reader = FrameReader.ofClientFrames(connection, 100);
            for (Frame line = reader.read(); line != null; line = reader.read()) {
                writer.write(Frame.text(FrameType.PROMPT, "msf> "));
            }
        });
        String input = " ".repeat(150) + "lb\n" + "exit" + " ".repeat(150) + "lb\n";

        Result result = run(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                MsfClient.GREETING_TIMEOUT, socket.toString(), "console");

        assertThat(result.err().lines().filter(line -> line.contains("is too long"))).hasSize(2);
    }

    /**
     * Standard error that cannot be written (2>&-) loses the command's error lines, and only them: the
     * command ran on to its end, its output written and its status the exit code, where it was ended as if
     * its output's reader had gone.
     */
    @Test
    void anErrorStreamThatCannotBeWrittenEndsNothing() throws IOException {
        Path socket = serve(connection -> {
            FrameWriter writer = FrameWriter.ofServerFrames(connection);
            writer.write(new Hello("msf-console/1", 100).toFrame());
            FrameReader.ofClientFrames(connection, 100).read();
            writer.write(Frame.text(FrameType.ERR, "warning\n"));
            writer.write(Frame.text(FrameType.OUT, "done\n"));
            writer.write(Frame.status(0, ""));
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream closedErr = new PrintStream(OutputStream.nullOutputStream());
        closedErr.close();

        int exit = MsfClient.run(new String[] {socket.toString(), "exec", "lb"}, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), closedErr, MsfClient.GREETING_TIMEOUT);

        assertThat(closedErr.checkError()).isTrue();
        assertThat(exit).isEqualTo(MsfClient.EXIT_OK);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("done\n");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Path serve(Peer peer) throws IOException {
        Path socket = temp.resolve("fake.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        served = CompletableFuture.runAsync(() -> {
            try (SocketChannel connection = server.accept()) {
                peer.serve(connection);
            } catch (IOException e) {
                // The test ended the server, or the client went away: both are the test's business.
            }
        });
        return socket;
    }

    private record Result(int exit, String out, String err) {
    }

    private static Result run(String... args) {
        return run(MsfClient.GREETING_TIMEOUT, args);
    }

    private static Result run(Duration greetingTimeout, String... args) {
        return run(new ByteArrayInputStream(new byte[0]), greetingTimeout, args);
    }

    private static Result run(InputStream in, Duration greetingTimeout, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = MsfClient.run(args, in,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                greetingTimeout);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
