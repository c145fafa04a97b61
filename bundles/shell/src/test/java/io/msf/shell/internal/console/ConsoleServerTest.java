package io.msf.shell.internal.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.atLeast;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockingDetails;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.msf.shell.client.MsfClient;
import io.msf.shell.protocol.Frame;
import io.msf.shell.protocol.FrameType;
import io.msf.shell.testing.Gogo;
import org.apache.felix.gogo.jline.Posix;
import org.apache.felix.gogo.jline.Builtin;
import org.apache.felix.gogo.jline.Procedural;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.ComponentException;
import org.osgi.service.log.Logger;

/** The DS component: configuration, the data directory, and the socket's life. */
class ConsoleServerTest {

    /** The profile the assembly ships (the test runs in bundles/shell). */
    private static final Path SHIPPED_PROFILE = Path.of("../../runtime-assembly/src/main/etc/gosh_profile");

    @TempDir
    Path temp;

    private final Gogo gogo = new Gogo().add("test", new TestCommands(), TestCommands.FUNCTIONS);
    private final Logger log = mock(Logger.class);
    private final BundleContext context = mock(BundleContext.class);

    @AfterEach
    void stopGogo() {
        gogo.close();
    }

    @Test
    void listensOnTheDefaultSocketInTheDataDirectoryUntilDeactivated() throws IOException {
        Path dataDir = temp.resolve("data");
        when(context.getProperty("msf.data")).thenReturn(dataDir.toString());
        Path socket = dataDir.resolve("msf.sock");

        ConsoleServer server = new ConsoleServer(config(true, "msf.sock"), context, gogo.processor(), log);
        try {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
            assertThat(ClientRun.exec(socket, "test:echo", "up").out()).isEqualTo("up\n");
        } finally {
            server.stop();
        }
        assertThat(socket).doesNotExist();
        assertThat(ClientRun.exec(socket, "test:echo", "x").exitCode()).isEqualTo(MsfClient.EXIT_NOT_RUN);
    }

    @Test
    void relativeSocketIsResolvedAgainstTheDataDirectory() throws IOException {
        when(context.getProperty("msf.data")).thenReturn(temp.resolve("data").toString());

        ConsoleServer server = new ConsoleServer(config(true, "run/console.sock"), context, gogo.processor(), log);
        try {
            assertThat(temp.resolve("data/run/console.sock")).exists();
        } finally {
            server.stop();
        }
    }

    @Test
    void absoluteSocketIsUsedAsItIs() throws IOException {
        when(context.getProperty("msf.data")).thenReturn(temp.resolve("data").toString());
        Path socket = temp.resolve("elsewhere/c.sock");

        ConsoleServer server = new ConsoleServer(config(true, socket.toString()), context, gogo.processor(), log);
        try {
            assertThat(socket).exists();
            assertThat(ClientRun.exec(socket, "test:echo", "abs").out()).isEqualTo("abs\n");
        } finally {
            server.stop();
        }
    }

