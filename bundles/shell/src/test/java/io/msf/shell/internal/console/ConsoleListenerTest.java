package io.msf.shell.internal.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockingDetails;
import static org.mockito.Mockito.verify;

import io.msf.shell.client.MsfClient;
import io.msf.shell.protocol.ConsoleProtocol;
import io.msf.shell.protocol.Frame;
import io.msf.shell.protocol.FrameType;
import io.msf.shell.protocol.ProtocolException;
import io.msf.shell.testing.Gogo;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.log.Logger;

/** The console end to end: a real Unix socket, the real Gogo runtime, and {@link MsfClient}. */
class ConsoleListenerTest {

    private static final int MAX_CLIENTS = 2;
    private static final int MAX_LINE_BYTES = 1024;
    private static final int MAX_NESTED_COMMANDS = 50;
    private static final Duration OUTPUT_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path temp;

    private final Gogo gogo = new Gogo().add("test", new TestCommands(), TestCommands.FUNCTIONS);
    private final Logger log = mock(Logger.class);
    private Path dataDir;
    private Path socket;
    private ConsoleListener listener;

    @BeforeEach
    void listen() throws IOException {
        dataDir = temp.resolve("data");
        socket = dataDir.resolve("msf.sock");
        listener = open();
    }

    @AfterEach
    void stop() {
        listener.close();
        gogo.close();
    }

    private ConsoleListener open() throws IOException {
        return ConsoleListener.open(socket, dataDir, MAX_CLIENTS, MAX_LINE_BYTES, OUTPUT_TIMEOUT,
                MAX_NESTED_COMMANDS, gogo.processor(), SessionProfile.NONE, log);
    }

    /**
     * A console out of file descriptors fails to accept every second for as long as that lasts: one ERROR line,
     * and the failures after it counted in one more (here, as a client is accepted again), not a line a second.
     */
    @Test
    @Timeout(30)
    void acceptsThatFailEverySecondAreOneErrorLineAndACount() throws IOException {
        Path failingSocket = dataDir.resolve("failing.sock");
        ConsoleListener failing = ConsoleListener.open(failingSocket, dataDir, MAX_CLIENTS, MAX_LINE_BYTES,
                OUTPUT_TIMEOUT, MAX_NESTED_COMMANDS, gogo.processor(), SessionProfile.NONE, log,
                () -> new FailingAccepts(ServerSocketChannel.open(StandardProtocolFamily.UNIX), 3));
        String failure = "java.io.IOException: " + FailingAccepts.TOO_MANY_OPEN_FILES;
        // Greeted once the three failures, a second apart, have passed.
        try (RawClient client = RawClient.greeted(failingSocket)) {
            verify(log).error("console {}: accepting a client failed: {}; it is tried again every second, the next"
                    + " failures counted and told once a minute", failingSocket.toString(), failure);
            verify(log).error("console {}: accepting a client failed {} more time(s) {}, the last: {}",
                    failingSocket.toString(),
                    2L, "before a client was accepted again", failure);
            assertThat(mockingDetails(log).getInvocations()).filteredOn(call -> call.getMethod().getName()
                    .equals("error")).hasSize(2);
        } finally {
            failing.close();
        }
    }

    /**
     * The failures counted after the first were told at the end of their minute or at the next client
     * accepted: a console closed (or reconfigured) before either lost them, and the log said one failure.
     */
    @Test
    @Timeout(30)
    void failuresCountedWhenTheConsoleClosesAreTold() throws IOException {
        Path failingSocket = dataDir.resolve("failing.sock");
        ConsoleListener failing = ConsoleListener.open(failingSocket, dataDir, MAX_CLIENTS, MAX_LINE_BYTES,
                OUTPUT_TIMEOUT, MAX_NESTED_COMMANDS, gogo.processor(), SessionProfile.NONE, log,
                () -> new FailingAccepts(ServerSocketChannel.open(StandardProtocolFamily.UNIX), 3));
        String failure = "java.io.IOException: " + FailingAccepts.TOO_MANY_OPEN_FILES;
        try {
            // the third failure counted, a second apart after the first told in full
            await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> verify(log).debug(
                    "console {}: accepting a client failed: {} ({} such failures this minute past the first)",
                    failingSocket.toString(), failure, 2L));
        } finally {
            failing.close();
        }

