package io.msf.shell.internal.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;

import io.msf.shell.client.MsfClient;
import io.msf.shell.protocol.ConsoleProtocol;
import io.msf.shell.protocol.Frame;
import io.msf.shell.protocol.FrameType;
import io.msf.shell.testing.Gogo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.apache.felix.gogo.jline.Procedural;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.Mockito;
import org.osgi.service.log.Logger;

/**
 * Clients that do not keep to request and answer, on a real socket: one that stops reading its
 * output, and one that sends commands ahead of their answers (pipelining) and leaves.
 */
class ConsoleConnectionTest {

    private static final int MAX_CLIENTS = 2;
    private static final int MAX_LINE_BYTES = 64 * 1024;
    private static final int MAX_NESTED_COMMANDS = 50;
    private static final Duration OUTPUT_TIMEOUT = Duration.ofSeconds(2);

    @TempDir
    Path temp;

    private final Gogo gogo = new Gogo().add("test", new TestCommands(), TestCommands.FUNCTIONS)
            .add("gogo", new Procedural(), "while", "each");
    private final Logger log = mock(Logger.class);
    private Path socket;
    private ConsoleListener listener;

    @BeforeEach
    void listen() throws IOException {
        Path dataDir = temp.resolve("data");
        socket = dataDir.resolve("msf.sock");
        listener = ConsoleListener.open(socket, dataDir, MAX_CLIENTS, MAX_LINE_BYTES, OUTPUT_TIMEOUT,
                MAX_NESTED_COMMANDS, gogo.processor(), SessionProfile.NONE, log);
        TestCommands.BLOCKS_STARTED.drainPermits();
        TestCommands.BLOCKS_INTERRUPTED.drainPermits();
        TestCommands.FLOODS_ENDED.drainPermits();
        TestCommands.COUNTED.drainPermits();
    }

    @AfterEach
    void stop() {
        listener.close();
        gogo.close();
    }

    /**
     * Clients that never read held their command's thread in a write for good, with their slots
     * (and any lock the command held): here every slot. They are cut after the output timeout,
     * which interrupts their commands, and the log says which client and why. The timeout is for
     * output left unread, not for the command: a client that then pauses while output waits for it
     * (each time shorter than the timeout, longer in all) gets all of its output.
     */
    @Test
    @Timeout(30)
    void clientsThatStopReadingAreCutAndTheirCommandsEndButOneThatPausesIsNot() throws Exception {
        long started = System.nanoTime();
        try (RawClient first = RawClient.greeted(socket); RawClient second = RawClient.greeted(socket)) {
            exec(first, "test:flood");
            exec(second, "test:flood");

            assertThat(TestCommands.FLOODS_ENDED.tryAcquire(MAX_CLIENTS, 15, TimeUnit.SECONDS))
                    .as("the commands of clients that stopped reading ended").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(OUTPUT_TIMEOUT);
            await().untilAsserted(() -> assertThat(ClientRun.exec(socket, "test:echo", "in").out())
                    .isEqualTo("in\n"));
        }
        assertThat(warnings()).filteredOn(line -> line.contains("output not read")).hasSize(MAX_CLIENTS)
                .allSatisfy(line -> assertThat(line).matches("console client #[12]: output not read for 2000 ms "
                        + "\\(msf.console outputTimeoutMillis\\) while running test:flood; closing its connection, "
                        + "which ends the command"));

        try (RawClient pausing = RawClient.greeted(socket)) {
            assertThat(readPausing(pausing, "test:print 200000")).startsWith("line 1\n")
                    .endsWith("\nline 200000\n");
        }
    }

    /**
     * Runs a command whose output (2 MB) is far more than the socket holds (about 200 KB), pausing
     * three times for 2/5 of the timeout, each time with the server's write waiting; after each
     * pause it reads more than the socket holds, so that write has gone on. Its output, which must
     * end with a STATUS 0.
     */
    private static String readPausing(RawClient client, String command) throws Exception {
        exec(client, command);
        StringBuilder out = new StringBuilder();
        for (int pause = 0; pause < 3; pause++) {
            Thread.sleep(OUTPUT_TIMEOUT.toMillis() * 2 / 5);
            int before = out.length();
            while (out.length() - before < 512 * 1024) {
                out.append(client.read().text());
            }
        }
        Frame frame;
        for (frame = client.read(); frame.type() == FrameType.OUT; frame = client.read()) {
            out.append(frame.text());
        }
        assertThat(frame.exitCode()).isZero();
        return out.toString();
    }

