package io.msf.log.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The check of level, bundleLevels and file the config gate makes before it applies etc/msf.log.cfg. */
class LogConfigCheckTest {

    @TempDir
    Path dir;

    private final LogConfigCheck check = new LogConfigCheck();

    @Test
    void wellFormedLevelsAndNoneAtAllPass() {
        assertThat(check.apply("msf.log", Map.of("bundleLevels", "io.msf.net=DEBUG, io.msf.timer=off,"))).isEmpty();
        assertThat(check.apply("msf.log", Map.of("bundleLevels", ""))).isEmpty();
        assertThat(check.apply("msf.log", Map.of("level", "INFO"))).isEmpty();
    }

    @Test
    void aBadEntryIsToldAsTheLogItselfWouldRefuseIt() {
        assertThat(check.apply("msf.log", Map.of("bundleLevels", "io.msf.net=LOUD")))
                .containsExactly(Map.entry("bundleLevels", "entry 'io.msf.net=LOUD': 'LOUD' is not a log level;"
                        + " use one of TRACE, DEBUG, INFO, WARN, ERROR, OFF"));
        assertThat(check.apply("msf.log", Map.of("bundleLevels", "io.msf.net")))
                .containsExactly(Map.entry("bundleLevels", "entry 'io.msf.net' is not symbolic.name=LEVEL"));
        assertThat(check.apply("msf.log", Map.of("bundleLevels", "ROOT=DEBUG")))
                .containsExactly(Map.entry("bundleLevels", "the root level belongs in key 'level'"));
    }

    /** The root level as the log reads it: in any case, spaces around it ignored; what it refuses, told. */
    @Test
    void theRootLevelIsCheckedAsTheLogReadsIt() {
        assertThat(check.apply("msf.log", Map.of("level", "debug"))).isEmpty();
        assertThat(check.apply("msf.log", Map.of("level", " Warn "))).isEmpty();
        assertThat(check.apply("msf.log", Map.of("level", "loud"))).containsExactly(Map.entry("level",
                "'loud' is not a log level; use one of TRACE, DEBUG, INFO, WARN, ERROR, OFF"));
        assertThat(check.apply("msf.log", Map.of("level", "LOUD", "bundleLevels", "a=INFO,a=DEBUG")))
                .as("a bad level does not hide a bad bundleLevels").containsOnly(
                        Map.entry("level", "'LOUD' is not a log level; use one of TRACE, DEBUG, INFO, WARN, ERROR, OFF"),
                        Map.entry("bundleLevels", "bundle 'a' is listed twice"));
    }

    /**
     * A file the log could not write was applied by the gate, which said so; only the log's own
     * refusal, naming neither the etc file nor its line, told that the log stayed where it was.
     */
    @Test
    void aFileThatCannotBeMadeIsToldNamingWhatStandsInTheWay() throws IOException {
        Path notAFolder = Files.writeString(dir.resolve("notes.txt"), "a file, not a folder");
        assertThat(check.apply("msf.log", Map.of("file", notAFolder.resolve("msf.log").toString())))
                .containsExactly(Map.entry("file", "cannot be written: " + notAFolder + " is a file, not a folder"));
        assertThat(check.apply("msf.log", Map.of("file", notAFolder.resolve("logs/msf.log").toString())))
                .containsExactly(Map.entry("file", "cannot be written: " + notAFolder + " is a file, not a folder"));
        Path folder = Files.createDirectory(dir.resolve("msf.log"));
        assertThat(check.apply("msf.log", Map.of("file", folder.toString())))
                .containsExactly(Map.entry("file", "cannot be written: " + folder + " is a folder, not a file"));
    }