        verify(log).error("console {}: accepting a client failed {} more time(s) {}, the last: {}",
                failingSocket.toString(), 2L,
                "before the console stopped accepting clients", failure);
    }

    @Test
    void execPrintsTheResultAndExitsZero() {
        ClientRun run = ClientRun.exec(socket, "test:echo", "hello", "world");

        assertThat(run).isEqualTo(new ClientRun(MsfClient.EXIT_OK, "hello world\n", ""));
    }

    @Test
    void execOfAFailingCommandExitsOneWithItsMessage() {
        ClientRun run = ClientRun.exec(socket, "test:fail", "boom");

        assertThat(run).isEqualTo(new ClientRun(MsfClient.EXIT_FAILED, "", "msf: boom\n"));
    }

    @Test
    void execOfAnUnknownCommandExitsOne() {
        ClientRun run = ClientRun.exec(socket, "nope");

        assertThat(run.exitCode()).isEqualTo(MsfClient.EXIT_FAILED);
        assertThat(run.err()).isEqualTo("msf: Command not found: nope\n");
    }

    /**
     * A mistyped command was told only as Gogo tells it, 'Command not found: test:ehco', leaving the
     * user to find the name meant; the commands closest to it are named, with or without the scope.
     */
    @Test
    void execOfAMistypedCommandNamesTheCommandMeant() {
        assertThat(ClientRun.exec(socket, "test:ehco", "hi").err())
                .isEqualTo("msf: Command not found: test:ehco (did you mean test:echo?)\n");
        assertThat(ClientRun.exec(socket, "flod").err())
                .isEqualTo("msf: Command not found: flod (did you mean test:flood?)\n");
        assertThat(ClientRun.exec(socket, "test:zzzzzz").err()).isEqualTo("msf: Command not found: test:zzzzzz\n");
    }

    @Test
    void execWithArgumentsACommandDoesNotTakeNamesItAndItsHelp() {
        ClientRun none = ClientRun.exec(socket, "test:big");
        ClientRun word = ClientRun.exec(socket, "x = 1; test:big many");

        assertThat(none.exitCode()).isEqualTo(MsfClient.EXIT_FAILED);
        assertThat(none.err()).isEqualTo("msf: test:big: wrong arguments (Cannot coerce big() to any of [(int)]);"
                + " 'help test:big' shows what it takes\n");
        assertThat(word.err()).isEqualTo("msf: test:big: wrong arguments (Cannot coerce big(Token) to any of"
                + " [(int)]); 'help test:big' shows what it takes\n");
    }

    @Test
    void execTakesGogoSyntaxInOneWord() {
        ClientRun run = ClientRun.exec(socket, "x = 'a b'; test:echo $x c");

        assertThat(run.out()).isEqualTo("a b c\n");
    }

    @Test
    void printedOutputAndOutputLongerThanAChunkArriveWhole() {
        assertThat(ClientRun.exec(socket, "test:print", "3").out()).isEqualTo("line 1\nline 2\nline 3\n");
        assertThat(ClientRun.exec(socket, "test:big", "20000").out()).isEqualTo("x".repeat(20000) + "\n");
    }

    @Test
    void consoleRunsLinesInOneSessionUntilExit() {
        ClientRun run = ClientRun.console(socket,
                "test:echo a\n\ntest:fail b\nx = 5\ntest:echo $x\nexit\ntest:echo late\n");

        assertThat(run.exitCode()).isEqualTo(MsfClient.EXIT_OK);
        assertThat(run.out()).isEqualTo("msf> a\nmsf> msf> msf> 5\nmsf> 5\nmsf> ");
        assertThat(run.err()).isEqualTo("b\n");
    }

    /**
     * A script piped into bin/msf console (console --script): every line runs, in one session, with
     * no prompts in its output, and a failed line makes the exit code 1. Sent as console lines, the
     * script ended with 0 whatever failed, and its output held a prompt per line.
     */
    @Test
    void consoleScriptRunsEveryLineWithoutPromptsAndExitsOneWhenALineFailed() {
        ClientRun run = ClientRun.run("test:echo a\n\ntest:fail b\nx = 5\ntest:echo $x\n", socket.toString(),
                "console", MsfClient.SCRIPT);

        assertThat(run.exitCode()).isEqualTo(MsfClient.EXIT_FAILED);
        assertThat(run.out()).isEqualTo("a\n5\n5\n");
        assertThat(run.err()).isEqualTo("msf: b\nmsf: line 3 failed: test:fail b\n");
    }

    @Test
    void consoleScriptThatRanWellExitsZeroAndStopsAtExit() {
        ClientRun run = ClientRun.run("test:echo a\nexit\ntest:fail late\n", socket.toString(), "console",
                MsfClient.SCRIPT);

        assertThat(run).isEqualTo(new ClientRun(MsfClient.EXIT_OK, "a\n", ""));
    }

    /** exit 3 went to the container, which knows no exit: 'Command not found: exit'. */
    @Test
    void consoleSaysExitTakesNoArgumentsAndStays() {
        ClientRun run = ClientRun.console(socket, "exit 3\ntest:echo a\nexit\n");

        assertThat(run.exitCode()).isEqualTo(MsfClient.EXIT_OK);
        assertThat(run.out()).isEqualTo("msf> msf> a\nmsf> ");
        assertThat(run.err()).isEqualTo("msf: exit takes no arguments: type exit, or press Ctrl-D, to leave\n");
    }

    /** exit; went to the container, which knows no exit: 'Command not found: exit', and the console stayed. */
    @Test
    void consoleLeavesAtExitEndedLikeAStatement() {
        for (String exit : new String[] {"exit;", "exit ;", " exit ; ;"}) {
            ClientRun run = ClientRun.console(socket, exit + "\ntest:echo late\n");

            assertThat(run).as(exit).isEqualTo(new ClientRun(MsfClient.EXIT_OK, "msf> ", ""));
        }
    }

    @Test
    void consoleEndsAtEndOfInput() {
        ClientRun run = ClientRun.console(socket, "test:echo a\n");

        assertThat(run).isEqualTo(new ClientRun(MsfClient.EXIT_OK, "msf> a\nmsf> \n", ""));
    }

    @Test
    void socketIsOwnerOnlyInAnOwnerOnlyDirectory() throws IOException {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir))).isEqualTo("rwx------");
    }

    @Test
    void withNothingListeningTheClientExitsTwoAndSaysWhy() {
        ClientRun run = ClientRun.exec(temp.resolve("nothing.sock"), "test:echo", "x");

        assertThat(run.exitCode()).isEqualTo(MsfClient.EXIT_NOT_RUN);
        assertThat(run.err()).contains("no such socket").contains("container is not running");
    }

    @Test
    void aStaleSocketIsReportedByTheClientAndReplacedByTheServer() throws IOException {
        listener.close();
        leaveStaleSocket(socket);

        ClientRun refused = ClientRun.exec(socket, "test:echo", "x");
        assertThat(refused.exitCode()).isEqualTo(MsfClient.EXIT_NOT_RUN);
        assertThat(refused.err()).contains("connection refused").contains("not running");

        listener = open();
        assertThat(ClientRun.exec(socket, "test:echo", "again").out()).isEqualTo("again\n");
    }

    @Test
    void aLiveSocketIsNotTakenOver() {
        assertThatThrownBy(this::open).isInstanceOf(IOException.class).hasMessageContaining("is in use");

        assertThat(ClientRun.exec(socket, "test:echo", "still").out()).isEqualTo("still\n");
    }

    @Test
    void aDataDirectoryOfAnotherUserIsRefusedWhateverItsMode() throws IOException {
        listener.close();
        Path foreign = Files.createDirectory(temp.resolve("foreign"));
        Files.setPosixFilePermissions(foreign, PosixFilePermissions.fromString("rwx------"));
        giveToAnotherUser(foreign);
        Path foreignSocket = foreign.resolve("msf.sock");

        assertThatThrownBy(() -> listener = ConsoleListener.open(foreignSocket, foreign, MAX_CLIENTS, MAX_LINE_BYTES,
                OUTPUT_TIMEOUT, MAX_NESTED_COMMANDS, gogo.processor(), SessionProfile.NONE, log))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("directory " + foreign + " of the console socket belongs to user nobody");
        assertThat(foreignSocket).doesNotExist();
        listener = open();
    }

    /** The JDK's own limit, one byte short of the kernel's: "about 100 bytes" sent a 103-byte path's owner astray. */
    @Test
    void aPathOneByteOverTheJdksLimitIsRefusedNamingBothLengths() throws IOException {
        int prefix = dataDir.toString().length() + 1;
        Assumptions.assumeTrue(prefix < ConsoleListener.JDK_MAX_PATH_BYTES, "temporary folder too deep");
        Path longest = dataDir.resolve("s".repeat(ConsoleListener.JDK_MAX_PATH_BYTES - prefix));
        Path over = dataDir.resolve("s".repeat(ConsoleListener.JDK_MAX_PATH_BYTES + 1 - prefix));

        ConsoleListener.open(longest, dataDir, MAX_CLIENTS, MAX_LINE_BYTES, OUTPUT_TIMEOUT,
                MAX_NESTED_COMMANDS, gogo.processor(), SessionProfile.NONE, log).close();
        assertThatThrownBy(() -> ConsoleListener.open(over, dataDir, MAX_CLIENTS, MAX_LINE_BYTES,
                OUTPUT_TIMEOUT, MAX_NESTED_COMMANDS, gogo.processor(), SessionProfile.NONE, log))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("cannot bind console socket " + over)
                .hasMessageContaining("the path is " + (ConsoleListener.JDK_MAX_PATH_BYTES + 1) + " bytes")
                .hasMessageContaining("at most " + ConsoleListener.JDK_MAX_PATH_BYTES + " bytes on Linux");
    }

    @Test
    void aBindFailureOtherThanTheLengthSaysSoWithoutTheLengthHint() {
        // /proc/self/fd is owner-only but holds no files of ours: the bind fails with ENOENT
        Path procDirectory = Path.of("/proc/self/fd");
        Assumptions.assumeTrue(Files.isDirectory(procDirectory), "no /proc/self/fd");
        Path unbindable = procDirectory.resolve("msf.sock");

        assertThatThrownBy(() -> ConsoleListener.open(unbindable, dataDir, MAX_CLIENTS, MAX_LINE_BYTES,
                OUTPUT_TIMEOUT, MAX_NESTED_COMMANDS, gogo.processor(), SessionProfile.NONE, log))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("cannot bind console socket " + unbindable)
                .hasMessageContaining("No such file or directory")
                .hasMessageContaining("can create a file in " + procDirectory)
                .hasMessageNotContaining("at most " + ConsoleListener.JDK_MAX_PATH_BYTES);
    }

    /**
     * Another process binds the path between our check for a stale socket and our bind: our bind
     * fails, and the socket there is that process's, live. It is raced for real (a thread binding
     * the path as soon as it is free), so the test repeats until the other binder has won a few
     * times; it is skipped, not passed, if it never did.
     */
    @Test
    void aSocketAnotherProcessBoundFirstIsLeftToIt() throws Exception {
        listener.close();
        int lost = 0;
        for (int attempt = 0; attempt < 500 && lost < 3; attempt++) {
            leaveStaleSocket(socket);
            Path other;
            try (RacingBinder binder = new RacingBinder(socket)) {
                try {
                    listener = open();
                    binder.stop();
                    listener.close();
                    continue;
                } catch (IOException bindFailed) {
                    lost++;
                    assertThat(bindFailed).hasMessageContaining("Address already in use")
                            .hasMessageContaining("another process bound it");
                    assertThat(binder.bound()).as("the bind that won").isTrue();
                    assertThat(socket).as("the other process's socket").exists();
                    try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                        probe.connect(UnixDomainSocketAddress.of(socket));
                    }
                }
            }
            Files.delete(socket);
        }
        listener = open();
        Assumptions.assumeTrue(lost > 0, "the other binder never won the race");
    }

    /** Binds a socket at a path as soon as the path is free, until it has or is stopped. */
    private static final class RacingBinder implements AutoCloseable {

        private final ServerSocketChannel server;
        private final Thread thread;
        private volatile boolean stopped;
        private volatile boolean bound;

        RacingBinder(Path path) throws IOException {
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            thread = new Thread(() -> {
                while (!stopped) {
                    try {
                        server.bind(UnixDomainSocketAddress.of(path));
                        bound = true;
                        return;
                    } catch (IOException taken) {
                        Thread.onSpinWait();
                    }
                }
            }, "racing-binder");
            thread.start();
        }

        boolean bound() throws InterruptedException {
            thread.join(5000);
            return bound;
        }

        void stop() throws InterruptedException {
            stopped = true;
            thread.join();
        }

        @Override
        public void close() throws Exception {
            stop();
            server.close();
        }
    }

    /** Only root may give a file away; elsewhere the test is skipped. */
    private static void giveToAnotherUser(Path path) throws IOException {
        UserPrincipal nobody = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        try {
            Files.setOwner(path, nobody);
        } catch (FileSystemException notRoot) {
            Assumptions.abort("cannot give " + path + " to user nobody: " + notRoot.getMessage());
        }
    }

    @Test
    void oneClientOverMaxClientsIsToldSoAndLaterOnesGetIn() throws IOException {
        RawClient first = RawClient.greeted(socket);
        try (RawClient second = RawClient.greeted(socket)) {
            ClientRun refused = ClientRun.exec(socket, "test:echo", "x");

            assertThat(refused.exitCode()).isEqualTo(MsfClient.EXIT_NOT_RUN);
            assertThat(refused.err()).contains("too many console clients: 2 are connected");
        } finally {
            first.close();
        }
        await().untilAsserted(() -> assertThat(ClientRun.exec(socket, "test:echo", "in").out()).isEqualTo("in\n"));
    }

    @Test
    void aClientThatLeavesDuringACommandEndsTheCommandAndFreesItsSlot() throws Exception {
        TestCommands.BLOCKS_STARTED.drainPermits();
        TestCommands.BLOCKS_INTERRUPTED.drainPermits();
        for (int i = 0; i < MAX_CLIENTS; i++) {
            try (RawClient client = RawClient.greeted(socket)) {
                client.send(FrameType.EXEC.code(), 10, "test:block".getBytes(StandardCharsets.UTF_8));
                assertThat(TestCommands.BLOCKS_STARTED.tryAcquire(5, TimeUnit.SECONDS)).isTrue();
            }
        }

        assertThat(TestCommands.BLOCKS_INTERRUPTED.tryAcquire(MAX_CLIENTS, 5, TimeUnit.SECONDS))
                .as("the commands of clients that left were interrupted").isTrue();
        await().untilAsserted(() -> assertThat(ClientRun.exec(socket, "test:echo", "in").out()).isEqualTo("in\n"));
    }

    /**
     * A client that sends frames ahead (which the protocol allows within bounds) leaves the reader
     * holding frames the command thread will never take. When the connection ends (here the
     * console stops while a command runs), that reader must end with it, not stay parked for good:
     * a thread left behind by every such connection, and by a stopped bundle.
     */
    @Test
    void aReaderHoldingFramesReadAheadEndsWithItsConnection() throws Exception {
        TestCommands.BLOCKS_STARTED.drainPermits();
        try (RawClient client = RawClient.greeted(socket)) {
            client.send(FrameType.EXEC.code(), 10, "test:block".getBytes(StandardCharsets.UTF_8));
            assertThat(TestCommands.BLOCKS_STARTED.tryAcquire(5, TimeUnit.SECONDS)).isTrue();
            client.send(FrameType.EXEC.code(), 11, "test:echo a".getBytes(StandardCharsets.UTF_8));
            client.send(FrameType.EXEC.code(), 11, "test:echo b".getBytes(StandardCharsets.UTF_8));

            listener.close();

            await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(readerThreads().toList())
                    .as("console reader threads still alive").isEmpty());
        } finally {
            listener = open();
        }
    }

    private static java.util.stream.Stream<Thread> readerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("msf-console-reader-") && t.isAlive());
    }

    /**
     * Clients that stop inside a frame held their slots for good, so that a few of them locked
     * everyone out. They are cut after {@link ConsoleProtocol#FRAME_TIMEOUT_MILLIS} (10 s, not
     * shortened for the test: the real bound is what is tested), a silent one between frames is not.
     */
    @Test
    @Timeout(30)
    void clientsThatStopInsideAFrameAreCutButASilentOneIsNot() throws IOException {
        listener.close();
        listener = ConsoleListener.open(socket, dataDir, 3, MAX_LINE_BYTES, OUTPUT_TIMEOUT,
                MAX_NESTED_COMMANDS, gogo.processor(), SessionProfile.NONE, log);
        try (RawClient silent = RawClient.greeted(socket);
                RawClient halfHeader = RawClient.greeted(socket);
                RawClient halfPayload = RawClient.greeted(socket)) {
            long started = System.nanoTime();
            halfHeader.sendBytes(FrameType.EXEC.code(), (byte) 0);
            halfPayload.send(FrameType.EXEC.code(), 12, "test:ech".getBytes(StandardCharsets.UTF_8));
            assertThat(ClientRun.exec(socket, "test:echo", "x").err()).contains("too many console clients");

            String expected = "frame not complete 10 s after its first byte; a frame is sent whole";
            assertThat(halfHeader.readUntilClosed().text()).isEqualTo(expected);
            assertThat(halfPayload.readUntilClosed().text()).isEqualTo(expected);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started))
                    .isGreaterThanOrEqualTo(ConsoleProtocol.FRAME_TIMEOUT_MILLIS);
            await().untilAsserted(() -> assertThat(ClientRun.exec(socket, "test:echo", "in").out()).isEqualTo("in\n"));

            silent.send(FrameType.EXEC.code(), 17, "test:echo resting".getBytes(StandardCharsets.UTF_8));
            assertThat(silent.read().text()).isEqualTo("resting\n");
            assertThat(silent.read().exitCode()).isZero();
        }
    }

    @Test
    void anOversizedFrameClosesThatConnectionOnly() throws IOException {
        try (RawClient bystander = RawClient.greeted(socket); RawClient client = RawClient.greeted(socket)) {
            client.send(FrameType.EXEC.code(), MAX_LINE_BYTES + 1, new byte[0]);

            assertThat(client.readUntilClosed().text())
                    .isEqualTo("EXEC frame of 1025 bytes is over the limit of 1024 bytes");
            bystander.send(FrameType.EXEC.code(), 12, "test:echo hi".getBytes(StandardCharsets.UTF_8));
            assertThat(bystander.read().text()).isEqualTo("hi\n");
            assertThat(bystander.read().exitCode()).isZero();
        }
    }

    @Test
    void malformedFramesAreRefusedWithAReason() throws IOException {
        assertThat(failureAfterSending((byte) 'Z', 0, new byte[0])).isEqualTo("unknown frame type 0x5a");
        assertThat(failureAfterSending(FrameType.OUT.code(), 1, new byte[] {'x'}))
                .isEqualTo("OUT frames are sent by the server, not by the client");
        assertThat(failureAfterSending(FrameType.EXEC.code(), 2, new byte[] {(byte) 0xc3, (byte) 0x28}))
                .isEqualTo("EXEC frame payload is not valid UTF-8");
        // A refused client's slot is free once its threads have ended, a moment after it saw the close.
        await().untilAsserted(() -> assertThat(ClientRun.exec(socket, "test:echo", "fine").out()).isEqualTo("fine\n"));
    }

    @Test
    void theClientRefusesACommandOverTheAnnouncedLimitWithoutSendingIt() {
        ClientRun run = ClientRun.exec(socket, "test:echo", "y".repeat(MAX_LINE_BYTES));

        assertThat(run.exitCode()).isEqualTo(MsfClient.EXIT_NOT_RUN);
        assertThat(run.err()).contains("too long").contains("at most 1024");
    }

    @Test
    void closeDisconnectsClientsAndRemovesTheSocket() throws IOException {
        try (RawClient client = RawClient.greeted(socket)) {
            listener.close();

            assertThat(socket).doesNotExist();
            assertThat(client.read()).isNull();
        }
        assertThat(ClientRun.exec(socket, "test:echo", "x").exitCode()).isEqualTo(MsfClient.EXIT_NOT_RUN);
    }

    @Test
    @Timeout(60) // a client that hangs ends the test, and is killed in its finally
    void theClientRunsOutsideOsgiFromTheClassesAlone() throws Exception {
        Path classes = Path.of(MsfClient.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String java = ProcessHandle.current().info().command().orElse("java");
        // -XX:-UsePerfData as bin/msf runs it: its output is the command's alone, with no warning of
        // a /tmp/hsperfdata file held by a JVM of another pid namespace (a build in a container)
        Process process = new ProcessBuilder(java, "-XX:-UsePerfData", "-cp", classes.toString(),
                MsfClient.class.getName(), socket.toString(), "exec", "test:echo", "from", "outside")
                .redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor()).as(output).isEqualTo(MsfClient.EXIT_OK);
            assertThat(output).isEqualTo("from outside\n");
        } finally {
            process.destroyForcibly();
        }
    }

    /**
     * {@code bin/msf console < file} with a line far longer than the container takes (a file piped by
     * mistake): the client, in bin/msf's 32 MB heap, read the line whole before it could find it too long,
     * and ended in an OutOfMemoryError instead. The line is told as too long, the script goes on.
     */
    @Test
    @Timeout(60) // a client that hangs ends the test, and is killed in its finally
    void aScriptLineFarOverTheLimitIsToldTooLongInTheClientsSmallHeap() throws Exception {
        Path classes = Path.of(MsfClient.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String java = ProcessHandle.current().info().command().orElse("java");
        // as bin/msf runs the client
        Process process = new ProcessBuilder(java, "-XX:-UsePerfData", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-Xmx32m", "-cp", classes.toString(), MsfClient.class.getName(),
                socket.toString(), "console", MsfClient.SCRIPT).start();
        try {
            scriptOfOneHugeLine(process);
        } finally {
            process.destroyForcibly();
        }
    }

    private static void scriptOfOneHugeLine(Process process) throws Exception {
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
            try {
                return process.getErrorStream().readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try (OutputStream in = process.getOutputStream()) {
            byte[] block = "x".repeat(1024 * 1024).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 64; i++) {
                in.write(block);
            }
            in.write("\ntest:echo after\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException ended) {
            // the client died before it had read it all: its exit code and standard error say how
        }

        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String errors = new String(err.get(30, TimeUnit.SECONDS), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(errors).isEqualTo(MsfClient.EXIT_FAILED);
        assertThat(out).isEqualTo("after\n");
        assertThat(errors).isEqualTo("msf: command of more than " + MAX_LINE_BYTES + " bytes is too long; the"
                + " container accepts at most " + MAX_LINE_BYTES + " (msf.console maxLineBytes)\n"
                + "msf: line 1 failed: " + "x".repeat(80) + "...\n");
    }

    private String failureAfterSending(byte type, int length, byte[] payload) throws IOException {
        // the slot of the client refused just before is free once its command thread has ended
        // (setting up its session included), a moment after that client saw the close
        try (RawClient client = await().ignoreExceptionsInstanceOf(ProtocolException.class)
                .until(() -> RawClient.greeted(socket), greeted -> true)) {
            client.send(type, length, payload);
            Frame fail = client.readUntilClosed();
            return fail.text();
        }
    }

    /** A socket file nothing listens on, as a killed container leaves it. */
    static void leaveStaleSocket(Path path) throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));
        }
        assertThat(path).exists();
    }
}
