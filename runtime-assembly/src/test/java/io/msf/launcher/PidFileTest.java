package io.msf.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PidFileTest {

    @TempDir
    Path data;

    private Process other;

    @AfterEach
    void endOtherProcess() throws InterruptedException {
        if (other != null) {
            other.destroyForcibly().waitFor();
        }
    }

    @Test
    void recordsThisProcessAndRemovesTheFileOnRelease() throws IOException {
        Path file = data.resolve("msf.pid");

        PidFile pidFile = PidFile.claim(file, data);

        assertThat(PidFile.read(file)).contains(ProcessHandle.current().pid());
        pidFile.release();
        assertThat(file).doesNotExist();
    }

    @Test
    void aFileAlreadyNamingThisProcessIsFine() throws IOException {
        // bin/msf start writes the pid of the process it launched before the launcher runs
        Path file = data.resolve("msf.pid");
        Files.writeString(file, ProcessHandle.current().pid() + "\n");

        PidFile.claim(file, data);

        assertThat(PidFile.read(file)).contains(ProcessHandle.current().pid());
    }

    @Test
    void refusesWhileALauncherThatNamesNoDataFolderIsAlive() throws IOException {
        // a live process whose command line carries the launcher's class name but no -Dmsf.data or
        // -Dmsf.home: whose data folder it uses cannot be told, so it counts as this one's
        other = new ProcessBuilder("sh", "-c", "sleep 60", PidFile.LAUNCHER_MARK).start();
        assertClaimRefusedWhile(other);
    }

    @Test
    void replacesTheFileWhenThePidNowBelongsToTheLauncherOfAnotherDataFolder() throws Exception {
        // after a crash or a reboot the recorded pid is a sibling container's (say another child
        // of the supervisor): alive, an msf launcher, but of its own data folder
        Path otherData = Files.createDirectories(data.resolveSibling(data.getFileName() + "-sibling"));
        other = launcherLike(otherData.toString(), "");
        Path file = data.resolve("msf.pid");
        Files.writeString(file, other.pid() + "\n");

        PidFile.claim(file, data);

        assertThat(PidFile.read(file)).contains(ProcessHandle.current().pid());
        assertThat(other.isAlive()).isTrue();
    }

    @Test
    void refusesWhileTheContainerOfThisDataFolderIsAlive() throws IOException {
        // named through a symlink and with a trailing "/.": still this folder
        Path link = Files.createSymbolicLink(data.resolveSibling(data.getFileName() + "-link"), data);
        try {
            other = launcherLike(link + "/.", "");
            assertClaimRefusedWhile(other);
        } finally {
            Files.delete(link);
        }
    }

    @Test
    void refusesWhileTheContainerOfThisDataFolderWithALongCommandLineIsAlive() throws IOException {
        // past 4096 bytes the JDK's ProcessHandle.Info on Linux has no arguments and a command line
        // cut short, before the launcher's class name; a child container has many options
        other = launcherLike(data.toString(), "x".repeat(5000));
        assertClaimRefusedWhile(other);
    }

    /** With {@code running}'s pid in the file, a claim is refused, naming it. */
    private void assertClaimRefusedWhile(Process running) throws IOException {
        Path file = data.resolve("msf.pid");
        Files.writeString(file, running.pid() + "\n");

        assertThatThrownBy(() -> PidFile.claim(file, data))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already running as pid " + running.pid());
    }

    /**
     * A pid file edited by hand is read as bin/msf reads it: its first line, digits without a leading 0.
     * The whole file was parsed trimmed: two lines named no pid here and the first line's to bin/msf, so a
     * launcher started beside the container bin/msf said was running; and a pid with a space or a sign
     * was one here and a broken file to bin/msf, which said nothing ran where a launcher refused to start.
     */
    @Test
    void aPidFileIsReadAsBinMsfReadsIt() {
        assertThat(PidFile.pidIn("12\n")).contains(12L);
        assertThat(PidFile.pidIn("12")).contains(12L);
        assertThat(PidFile.pidIn("12\n34\n")).as("the first line alone").contains(12L);
        assertThat(PidFile.pidIn("123456789012345678")).contains(123456789012345678L);
        for (String broken : List.of(" 12", "12 ", "+12", "-1", "0", "012", "12\r\n", "", "\n12", "pid=12",
                "1234567890123456789", "99999999999999999999")) {
            assertThat(PidFile.pidIn(broken)).as("'%s'", broken).isEmpty();
        }
    }

    @Test
    void refusesWhileTheFirstLineOfAFileOfTwoNamesTheContainerOfThisDataFolder() throws IOException {
        other = launcherLike(data.toString(), "");
        Path file = data.resolve("msf.pid");
        Files.writeString(file, other.pid() + "\n34\n");

        assertThatThrownBy(() -> PidFile.claim(file, data)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already running as pid " + other.pid());
    }

    @Test
    void replacesAFileBinMsfTakesForBrokenThoughItsDigitsNameTheContainer() throws IOException {
        // bin/msf status says no container runs and stop removes the file: the launcher agrees
        other = launcherLike(data.toString(), "");
        Path file = data.resolve("msf.pid");
        Files.writeString(file, " " + other.pid() + "\n");

        PidFile.claim(file, data);

        assertThat(PidFile.read(file)).contains(ProcessHandle.current().pid());
    }

    @Test
    void theLastDataFolderOptionCounts() {
        // MSF_JAVA_OPTS comes before bin/msf's own -Dmsf.data; java takes the last one
        Path other = data.resolveSibling("elsewhere");
        assertThat(PidFile.namesDataFolder(List.of("java", "-Dmsf.data=" + other, "-Dmsf.data=" + data, "-cp", "lib/*",
                PidFile.LAUNCHER_MARK), Optional.empty(), data)).isTrue();
        assertThat(PidFile.namesDataFolder(List.of("java", "-Dmsf.data=" + data, "-Dmsf.data=" + other, "-cp", "lib/*",
                PidFile.LAUNCHER_MARK), Optional.empty(), data)).isFalse();
    }

    @Test
    void withoutADataFolderOptionTheHomesDataFolderCounts() throws IOException {
        Path home = Files.createDirectories(data.resolve("home"));
        Path homeData = Files.createDirectories(home.resolve("data"));
        List<String> line = List.of("java", "-Dmsf.home=" + home, "-cp", "lib/*", PidFile.LAUNCHER_MARK);

        assertThat(PidFile.namesDataFolder(line, Optional.empty(), homeData)).isTrue();
        assertThat(PidFile.namesDataFolder(line, Optional.empty(), data)).isFalse();
    }

    @Test
    void aRelativeDataFolderIsThatProcesssWorkingDirectorys() throws IOException {
        Path work = Files.createDirectories(data.resolve("work"));
        Path workData = Files.createDirectories(work.resolve("d"));
        List<String> line = List.of("java", "-Dmsf.data=d", "-cp", "lib/*", PidFile.LAUNCHER_MARK);

        assertThat(PidFile.namesDataFolder(line, Optional.of(work), workData)).isTrue();
        assertThat(PidFile.namesDataFolder(line, Optional.of(work), data)).isFalse();
        // whose it is cannot be told: counts as this folder's
        assertThat(PidFile.namesDataFolder(line, Optional.empty(), data)).isTrue();
    }

    @Test
    void anotherProgramNamingTheFolderIsNoContainer() {
        assertThat(PidFile.namesDataFolder(List.of("tail", "-f", data + "/log/msf.log", "-Dmsf.data=" + data),
                Optional.empty(), data)).isFalse();
    }

    @Test
    void replacesTheFileOfADeadProcess() throws Exception {
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        Path file = data.resolve("msf.pid");
        Files.writeString(file, dead.pid() + "\n");

        PidFile.claim(file, data);

        assertThat(PidFile.read(file)).contains(ProcessHandle.current().pid());
    }

    @Test
    void replacesTheFileWhenThePidNowBelongsToAnotherProgram() throws IOException {
        other = new ProcessBuilder("sleep", "60").start();
        Path file = data.resolve("msf.pid");
        Files.writeString(file, other.pid() + "\n");

        PidFile.claim(file, data);

        assertThat(PidFile.read(file)).contains(ProcessHandle.current().pid());
    }

    @Test
    void ofLaunchersClaimingOneDataFolderAtOnceOnlyOneRuns() throws Exception {
        // two `bin/msf run` at once, or a run racing a start: each launcher found no live
        // container in the file before either had written its own pid, and both ran
        for (int round = 0; round < 4; round++) {
            Path folder = Files.createDirectories(data.resolve("round" + round));
            Path go = folder.resolve("go");
            List<Process> claimers = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    claimers.add(claimer(folder, go));
                }
                for (Process claimer : claimers) {
                    assertThat(line(claimer)).isEqualTo("waiting");
                }
                Files.createFile(go);
                List<String> outcomes = new ArrayList<>();
                for (Process claimer : claimers) {
                    outcomes.add(line(claimer));
                }
                assertThat(outcomes).as("round " + round).containsOnlyOnce("claimed")
                        .allMatch(outcome -> outcome.equals("claimed") || outcome.startsWith("refused: already running"));
                long holder = claimers.get(outcomes.indexOf("claimed")).pid();
                assertThat(PidFile.read(folder.resolve("msf.pid"))).contains(holder);
            } finally {
                for (Process claimer : claimers) {
                    claimer.destroyForcibly().waitFor();
                }
            }
        }
    }

    @Test
    void aLauncherWhosePidWasWrittenOverTheRunningContainersIsRefused() throws Exception {
        // bin/msf start writes the pid of the JVM it launched into the file, having found no
        // container there a moment before: a launcher of `run` that claimed the folder meanwhile
        // was no longer named there, and the start's launcher, finding its own pid, ran too
        Path go = data.resolve("go");
        Process running = claimer(data, go);
        Process started = claimer(data, data.resolve("go-started"));
        try {
            assertThat(line(running)).isEqualTo("waiting");
            assertThat(line(started)).isEqualTo("waiting");
            Files.createFile(go);
            assertThat(line(running)).isEqualTo("claimed");
            Files.writeString(data.resolve("msf.pid"), started.pid() + "\n");

            Files.createFile(data.resolve("go-started"));

            assertThat(line(started)).isEqualTo("refused: already running as pid " + running.pid() + " (it holds "
                    + data.resolve("msf.pid.lock") + ")");
        } finally {
            running.destroyForcibly().waitFor();
            started.destroyForcibly().waitFor();
        }
    }

    @Test
    void aRefusedLauncherWhosePidWasWrittenOverPutsTheContainersPidBack() throws Exception {
        // a run racing a start: the run's launcher holds the folder, bin/msf start wrote the pid of
        // the JVM it launched over its record, then removed that record when its launcher was
        // refused, leaving the running container without a pid file
        Process running = claimer(data, data.resolve("go"));
        Process started = claimer(data, data.resolve("go-started"));
        try {
            assertThat(line(running)).isEqualTo("waiting");
            assertThat(line(started)).isEqualTo("waiting");
            Files.createFile(data.resolve("go"));
            assertThat(line(running)).isEqualTo("claimed");
            Files.writeString(data.resolve("msf.pid"), started.pid() + "\n");

            Files.createFile(data.resolve("go-started"));

            assertThat(line(started)).startsWith("refused: already running as pid " + running.pid());
            assertThat(PidFile.read(data.resolve("msf.pid"))).contains(running.pid());
        } finally {
            running.destroyForcibly().waitFor();
            started.destroyForcibly().waitFor();
        }
    }

    @Test
    void aRefusedLauncherNamesTheHolderNotThePidItsPredecessorLeftInTheLock() throws Exception {
        // the holder writes its pid into the lock file just after taking the lock: until then the
        // file holds the last container's pid, which may be another program's by now
        other = new ProcessBuilder("sleep", "60").start();
        Path lock = data.resolve("msf.pid.lock");
        Files.writeString(lock, other.pid() + "\n");
        try (FileChannel held = FileChannel.open(lock, StandardOpenOption.WRITE); FileLock taken = held.lock()) {
            long self = ProcessHandle.current().pid();
            CompletableFuture<Void> holderWrites = CompletableFuture.runAsync(() -> {
                try {
                    Thread.sleep(300);
                    held.truncate(0).write(ByteBuffer.wrap((self + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });

            assertThatThrownBy(() -> PidFile.claim(data.resolve("msf.pid"), data))
                    .isInstanceOf(IllegalStateException.class).hasMessage("already running as pid " + self
                            + " (it holds " + lock + ")");
            holderWrites.join();
        }
    }

    @Test
    void aLauncherNamedInThePidFileRunsWhenTheLauncherRefusedForItLetsTheLockGo() throws Exception {
        // a run racing a start: bin/msf start wrote the pid of the JVM it launched (here this one) into the
        // file; the run's launcher took the lock, found that live launcher there and was refused, letting the
        // lock go without writing its pid. The start's launcher, refused by the lock meanwhile, left none running.
        Path file = data.resolve("msf.pid");
        Path lock = data.resolve("msf.pid.lock");
        long self = ProcessHandle.current().pid();
        Files.writeString(file, self + "\n");
        Files.writeString(lock, "");
        FileChannel held = FileChannel.open(lock, StandardOpenOption.WRITE);
        FileLock taken = held.lock();
        CompletableFuture<Void> refusedLetsGo = CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(300); // the refused launcher's look at the recorded pid's command line
                taken.release();
                held.close();
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        PidFile pidFile = PidFile.claim(file, data);

        refusedLetsGo.join();
        assertThat(PidFile.read(file)).contains(self);
        assertThat(lock).hasContent(self + "");
        pidFile.release();
    }

    @Test
    void theFileAndTheLockAreOwnerOnly() throws IOException {
        Path file = data.resolve("msf.pid");
        // as an older launcher left it, with the umask's permissions
        Files.createFile(data.resolve("msf.pid.lock"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-r--r--")));

        PidFile pidFile = PidFile.claim(file, data);

        try {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("msf.pid.lock"))))
                    .isEqualTo("rw-------");
        } finally {
            pidFile.release();
        }
    }

    @Test
    void theLockGoesWithAContainerKilledWithSigkill() throws Exception {
        Path go = data.resolve("go");
        Process killed = claimer(data, go);
        try {
            assertThat(line(killed)).isEqualTo("waiting");
            Files.createFile(go);
            assertThat(line(killed)).isEqualTo("claimed");
        } finally {
            killed.destroyForcibly().waitFor();
        }

        PidFile.claim(data.resolve("msf.pid"), data).release();
    }

    /** A JVM that, launcher-like, claims {@code data}'s pid file once {@code go} exists ({@link Claimer}). */
    private static Process claimer(Path data, Path go) throws IOException {
        String classPath = location(Claimer.class) + File.pathSeparator + location(PidFile.class);
        return new ProcessBuilder(ChildJava.command("-Xshare:auto", "-XX:TieredStopAtLevel=1", "-Dmsf.data=" + data,
                "-cp", classPath, Claimer.class.getName(), PidFile.LAUNCHER_MARK, go.toString()))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static String location(Class<?> type) {
        return Path.of(URI.create(type.getProtectionDomain().getCodeSource().getLocation().toString())).toString();
    }

    /** The next line {@code process} prints, within 30 s. */
    private static String line(Process process) throws Exception {
        BufferedReader reader = READERS.computeIfAbsent(process, p -> new BufferedReader(
                new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
        CompletableFuture<String> next = CompletableFuture.supplyAsync(() -> {
            try {
                return reader.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return next.get(30, TimeUnit.SECONDS);
    }

    private static final Map<Process, BufferedReader> READERS = new ConcurrentHashMap<>();

    /**
     * The main class of {@link #claimer}: says "waiting", spins until the go file exists (so that
     * the claims start as nearly at once as the machine allows), claims, says "claimed" or
     * "refused: ...", and then stays alive, as a container would, until killed (or ends after a
     * minute without the go file, left behind by a test that failed before creating it).
     */
    static final class Claimer {
        public static void main(String[] args) throws Exception {
            Path data = Path.of(System.getProperty("msf.data"));
            Path go = Path.of(args[1]);
            System.out.println("waiting");
            System.out.flush();
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // a test that failed first
            while (!Files.exists(go)) {
                if (System.nanoTime() - giveUp > 0) {
                    return;
                }
                Thread.onSpinWait();
            }
            try {
                PidFile.claim(data.resolve("msf.pid"), data);
                System.out.println("claimed");
            } catch (IllegalStateException e) {
                System.out.println("refused: " + e.getMessage());
            } catch (IOException | RuntimeException e) {
                System.out.println("failed: " + e);
            }
            System.out.flush();
            Thread.sleep(120_000);
        }
    }

    /**
     * A real JVM whose command line carries the launcher's class name and {@code -Dmsf.data=data},
     * as bin/msf and the supervisor start a container (it only sleeps).
     */
    static Process launcherLike(String data, String padding) throws IOException {
        String classes = Path.of(URI.create(Idle.class.getProtectionDomain().getCodeSource().getLocation().toString()))
                .toString();
        Process process = new ProcessBuilder(ChildJava.command("-Dpadding=" + padding, "-Dmsf.data=" + data, "-cp",
                classes, Idle.class.getName(), PidFile.LAUNCHER_MARK)).redirectErrorStream(true).start();
        if (padding.isEmpty()) {
            assertThat(process.info().commandLine()).hasValueSatisfying(line -> assertThat(line)
                    .contains(PidFile.LAUNCHER_MARK).contains("-Dmsf.data=" + data));
        }
        return process;
    }

    /** The main class of {@link #launcherLike}: waits to be killed. */
    static final class Idle {
        public static void main(String[] args) throws InterruptedException {
            Thread.sleep(120_000);
        }
    }

    @Test
    void releaseLeavesAFileThatAnotherProcessHasTakenOver() throws IOException {
        Path file = data.resolve("msf.pid");
        PidFile pidFile = PidFile.claim(file, data);
        Files.writeString(file, "1\n");

        pidFile.release();

        assertThat(PidFile.read(file)).contains(1L);
    }

    @Test
    void theFolderMarksTheClaimingProcessUntilItsLockFileIsDeleted() throws IOException {
        Path file = data.resolve("msf.pid");
        PidFile pidFile = PidFile.claim(file, data);
        assertThat(pidFile.lost()).isEmpty();
        Files.delete(file); // bin/msf finds the container by the lock alone then

        assertThat(pidFile.lost()).isEmpty();
        Files.delete(data.resolve("msf.pid.lock"));

        assertThat(pidFile.lost()).hasValue(data.resolve("msf.pid.lock") + " was deleted");
        pidFile.release();
    }

    @Test
    void aLockFileReplacedByAnotherLaunchersIsLost() throws Exception {
        Path file = data.resolve("msf.pid");
        PidFile pidFile = PidFile.claim(file, data);
        Files.delete(data.resolve("msf.pid.lock"));
        other = launcherLike(data.toString(), "");
        Files.writeString(data.resolve("msf.pid.lock"), other.pid() + "\n");

        assertThat(pidFile.lost()).hasValue(data.resolve("msf.pid.lock") + " was replaced by the container of pid "
                + other.pid() + ", which runs on the folder now");
        pidFile.release();
        // the new holder's files stay
        assertThat(data.resolve("msf.pid.lock")).hasContent(other.pid() + "");
    }

    @Test
    void aDeletedDataFolderIsLost() throws IOException {
        Path folder = Files.createDirectory(data.resolve("data"));
        PidFile pidFile = PidFile.claim(folder.resolve("msf.pid"), folder);
        try (var files = Files.list(folder)) {
            for (Path path : files.toList()) {
                Files.delete(path);
            }
        }
        Files.delete(folder);

        assertThat(pidFile.lost()).hasValue("its data folder " + folder
                + " (the framework cache, the pid file, the sockets) was deleted or moved");
        Files.writeString(folder, "not a folder");

        assertThat(pidFile.lost()).hasValue("its data folder " + folder + " was replaced by a file");
        pidFile.release();
    }
}