    /**
     * {@code bin/msf exec 'while ...' | head -1}: once head has left, the client's standard output is a
     * broken pipe, which a PrintStream only notes; the client went on copying endless output into it, the
     * command ran on, and neither ended (nor freed its slot). The client ends the command instead, as a
     * shell's pipeline ends its writer, and exits 1 without a word.
     */
    @Test
    @Timeout(30)
    void aClientWhoseOutputIsClosedEndsItsCommandAndExitsOne() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream closedAfterALine = new PrintStream(new OutputStream() {
            private int written;

            @Override
            public void write(int b) throws IOException {
                if (++written > 10) {
                    throw new IOException("Broken pipe");
                }
            }
        }, true, StandardCharsets.UTF_8);

        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> MsfClient.run(
                new String[] {socket.toString(), "exec", "test:flood"}, InputStream.nullInputStream(),
                closedAfterALine, new PrintStream(err, true, StandardCharsets.UTF_8)));

        assertThat(TestCommands.FLOODS_ENDED.tryAcquire(10, TimeUnit.SECONDS))
                .as("the command whose output nobody takes ended").isTrue();
        assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(MsfClient.EXIT_FAILED);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    /**
     * A client that sent two commands behind a running one and left was not noticed: the reader
     * waited to hand over the second, reading nothing more, and the command ran on for good
     * (here every slot's). The commands it sent ahead go with it: once it has left, none of them
     * starts (a command that took the interrupt and returned left the next one to run, for no one).
     */
    @Test
    void aPipeliningClientThatLeavesDuringACommandEndsTheCommandAndFreesItsSlot() throws Exception {
        for (int i = 0; i < MAX_CLIENTS; i++) {
            try (RawClient client = RawClient.greeted(socket)) {
                exec(client, "test:block");
                assertThat(TestCommands.BLOCKS_STARTED.tryAcquire(5, TimeUnit.SECONDS)).isTrue();
                exec(client, "test:count");
                exec(client, "test:count");
                exec(client, "test:count");
            }
        }

        assertThat(TestCommands.BLOCKS_INTERRUPTED.tryAcquire(MAX_CLIENTS, 5, TimeUnit.SECONDS))
                .as("the commands of pipelining clients that left were interrupted").isTrue();
        await().untilAsserted(() -> assertThat(ClientRun.exec(socket, "test:echo", "in").out()).isEqualTo("in\n"));
        // both slots free again: both connections' threads have ended, after any command they ran
        await().untilAsserted(() -> {
            try (RawClient first = RawClient.greeted(socket); RawClient second = RawClient.greeted(socket)) {
                assertThat(first).isNotSameAs(second);
            }
        });
        assertThat(TestCommands.COUNTED.availablePermits()).as("commands run after their client left").isZero();
    }

    /**
     * Gogo kept each job a command line starts inside itself (every round of a loop) until the line ended, about
     * 50 KB each: {@code while { true } { }} filled the container's heap in two seconds, which ended the container.
     * Rounds are forgotten as they end now, so a loop of many more rounds than the bound runs whole; a closure
     * calling itself, each level under way, is stopped at the bound and told to its client, and what it held is
     * there again for the next line.
     */
    @Test
    @Timeout(30)
    void aLoopRunsWholeAndAClosureCallingItselfIsStoppedAtTheBound() {
        ClientRun loop = ClientRun.exec(socket, "each [" + "x ".repeat(3 * MAX_NESTED_COMMANDS) + "] { test:count }");
        assertThat(loop.exitCode()).as(loop.err()).isZero();
        assertThat(TestCommands.COUNTED.drainPermits()).isEqualTo(3 * MAX_NESTED_COMMANDS);

        ClientRun recursion = ClientRun.exec(socket, "f = { f } ; f");

        assertThat(recursion.exitCode()).isEqualTo(1);
        assertThat(recursion.err()).startsWith("msf: command line stopped: the console's command lines have "
                + MAX_NESTED_COMMANDS + " nested commands under way");
        ClientRun deep = ClientRun.exec(socket, NestedCommandsTest.nested(MAX_NESTED_COMMANDS, "test:count"));
        assertThat(deep.exitCode()).as(deep.err()).isZero();
    }

    @Test
    @Timeout(30)
    void moreFramesAheadThanAllowedEndTheConnectionAndItsCommand() throws Exception {
        try (RawClient client = RawClient.greeted(socket)) {
            exec(client, "test:block");
            assertThat(TestCommands.BLOCKS_STARTED.tryAcquire(5, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i <= ConsoleProtocol.MAX_FRAMES_AHEAD; i++) {
                exec(client, "");
            }

            assertThat(client.readUntilClosed().text()).isEqualTo("more than 1024 frames or 262144 bytes sent "
                    + "ahead of their answers; send each command after the answer to the last");
            assertThat(TestCommands.BLOCKS_INTERRUPTED.tryAcquire(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    @Timeout(30)
    void moreBytesAheadThanAllowedEndTheConnectionAndItsCommand() throws Exception {
        String longest = "test:echo " + "x".repeat(MAX_LINE_BYTES - 10);
        try (RawClient client = RawClient.greeted(socket)) {
            exec(client, "test:block");
            assertThat(TestCommands.BLOCKS_STARTED.tryAcquire(5, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i <= ConsoleProtocol.MAX_BYTES_AHEAD / MAX_LINE_BYTES; i++) {
                exec(client, longest);
            }

            assertThat(client.readUntilClosed().text()).startsWith("more than 1024 frames or 262144 bytes sent ahead");
            assertThat(TestCommands.BLOCKS_INTERRUPTED.tryAcquire(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    /**
     * Gogo parses and runs a line recursively: thousands of nested brackets or parentheses overflowed the
     * connection thread's stack, and the StackOverflowError, uncaught, ended the connection with no answer.
     * The line fails with words saying why, and the connection runs the next lines, nested commands too (the
     * overflow left none of them counted as under way).
     */
    @Test
    @Timeout(30)
    void aLineNestedTooDeeplyFailsAndTheConnectionRunsTheNextLines() throws Exception {
        try (RawClient client = RawClient.greeted(socket)) {
            for (String[] brackets : new String[][] {{"[", "]"}, {"(", ")"}}) {
                exec(client, "x = " + brackets[0].repeat(30_000) + brackets[1].repeat(30_000));

                Frame status = client.read();
                assertThat(status.type()).isEqualTo(FrameType.STATUS);
                assertThat(status.exitCode()).isEqualTo(ConsoleProtocol.STATUS_FAILED);
                assertThat(status.statusMessage()).startsWith("command line nested too deeply");
            }

            exec(client, "test:echo alive");
            assertThat(client.read().text()).isEqualTo("alive\n");
            assertThat(client.read().exitCode()).isZero();
            exec(client, NestedCommandsTest.nested(MAX_NESTED_COMMANDS, "test:count"));
            assertThat(statusAfterOutput(client).exitCode()).isZero();
            assertThat(TestCommands.COUNTED.drainPermits()).isEqualTo(1);
        }
    }

    /**
     * A failure's text went to the client as it was, and the client printed it to the operator's terminal:
     * here an escape sequence that clears the screen and a carriage return that paints a false prompt over
     * the line. Each control character a terminal obeys comes as an escape that prints as itself.
     */
    @Test
    @Timeout(30)
    void aFailureComesWithItsControlCharactersMadeVisible() {
        ClientRun run = ClientRun.exec(socket, "test:fail", "\"\u001b[2J\rmsf> \u009b1m\"");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("msf: \\u001b[2J\\u000dmsf> \\u009b1m\n");
    }

    /**
     * The log's DEBUG line for each command held the whole line, and with it what a command was given: a
     * password, a token. It names the command and the line's length only.
     */
    @Test
    @Timeout(30)
    void theLogNamesTheCommandNotItsArguments() {
        ClientRun run = ClientRun.exec(socket, "test:echo", "token=s3cret");

        assertThat(run.out()).isEqualTo("token=s3cret\n");
        assertThat(logged("debug")).noneMatch(line -> line.contains("s3cret"))
                .contains("console client #1: EXEC test:echo (22 bytes)");
    }

    private static void exec(RawClient client, String line) throws IOException {
        byte[] payload = line.getBytes(StandardCharsets.UTF_8);
        client.send(FrameType.EXEC.code(), payload.length, payload);
    }

    /** The STATUS frame that answers a command, after the command's output. */
    private static Frame statusAfterOutput(RawClient client) throws IOException {
        Frame frame = client.read();
        while (frame.type() == FrameType.OUT) {
            frame = client.read();
        }
        assertThat(frame.type()).isEqualTo(FrameType.STATUS);
        return frame;
    }

    /** The WARN lines logged, with their arguments in place as the log service prints them. */
    private List<String> warnings() {
        return logged("warn");
    }

    /** The lines logged at a level (the Logger method's name), with their arguments in place. */
    private List<String> logged(String level) {
        return Mockito.mockingDetails(log).getInvocations().stream()
                .filter(call -> call.getMethod().getName().equals(level))
                .map(call -> {
                    Object[] arguments = call.getArguments();
                    String line = String.valueOf(arguments[0]);
                    for (int i = 1; i < arguments.length; i++) {
                        line = line.replaceFirst("\\{}", Matcher.quoteReplacement(String.valueOf(arguments[i])));
                    }
                    return line;
                })
                .toList();
    }
}