    /**
     * The log writes only a regular file: a link there (to a file it could write, or to nothing), a
     * device or a fifo passed as "exists and may be written", and the log then made what it found
     * owner-only and renamed it at each rotation.
     */
    @Test
    void aLinkADeviceOrAFifoIsRefusedNamingWhatItIs() throws Exception {
        Path target = Files.writeString(dir.resolve("shared.txt"), "");
        Path link = Files.createSymbolicLink(dir.resolve("msf.log"), target);
        Path leadingNowhere = Files.createSymbolicLink(dir.resolve("gone.log"), dir.resolve("gone"));
        Path device = Path.of("/dev/null"); // only looked at
        String regularOnly = "; msf writes its log only to a regular file it owns";

        assertThat(check.apply("msf.log", Map.of("file", link.toString()))).containsExactly(Map.entry("file",
                "cannot be written: " + link + " is a symbolic link (to " + target + ")" + regularOnly));
        assertThat(check.apply("msf.log", Map.of("file", leadingNowhere.toString()))).containsExactly(Map.entry(
                "file", "cannot be written: " + leadingNowhere + " is a symbolic link (to " + dir.resolve("gone") + ")"
                        + regularOnly));
        if (Files.exists(device)) {
            assertThat(check.apply("msf.log", Map.of("file", device.toString()))).containsExactly(
                    Map.entry("file", "cannot be written: /dev/null is a character device" + regularOnly));
        }
        Path fifo = dir.resolve("fifo.log");
        if (new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0) {
            assertThat(check.apply("msf.log", Map.of("file", fifo.toString()))).containsExactly(
                    Map.entry("file", "cannot be written: " + fifo + " is a fifo (named pipe)" + regularOnly));
        }
    }

    @Test
    void aFileThatCanBeMadeOrWrittenPassesAndNothingIsMadeForIt() throws IOException {
        assertThat(check.apply("msf.log", Map.of("file", dir.resolve("new/folders/msf.log").toString()))).isEmpty();
        assertThat(dir.resolve("new")).doesNotExist();
        Path existing = Files.writeString(dir.resolve("there.log"), "");
        assertThat(check.apply("msf.log", Map.of("file", existing.toString()))).isEmpty();
        assertThat(check.apply("msf.log", Map.of("file", ""))).as("the default file").isEmpty();
    }

    /**
     * The log makes an existing file owner-only before it writes it, which only its owner may do: a file
     * of another user that this process may write (0666) passed, and the log then refused it. Here the
     * check is told that msf runs as nobody, which any user can run; as root, who may make any file
     * owner-only (and alone may give a file away), nobody's file is taken, as the log takes it.
     */
    @Test
    void anExistingFileOfAnotherUserIsRefusedNamingItsOwner() throws IOException {
        Path theirs = Files.writeString(dir.resolve("theirs.log"), "");
        Files.setPosixFilePermissions(theirs, PosixFilePermissions.fromString("rw-rw-rw-"));
        String me = Files.getOwner(theirs).getName();
        String regularOnly = " (the user msf runs as); msf writes its log only to a regular file it owns";

        LogConfigCheck asNobody = new LogConfigCheck(Map.of("user.name", "nobody")::get);
        assertThat(asNobody.apply("msf.log", Map.of("file", theirs.toString()))).containsExactly(Map.entry("file",
                "cannot be written: " + theirs + " is owned by " + me + ", not by nobody" + regularOnly));
        assertThat(asNobody.apply("msf.log", Map.of("file", dir.resolve("new.log").toString())))
                .as("a file still to be made is the user's").isEmpty();

        if (me.equals("root")) {
            // root may make nobody's file owner-only, and the log then writes it: the gate takes it too
            UserPrincipalLookupService users = theirs.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(theirs, users.lookupPrincipalByName("nobody"));
            assertThat(check.apply("msf.log", Map.of("file", theirs.toString()))).isEmpty();
        }
    }

    /** Relative to msf.data, as the log resolves it. */
    @Test
    void aRelativeFileIsCheckedInTheDataFolder() throws IOException {
        Files.writeString(dir.resolve("logs"), "a file, not a folder");
        LogConfigCheck inData = new LogConfigCheck(Map.of("msf.data", dir.toString())::get);
        assertThat(inData.apply("msf.log", Map.of("file", "logs/msf.log")))
                .containsExactly(Map.entry("file", "cannot be written: " + dir.resolve("logs") + " is a file, not a folder"));
        assertThat(inData.apply("msf.log", Map.of("file", "elsewhere/msf.log"))).isEmpty();
    }

    @Test
    void aFileThatIsNoPathIsToldAsTheLogTellsIt() {
        assertThat(check.apply("msf.log", Map.of("file", "bad\0name.log")))
                .hasEntrySatisfying("file", reason -> assertThat(reason).startsWith("'bad\\u0000name.log' is not a path ("));
    }
}