    @Test
    void theSocketsPathIsWrittenInTheDataDirectoryOwnerOnlyForBinMsfAndRemovedAtTheEnd() throws IOException {
        Path dataDir = temp.resolve("data");
        when(context.getProperty("msf.data")).thenReturn(dataDir.toString());
        Path socket = temp.resolve("elsewhere/c.sock");
        Path pathFile = dataDir.resolve("msf.sock.path");

        ConsoleServer server = new ConsoleServer(config(true, socket.toString()), context, gogo.processor(), log);
        try {
            // one whole line: the shell's read takes it
            assertThat(Files.readString(pathFile)).isEqualTo(socket + "\n");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pathFile))).isEqualTo("rw-------");
            assertThat(ClientRun.exec(Path.of(Files.readString(pathFile).strip()), "test:echo", "found").out())
                    .isEqualTo("found\n");
        } finally {
            server.stop();
        }
        assertThat(pathFile).doesNotExist();
        try (var left = Files.list(dataDir)) {
            assertThat(left).as("no temporary file left").isEmpty();
        }
    }

    @Test
    void aSocketFileDeletedWhileTheConsoleListensIsMadeAgain() throws IOException {
        Path dataDir = temp.resolve("data");
        when(context.getProperty("msf.data")).thenReturn(dataDir.toString());
        Path socket = dataDir.resolve("msf.sock");
        ConsoleServer server = new ConsoleServer(config(true, "msf.sock"), context, gogo.processor(), log);
        try (RawClient before = RawClient.greeted(socket)) {
            Files.delete(socket);
            assertThat(ClientRun.exec(socket, "test:echo", "x").exitCode()).isEqualTo(MsfClient.EXIT_NOT_RUN);

            await().atMost(Duration.ofMillis(4 * ConsoleServer.SOCKET_CHECK_MILLIS))
                    .until(() -> ClientRun.exec(socket, "test:echo", "again").out().equals("again\n"));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
            assertThat(Files.readString(dataDir.resolve("msf.sock.path"))).isEqualTo(socket + "\n");
            byte[] line = "test:echo still here".getBytes(StandardCharsets.UTF_8);
            before.send(FrameType.EXEC.code(), line.length, line);
            assertThat(before.read().text()).as("a client connected before is served on").isEqualTo("still here\n");
        } finally {
            server.stop();
        }
        assertThat(socket).doesNotExist();
        assertThat(dataDir.resolve("msf.sock.path")).doesNotExist();
    }

    @Test
    void aSocketFileReplacedByAStaleOneWithNoClientConnectedIsMadeAgain() throws IOException {
        // the listener given up, with no clients, was closed on its own watcher thread, which interrupted
        // the thread making the socket again: its look whether the stale socket was live failed on that
        Path dataDir = temp.resolve("data");
        when(context.getProperty("msf.data")).thenReturn(dataDir.toString());
        Path socket = dataDir.resolve("msf.sock");
        ConsoleServer server = new ConsoleServer(config(true, "msf.sock"), context, gogo.processor(), log);
        try {
            Files.delete(socket);
            try (ServerSocketChannel other = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                other.bind(UnixDomainSocketAddress.of(socket)); // closed, it leaves its file: stale
            }

            await().atMost(Duration.ofMillis(4 * ConsoleServer.SOCKET_CHECK_MILLIS))
                    .until(() -> ClientRun.exec(socket, "test:echo", "again").out().equals("again\n"));
            assertThat(errorLines()).isEmpty();
        } finally {
            server.stop();
        }
    }

    @Test
    void aPathFileWrittenSinceByAnotherContainerIsLeftToItAtTheEnd() throws IOException {
        // the data folder deleted under a running container: a new one on the folder writes its own file
        Path dataDir = temp.resolve("data");
        when(context.getProperty("msf.data")).thenReturn(dataDir.toString());
        Path pathFile = dataDir.resolve("msf.sock.path");
        ConsoleServer server = new ConsoleServer(config(true, "msf.sock"), context, gogo.processor(), log);
        Path others = Files.writeString(dataDir.resolve("others"), "/run/the-new-container.sock\n");

        Files.move(others, pathFile, StandardCopyOption.REPLACE_EXISTING);
        server.stop();

        assertThat(pathFile).hasContent("/run/the-new-container.sock");
    }

    /**
     * A line feed in the configured socket's name went into the log as it was: "console listening on
     * .../a" and "b.sock (maxClients=...)" on a line of its own, which reads as another line. Every line
     * that names the socket shows its control characters escaped, as the network service's do.
     */
    @Test
    void aControlCharacterInTheSocketsPathStaysOnItsLogLineEscaped() throws IOException {
        Path dataDir = temp.resolve("data");
        when(context.getProperty("msf.data")).thenReturn(dataDir.toString());
        String shown = dataDir + "/a\\u000ab\\u001b.sock";

        ConsoleServer server = new ConsoleServer(config(true, "a\nb\u001b.sock"), context, gogo.processor(), log);
        try {
            assertThat(dataDir.resolve("a\nb\u001b.sock")).exists();
        } finally {
            server.stop();
        }

        assertThat(mockingDetails(log).getInvocations()).filteredOn(call -> call.getMethod().getName().equals("info")
                && String.valueOf(call.getArguments()[0]).startsWith("console listening on {}"))
                .singleElement().satisfies(call -> assertThat(call.getArguments()[1]).hasToString(shown));
        assertThat(mockingDetails(log).getInvocations()).isNotEmpty().allSatisfy(call -> assertThat(
                call.getArguments()).allSatisfy(argument -> assertThat(String.valueOf(argument)).doesNotContain(
                        "\n", "\u001b")));
    }

    @Test
    void aRelativeSocketIsWrittenAsTheAbsolutePathItResolvedTo() throws IOException {
        Path dataDir = temp.resolve("data");
        when(context.getProperty("msf.data")).thenReturn(dataDir.toString());

        ConsoleServer server = new ConsoleServer(config(true, "run/../run/c.sock"), context, gogo.processor(), log);
        try {
            assertThat(Files.readString(dataDir.resolve("msf.sock.path"))).isEqualTo(dataDir.resolve("run/c.sock") + "\n");
        } finally {
            server.stop();
        }
    }

    @Test
    void aPathLeftByAnEarlierContainerIsRemovedWhenTheConsoleIsDisabledOrCannotListen() throws IOException {
        Path dataDir = Files.createDirectories(temp.resolve("data"));
        when(context.getProperty("msf.data")).thenReturn(dataDir.toString());
        Path pathFile = dataDir.resolve("msf.sock.path");
        Files.writeString(pathFile, "/run/another-container.sock\n");

        new ConsoleServer(config(false, "msf.sock"), context, gogo.processor(), log).stop();
        assertThat(pathFile).as("console disabled").doesNotExist();

        Files.writeString(pathFile, "/run/another-container.sock\n");
        assertThatThrownBy(() -> new ConsoleServer(config(true, "d".repeat(120) + ".sock"), context,
                gogo.processor(), log)).isInstanceOf(IOException.class);
        assertThat(pathFile).as("console that cannot listen").doesNotExist();
    }

    @Test
    void disabledConsoleTouchesNothing() throws IOException {
        when(context.getProperty("msf.data")).thenReturn(temp.resolve("data").toString());

        ConsoleServer server = new ConsoleServer(config(false, "msf.sock"), context, gogo.processor(), log);
        server.stop();

        assertThat(temp.resolve("data")).doesNotExist();
    }

    @Test
    void aRefusedDefaultDataFolderKeepsTheConsoleFromListening() throws IOException {
        // msf.data unset, and its default in the temporary folder is open to others
        Path open = Files.createDirectory(temp.resolve("msf-data-tester"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        when(context.getProperty("java.io.tmpdir")).thenReturn(temp.toString());
        when(context.getProperty("user.name")).thenReturn("tester");

        assertThatThrownBy(() -> new ConsoleServer(config(true, "msf.sock"), context, gogo.processor(), log))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("data folder " + open + " refused: group or others may use it (rwxrwxrwx");
        assertThat(open).as("no socket, no path file, nothing").isEmptyDirectory();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(open))).isEqualTo("rwxrwxrwx");
    }

    @Test
    void emptySocketIsRefusedInOneLineNamingTheKeyAndTheConsoleIsNotStarted() throws IOException {
        when(context.getProperty("msf.data")).thenReturn(temp.resolve("data").toString());

        new ConsoleServer(config(true, " "), context, gogo.processor(), log).stop();

        assertThat(refusals()).containsExactly("msf.console: socket: empty; name the socket file (default msf.sock, in"
                + " the data folder); the console is not started: bin/msf exec and console cannot attach until a good"
                + " configuration comes");
    }

    @Test
    void aNumberThatCannotBeReadIsRefusedInOneLineNamingTheKey() throws IOException {
        when(context.getProperty("msf.data")).thenReturn(temp.resolve("data").toString());
        ConsoleConfiguration config = config(true, "msf.sock");
        // What SCR's configuration proxy does with a word where a number belongs: it throws when the member is read.
        when(config.maxLineBytes())
                .thenThrow(new ComponentException(new NumberFormatException("For input string: \"lots\"")));

        new ConsoleServer(config, context, gogo.processor(), log).stop();

        assertThat(refusals()).singleElement().asString()
                .startsWith("msf.console: maxLineBytes: the value cannot be read as a number (").contains("lots")
                .endsWith("; the console is not started: bin/msf exec and console cannot attach until a good"
                        + " configuration comes");
    }

    @Test
    void aNumberOutOfItsMetatypeBoundsIsRefusedInOneLineNamingTheKeyAndNothingListens() throws IOException {
        // Config Admin hands over what it was given: only files in etc/ pass the config gate.
        when(context.getProperty("msf.data")).thenReturn(temp.resolve("data").toString());
        Object[][] bad = {{"maxClients", 65, "1..64"}, {"maxLineBytes", 255, "256..1048576"},
            {"maxLineBytes", 1_048_577, "256..1048576"}, {"outputTimeoutMillis", 999, "1000..600000"},
            {"outputTimeoutMillis", 600_001, "1000..600000"}, {"maxNestedCommands", 9, "10..10000"},
            {"maxNestedCommands", 10_001, "10..10000"}};
        for (Object[] value : bad) {
            new ConsoleServer(outOfBounds(value), context, gogo.processor(), log).stop();
        }

        assertThat(refusals()).containsExactly(java.util.Arrays.stream(bad).map(value -> "msf.console: " + value[0]
                + ": " + value[1] + " is not in " + value[2] + "; the console is not started: bin/msf exec and console"
                + " cannot attach until a good configuration comes").toArray(String[]::new));
        assertThat(temp.resolve("data").resolve("msf.sock")).doesNotExist();
    }

    @Test
    void aChangeRefusedLeavesTheConsoleListeningAsItWas() throws IOException {
        Path dataDir = temp.resolve("data");
        when(context.getProperty("msf.data")).thenReturn(dataDir.toString());
        Path socket = dataDir.resolve("msf.sock");
        ConsoleServer server = new ConsoleServer(config(true, "msf.sock"), context, gogo.processor(), log);
        try {
            server.modified(outOfBounds(new Object[] {"maxClients", 65}));

            assertThat(refusals()).containsExactly("msf.console: maxClients: 65 is not in 1..64; the console stays as"
                    + " it was, listening on " + socket);
            assertThat(ClientRun.exec(socket, "test:echo", "still").out()).isEqualTo("still\n");
        } finally {
            server.stop();
        }
    }

    @Test
    void aGoodChangeRebindsAndOneAfterAStartRefusedStartsTheConsole() throws IOException {
        Path dataDir = temp.resolve("data");
        when(context.getProperty("msf.data")).thenReturn(dataDir.toString());
        ConsoleServer server = new ConsoleServer(outOfBounds(new Object[] {"maxClients", 0}), context,
                gogo.processor(), log);
        try {
            server.modified(config(true, "msf.sock"));
            assertThat(ClientRun.exec(dataDir.resolve("msf.sock"), "test:echo", "up").out()).isEqualTo("up\n");

            server.modified(config(true, "other.sock"));

            assertThat(dataDir.resolve("msf.sock")).doesNotExist();
            assertThat(ClientRun.exec(dataDir.resolve("other.sock"), "test:echo", "moved").out()).isEqualTo("moved\n");
            assertThat(Files.readString(dataDir.resolve("msf.sock.path"))).isEqualTo(dataDir.resolve("other.sock") + "\n");
        } finally {
            server.stop();
        }
    }

    /**
     * A change to a socket in a folder others may enter stopped the console before the new socket was refused: no
     * console at all, and nothing tried again. The new socket is bound first now: the console stays where it was,
     * one ERROR line names the key, the path and why, and the next change takes the path once its folder is fixed,
     * the clients connected before served on.
     */
    @Test
    void aChangeToASocketThatCannotBeUsedLeavesTheConsoleWhereItWasUntilTheNextChange() throws IOException {
        Path dataDir = temp.resolve("data");
        when(context.getProperty("msf.data")).thenReturn(dataDir.toString());
        Path socket = dataDir.resolve("msf.sock");
        Path open = Files.createDirectory(temp.resolve("shared"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path moved = open.resolve("c.sock");
        ConsoleServer server = new ConsoleServer(config(true, "msf.sock"), context, gogo.processor(), log);
        try (RawClient before = RawClient.greeted(socket)) {
            server.modified(config(true, moved.toString()));

            assertThat(ClientRun.exec(socket, "test:echo", "still").out()).isEqualTo("still\n");
            assertThat(errorLines()).containsExactly("msf.console: socket: cannot listen on " + moved + ": directory "
                    + open + " of the console socket is rwxr-xr-x; it must be owner-only (rwx------) so that no other"
                    + " user can connect: chmod 700 it, or set msf.console socket to a path in msf.data; the console"
                    + " stays as it was, listening on " + socket + " (the next change of the configuration tries"
                    + " again)");
            assertThat(Files.readString(dataDir.resolve("msf.sock.path"))).isEqualTo(socket + "\n");
            assertThat(moved).doesNotExist();

            Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwx------"));
            server.modified(config(true, moved.toString()));

            assertThat(ClientRun.exec(moved, "test:echo", "moved").out()).isEqualTo("moved\n");
            assertThat(socket).doesNotExist();
            assertThat(Files.readString(dataDir.resolve("msf.sock.path"))).isEqualTo(moved + "\n");
            exec(before, "test:echo served on");
            assertThat(before.read().text()).as("a client connected before the move").isEqualTo("served on\n");
        } finally {
            server.stop();
        }
    }

    /**
     * Any change bound the socket again and cut the clients, a command under way too, without a word. A new output
     * timeout or nested bound now applies in place: the command under way goes on, and the next commands of the
     * clients connected take the new values.
     */
    @Test
    void aChangeOfTheOutputTimeoutOrNestedBoundKeepsTheClientsAndTheirNextCommandsTakeIt() throws Exception {
        Path dataDir = temp.resolve("data");
        when(context.getProperty("msf.data")).thenReturn(dataDir.toString());
        Path socket = dataDir.resolve("msf.sock");
        TestCommands.BLOCKS_STARTED.drainPermits();
        TestCommands.BLOCKS_INTERRUPTED.drainPermits();
        TestCommands.FLOODS_ENDED.drainPermits();
        ConsoleServer server = new ConsoleServer(config(true, "msf.sock"), context, gogo.processor(), log);
        try {
            try (RawClient running = RawClient.greeted(socket); RawClient idle = RawClient.greeted(socket)) {
                exec(running, "test:block");
                assertThat(TestCommands.BLOCKS_STARTED.tryAcquire(5, TimeUnit.SECONDS)).isTrue();

                server.modified(limits(8, 1000, 10));

                assertThat(TestCommands.BLOCKS_INTERRUPTED.availablePermits()).as("the command under way").isZero();
                exec(idle, "f = { f } ; f");
                assertThat(statusOf(idle).statusMessage()).contains("have 10 nested commands under way");
                exec(idle, "test:flood"); // its output left unread: cut after the new timeout, not after 30 s
                assertThat(TestCommands.FLOODS_ENDED.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(TestCommands.BLOCKS_INTERRUPTED.tryAcquire(5, TimeUnit.SECONDS))
                    .as("the blocked command, connected until its client left").isTrue();
        } finally {
            server.stop();
        }
    }

    /**
     * A new client limit needs a new listener on the same socket; the clients of the old one are served on until
     * they leave, instead of being cut.
     */
    @Test
    void aChangeOfAClientLimitBindsTheSocketAgainAndTheClientsConnectedAreServedOn() throws IOException {
        Path dataDir = temp.resolve("data");
        when(context.getProperty("msf.data")).thenReturn(dataDir.toString());
        Path socket = dataDir.resolve("msf.sock");
        ConsoleServer server = new ConsoleServer(config(true, "msf.sock"), context, gogo.processor(), log);
        try (RawClient before = RawClient.greeted(socket)) {
            server.modified(limits(2, 30000, 1000));

            try (RawClient one = RawClient.greeted(socket); RawClient two = RawClient.greeted(socket)) {
                assertThat(ClientRun.exec(socket, "test:echo", "third").err()).contains("2 are connected");
            }
            exec(before, "test:echo served on");
            assertThat(before.read().text()).as("a client connected before the change").isEqualTo("served on\n");
        } finally {
            server.stop();
        }
    }

    private static ConsoleConfiguration limits(int maxClients, int outputTimeoutMillis, int maxNestedCommands) {
        ConsoleConfiguration config = config(true, "msf.sock");
        when(config.maxClients()).thenReturn(maxClients);
        when(config.outputTimeoutMillis()).thenReturn(outputTimeoutMillis);
        when(config.maxNestedCommands()).thenReturn(maxNestedCommands);
        return config;
    }

    private static void exec(RawClient client, String line) throws IOException {
        byte[] payload = line.getBytes(StandardCharsets.UTF_8);
        client.send(FrameType.EXEC.code(), payload.length, payload);
    }

    /** The STATUS that answers the client's command, past its output. */
    private static Frame statusOf(RawClient client) throws IOException {
        for (Frame frame = client.read(); frame != null; frame = client.read()) {
            if (frame.type() == FrameType.STATUS) {
                return frame;
            }
        }
        throw new AssertionError("connection closed before the STATUS");
    }

    /** Every ERROR line logged, with however many arguments, filled in as the log service prints them. */
    private List<String> errorLines() {
        return mockingDetails(log).getInvocations().stream().filter(call -> call.getMethod().getName().equals("error"))
                .map(call -> {
                    Object[] args = call.getArguments();
                    String line = (String) args[0];
                    for (int i = 1; i < args.length; i++) {
                        line = line.replaceFirst("\\{}", Matcher.quoteReplacement(String.valueOf(args[i])));
                    }
                    return line;
                }).toList();
    }

    /** The console's configuration but for one number, {@code {key, value}}. */
    private static ConsoleConfiguration outOfBounds(Object[] value) {
        ConsoleConfiguration config = config(true, "msf.sock");
        switch ((String) value[0]) {
            case "maxClients" -> when(config.maxClients()).thenReturn((Integer) value[1]);
            case "maxLineBytes" -> when(config.maxLineBytes()).thenReturn((Integer) value[1]);
            case "outputTimeoutMillis" -> when(config.outputTimeoutMillis()).thenReturn((Integer) value[1]);
            default -> when(config.maxNestedCommands()).thenReturn((Integer) value[1]);
        }
        return config;
    }

    /** The ERROR lines logged: each refusal's whole message, the format filled in. */
    private List<String> refusals() {
        ArgumentCaptor<String> format = ArgumentCaptor.forClass(String.class);
        ArgumentCaptor<Object> args = ArgumentCaptor.forClass(Object.class);
        verify(log, atLeast(0)).error(format.capture(), args.capture(), args.capture());
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < format.getAllValues().size(); i++) {
            lines.add(format.getAllValues().get(i).replaceFirst("\\{}", java.util.regex.Matcher.quoteReplacement(
                    String.valueOf(args.getAllValues().get(2 * i)))).replaceFirst("\\{}",
                    java.util.regex.Matcher.quoteReplacement(String.valueOf(args.getAllValues().get(2 * i + 1)))));
        }
        ArgumentCaptor<String> oneFormat = ArgumentCaptor.forClass(String.class);
        ArgumentCaptor<Object> oneArg = ArgumentCaptor.forClass(Object.class);
        verify(log, atLeast(0)).error(oneFormat.capture(), oneArg.capture());
        for (int i = 0; i < oneFormat.getAllValues().size(); i++) {
            lines.add(oneFormat.getAllValues().get(i).replaceFirst("\\{}", java.util.regex.Matcher.quoteReplacement(
                    String.valueOf(oneArg.getAllValues().get(i)))));
        }
        return lines;
    }

    @Test
    void tooLongASocketPathSaysWhatToChange() {
        Path deep = temp.resolve("d".repeat(60)).resolve("e".repeat(60));
        when(context.getProperty("msf.data")).thenReturn(deep.toString());

        assertThatThrownBy(() -> new ConsoleServer(config(true, "msf.sock"), context, gogo.processor(), log))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("cannot bind console socket " + deep.resolve("msf.sock"))
                .hasMessageContaining("shorter msf.data");
        assertThat(deep.resolve("msf.sock")).doesNotExist();
    }

    /**
     * A console session starts as the local console's does: with etc/gosh_profile under gosh.home
     * (here the one the assembly ships, run by Gogo JLine's own commands) and the BundleContext as
     * .context. The stack trace {@code e} prints goes to the client that asked, through the
     * session's streams, and the profile's context: commands work.
     */
    @Test
    void sessionsSourceTheShippedProfileAndItsEPrintsTheLastFailureToTheClient() throws IOException {
        ClientRun run = withTheShippedProfile(
                socket -> ClientRun.console(socket, "test:fail boom\ne\ncontext:getProperty msf.data\n"));

        assertThat(run.err()).startsWith("boom\njava.lang.IllegalArgumentException: boom\n\tat ");
        assertThat(run.out()).isEqualTo("msf> msf> msf> " + temp.resolve("data") + "\nmsf> \n");
    }

    /**
     * {@code bin/msf exec e}, as the README's words on {@code e} invite, runs in a session of its own
     * where nothing failed: the shipped profile's e said Gogo's 'Command name evaluates to null:
     * $exception'. It now says why there is nothing to print, and where e works.
     */
    @Test
    void theShippedProfilesEWithoutAFailureSaysThereIsNone() throws IOException {
        ClientRun run = withTheShippedProfile(socket -> ClientRun.exec(socket, "e"));

        assertThat(run.exitCode()).isEqualTo(MsfClient.EXIT_FAILED);
        assertThat(run.err()).isEqualTo("msf: e: no command has failed in this session (bin/msf exec runs each"
                + " command in a session of its own: use e in bin/msf console)\n");
    }

    /**
     * {@code e} with nothing failed, twice in one bin/msf console session: the first one's own "no
     * command has failed" was thrown, became the session's $exception, and the second e printed its
     * stack trace. Both say there is nothing to print, and exec e still fails (scripts see it).
     */
    @Test
    void theShippedProfilesEWithoutAFailureSaysSoEachTimeInAConsole() throws IOException {
        ClientRun run = withTheShippedProfile(socket -> ClientRun.console(socket, "e\ne\n"));

        String note = "e: no command has failed in this session (bin/msf exec runs each command in a session"
                + " of its own: use e in bin/msf console)\n";
        assertThat(run.err()).isEqualTo(note + note);
    }

    @Test
    void aProfileThatFailsIsToldToTheClientNamingItsFileAndTheSessionGoesOn() throws IOException {
        withGogoJLine();
        Path dataDir = temp.resolve("data");
        Path home = profileHome("no:such-command\n");
        when(context.getProperty("msf.data")).thenReturn(dataDir.toString());
        when(context.getProperty("gosh.home")).thenReturn(home.toString());

        ConsoleServer server = new ConsoleServer(config(true, "msf.sock"), context, gogo.processor(), log);
        try {
            ClientRun run = ClientRun.exec(dataDir.resolve("msf.sock"), "test:echo", "still", "here");

            assertThat(run.err()).isEqualTo(home.resolve("etc/gosh_profile") + ": Command not found: no:such-command;"
                    + " this session runs without the rest of it\n");
            assertThat(run.out()).isEqualTo("still here\n");
            assertThat(run.exitCode()).isEqualTo(MsfClient.EXIT_OK);
        } finally {
            server.stop();
        }
    }

    /**
     * Without Gogo JLine (a child container of the service profile) nothing sources the profile
     * for a local console either; sessions skip it instead of saying "Command not found: try".
     */
    @Test
    void withoutGogoJLineTheProfileIsSkippedAndTheOutputIsTheCommandsAlone() throws IOException {
        Path dataDir = temp.resolve("data");
        withShippedProfile(dataDir);

        ConsoleServer server = new ConsoleServer(config(true, "msf.sock"), context, gogo.processor(), log);
        try {
            assertThat(ClientRun.exec(dataDir.resolve("msf.sock"), "test:echo", "alone"))
                    .isEqualTo(new ClientRun(MsfClient.EXIT_OK, "alone\n", ""));
        } finally {
            server.stop();
        }
    }

    /**
     * A console session has no terminal, and says so to Gogo JLine's commands: {@code grep} marks
     * no match with colour escapes (Gogo takes a session's own output for a terminal, so
     * {@code bin/msf exec 'lb | grep msf' > file} wrote them into the file), and {@code ls}, which
     * reads the terminal's width, lists instead of failing with a NullPointerException. Its
     * full-screen programs are refused, saying why: on a dumb terminal {@code less} spun until the
     * client left.
     */
    @Test
    void gogoJLineCommandsSeeNoTerminalSoGrepWritesNoEscapesAndLsLists() throws IOException {
        withGogoJLine();
        gogo.add("gogo", new Posix(gogo.processor()), "grep", "ls", "less");
        Path dataDir = temp.resolve("data");
        Path home = withShippedProfile(dataDir);
        Path b = Files.writeString(home.resolve("b.txt"), "");
        Path c = Files.writeString(home.resolve("c.sh"), "");
        Files.setPosixFilePermissions(c, PosixFilePermissions.fromString("rwx------")); // ls colours executables

        ConsoleServer server = new ConsoleServer(config(true, "msf.sock"), context, gogo.processor(), log);
        try {
            assertThat(ClientRun.exec(dataDir.resolve("msf.sock"), "test:echo 'msf log' | grep -n msf"))
                    .isEqualTo(new ClientRun(MsfClient.EXIT_OK, "1:msf log\n", ""));
            ClientRun listed = new ClientRun(MsfClient.EXIT_OK, b + "\n" + c + "\n", "");
            assertThat(ClientRun.exec(dataDir.resolve("msf.sock"), "ls " + b + " " + c)).isEqualTo(listed);
            assertThat(ClientRun.exec(dataDir.resolve("msf.sock"), "ls -1 " + b + " " + c)).isEqualTo(listed);
            ClientRun less = ClientRun.exec(dataDir.resolve("msf.sock"), "less " + b);
            assertThat(less.exitCode()).isEqualTo(MsfClient.EXIT_FAILED);
            assertThat(less.err()).contains("less needs a terminal, and a session of bin/msf console or exec has none");
            assertThat(ClientRun.exec(dataDir.resolve("msf.sock"), "gogo:less " + b).err())
                    .contains("less needs a terminal");
        } finally {
            server.stop();
        }
    }

    /**
     * A Gogo JLine command that fails says why itself and sets an error status instead of throwing
     * (cat of a missing file, grep matching nothing, as their Unix namesakes): exec's exit code was 0
     * for them, so a script took them for done. The status is now the exit code, as a shell's $?.
     */
    @Test
    void anErrorStatusOfAGogoCommandIsExecsExitCode() throws IOException {
        withGogoJLine();
        gogo.add("gogo", new Posix(gogo.processor()), "cat", "grep");
        Path dataDir = temp.resolve("data");
        withShippedProfile(dataDir);

        ConsoleServer server = new ConsoleServer(config(true, "msf.sock"), context, gogo.processor(), log);
        try {
            Path socket = dataDir.resolve("msf.sock");
            ClientRun missing = ClientRun.exec(socket, "cat " + temp.resolve("missing.txt"));
            assertThat(missing.exitCode()).isEqualTo(MsfClient.EXIT_FAILED);
            assertThat(missing.err()).startsWith("cat: ").contains("missing.txt").doesNotContain("msf:");
            assertThat(ClientRun.exec(socket, "test:echo abc | grep xyz"))
                    .isEqualTo(new ClientRun(MsfClient.EXIT_FAILED, "", ""));
            assertThat(ClientRun.exec(socket, "test:echo abc | grep abc"))
                    .isEqualTo(new ClientRun(MsfClient.EXIT_OK, "abc\n", ""));
            assertThat(ClientRun.exec(socket, "test:echo abc | grep xyz; test:echo after"))
                    .as("the last statement's status, as a shell's")
                    .isEqualTo(new ClientRun(MsfClient.EXIT_OK, "after\n", ""));
            assertThat(ClientRun.run("test:echo abc | grep xyz\ntest:echo next\n", socket.toString(), "console",
                    MsfClient.SCRIPT)).as("a script's line that failed so is told").isEqualTo(new ClientRun(
                            MsfClient.EXIT_FAILED, "next\n", "msf: line 1 failed: test:echo abc | grep xyz\n"));
        } finally {
            server.stop();
        }
    }

    /**
     * What {@code client} is told by a console server on {@code msf.sock} in the data folder, whose
     * sessions source the shipped profile with Gogo JLine's commands.
     */
    private ClientRun withTheShippedProfile(Function<Path, ClientRun> client) throws IOException {
        withGogoJLine();
        Path dataDir = temp.resolve("data");
        withShippedProfile(dataDir);
        ConsoleServer server = new ConsoleServer(config(true, "msf.sock"), context, gogo.processor(), log);
        try {
            return client.apply(dataDir.resolve("msf.sock"));
        } finally {
            server.stop();
        }
    }

    /** The commands the shipped profile is made of: Gogo JLine's, and addcommand, which Gogo registers. */
    private void withGogoJLine() {
        gogo.add("gogo", new Procedural(), "try", "if", "throw")
                .add("gogo", new Builtin(), "new")
                .add("gogo", gogo.processor(), "addcommand");
    }

    /** Sessions of a container with data folder {@code dataDir} and the shipped profile; returns gosh.home. */
    private Path withShippedProfile(Path dataDir) throws IOException {
        Path home = profileHome(Files.readString(SHIPPED_PROFILE));
        when(context.getProperty("msf.data")).thenReturn(dataDir.toString());
        when(context.getProperty("gosh.home")).thenReturn(home.toString());
        return home;
    }

    private Path profileHome(String profile) throws IOException {
        Path home = temp.resolve("home");
        Files.createDirectories(home.resolve("etc"));
        Files.writeString(home.resolve("etc/gosh_profile"), profile);
        return home;
    }

    private static ConsoleConfiguration config(boolean enabled, String socket) {
        ConsoleConfiguration config = mock(ConsoleConfiguration.class);
        when(config.enabled()).thenReturn(enabled);
        when(config.socket()).thenReturn(socket);
        when(config.maxClients()).thenReturn(8);
        when(config.maxLineBytes()).thenReturn(65536);
        when(config.outputTimeoutMillis()).thenReturn(30000);
        when(config.maxNestedCommands()).thenReturn(1000);
        return config;
    }
}
