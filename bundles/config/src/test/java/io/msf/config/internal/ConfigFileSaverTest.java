package io.msf.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.config.internal.ConfigFileSaver.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/** What is written back into a configuration file, when, and how the old file is replaced. */
class ConfigFileSaverTest {

    @TempDir
    Path dir;

    private final ConfigFileSaver saver = new ConfigFileSaver(StandardCharsets.ISO_8859_1,
            Map.of("msf.data", "/var/msf/data")::get);
    private final ConfigFileReader reader = new ConfigFileReader(StandardCharsets.ISO_8859_1,
            Map.of("msf.data", "/var/msf/data")::get);

    private Path write(String name, String... lines) throws IOException {
        Path file = Files.write(dir.resolve(name), List.of(lines), StandardCharsets.ISO_8859_1);
        // an old file: a rewrite, even within the same millisecond, shows in the modification time
        Files.setLastModifiedTime(file, FileTime.fromMillis(1_000_000_000_000L));
        return file;
    }

    private static Map<String, Object> values(Object... keysAndValues) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return values;
    }

    @Test
    void aConfigurationWithoutKeysIsSavedAsACommentNotAnEmptyFile() throws IOException {
        // the gate refuses an empty file; the file's comments go with the keys they stood above
        Path file = write("msf.log.cfg", "# the log", "level = INFO");

        assertThat(saver.save(file, values(), values("level", "INFO"))).isEqualTo(Outcome.SAVED);

        assertThat(Files.readString(file, StandardCharsets.ISO_8859_1)).isEqualTo(ConfigFileSaver.NO_KEYS);
        assertThat(reader.read(file).values()).isEmpty();
    }

    /**
     * An operator who keeps etc/msf.log.cfg as a link to a file of their own (a checked-out repository
     * of configurations, say): the change goes into that file, and the link stays a link.
     */
    @Test
    void aLinkedFileIsSavedThroughItsLinkWhichStays() throws IOException {
        Path kept = write("msf.log.cfg", "# the log", "level = INFO");
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Path link = Files.createSymbolicLink(etc.resolve("msf.log.cfg"), kept);

        assertThat(saver.save(link, values("level", "DEBUG"), values("level", "INFO"))).isEqualTo(Outcome.SAVED);

        assertThat(link).isSymbolicLink();
        assertThat(Files.readSymbolicLink(link)).isEqualTo(kept);
        assertThat(reader.read(kept).values()).isEqualTo(values("level", "DEBUG"));
        assertThat(Files.readString(kept, StandardCharsets.ISO_8859_1)).startsWith("# the log");
        try (var left = Files.list(etc)) {
            assertThat(left).containsExactly(link);
        }
    }

    @Test
    void aConfigurationTheFileAlreadySaysLeavesTheFileUntouched() throws IOException {
        Path file = write("org.apache.felix.fileinstall-deploy.cfg",
                "# the deploy folder",
                "felix.fileinstall.dir = /srv/msf/deploy",
                "felix.fileinstall.tmpdir = ${msf.data}/fileinstall",
                "felix.fileinstall.filter = .*\\\\.jar");
        byte[] before = Files.readAllBytes(file);
        Object identity = Files.readAttributes(file, "unix:ino").get("ino");

        // what FileInstall made of the file: values after substitution
        Outcome outcome = saver.save(file, values("felix.fileinstall.dir", "/srv/msf/deploy",
                "felix.fileinstall.tmpdir", "/var/msf/data/fileinstall", "felix.fileinstall.filter", ".*\\.jar"), null);

        assertThat(outcome).isEqualTo(Outcome.SAME);
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        assertThat(Files.getLastModifiedTime(file).toMillis()).isEqualTo(1_000_000_000_000L);
        assertThat(Files.readAttributes(file, "unix:ino").get("ino")).isEqualTo(identity);
    }

    @Test
    void aChangedValueReplacesTheFileKeepingCommentsAndTheReferencesOfUnchangedValues() throws IOException {
        Path file = write("msf.log.cfg",
                "# The log",
                "level = INFO",
                "# where it goes",
                "file = ${msf.data}/log/msf.log");
        Object identity = Files.readAttributes(file, "unix:ino").get("ino");

        Outcome outcome = saver.save(file, values("level", "DEBUG", "file", "/var/msf/data/log/msf.log"),
                values("level", "INFO", "file", "/var/msf/data/log/msf.log"));

        assertThat(outcome).isEqualTo(Outcome.SAVED);
        assertThat(Files.readAllLines(file, StandardCharsets.ISO_8859_1)).containsExactly(
                "# The log",
                "level = DEBUG",
                "# where it goes",
                "file = ${msf.data}/log/msf.log");
        assertThat(Files.readAttributes(file, "unix:ino").get("ino"))
                .as("replaced by a rename, not rewritten in place").isNotEqualTo(identity);
    }

    @Test
    void aFileEditedSinceItWasAppliedIsLeftAsTheOperatorWroteIt() throws IOException {
        // applied with level INFO; the operator has since written a level the gate refuses
        Path file = write("msf.log.cfg",
                "# not valid yet",
                "level = LOUD");
        byte[] edit = Files.readAllBytes(file);

        Outcome outcome = saver.save(file, values("level", "DEBUG"), values("level", "INFO"));

        assertThat(outcome).isEqualTo(Outcome.EDITED_SINCE);
        assertThat(Files.readAllBytes(file)).isEqualTo(edit);
    }

    @Test
    void keysTheConfigurationLostGoAndNewOnesAreAdded() throws IOException {
        Path file = write("msf.service~dlna.cfg",
                "location = mvn:io.msf/msf-dlna/1.0.0",
                "enabled = false");

        saver.save(file, values("location", "mvn:io.msf/msf-dlna/1.0.0", "param.interval", "100"), null);

        assertThat(reader.read(file).values()).containsOnly(
                Map.entry("location", "mvn:io.msf/msf-dlna/1.0.0"), Map.entry("param.interval", "100"));
    }

    @Test
    void typedValuesAreWrittenTypedAndReadBackAsTheyAre() throws IOException {
        Path file = write("msf.net.endpoint~echo.config",
                "port = I\"7000\"",
                "allowed = [ \"127.0.0.1\" ]");

        saver.save(file, values("port", 7001, "allowed", new String[] {"127.0.0.1", "::1"}), null);

        Map<String, Object> read = reader.read(file).values();
        assertThat(read).containsEntry("port", 7001);
        assertThat((Object[]) read.get("allowed")).containsExactly("127.0.0.1", "::1");
        // and what was just written is what the configuration says: no second write
        assertThat(saver.save(file, values("port", 7001, "allowed", new String[] {"127.0.0.1", "::1"}), null))
                .isEqualTo(Outcome.SAME);
    }

    @Test
    void theReplacementKeepsThePermissionsAndLeavesNothingBeside() throws IOException {
        Path file = write("msf.timer.cfg", "tickMillis = 10");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));

        saver.save(file, values("tickMillis", "20"), null);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    /**
     * The folder's sync after the rename failed (a file system that cannot sync a folder, an I/O
     * error): the save failed with it ("the change of configuration ... is not saved to its file"),
     * though the file said the change, and the values last applied from the file stayed the old ones,
     * the saved change then taken for an operator's edit. It is saved, and the failure told apart.
     */
    @Test
    void aFileReplacedIsSavedWhenItsFolderCannotBeSyncedAndThatIsTold() throws IOException {
        Path file = write("msf.timer.cfg", "tickMillis = 10");
        List<String> told = new ArrayList<>();
        ConfigFileSaver unsynced = new ConfigFileSaver(StandardCharsets.ISO_8859_1, Map.<String, String>of()::get,
                () -> { }, folder -> {
                    throw new IOException(folder + " cannot be synced to the disk: Invalid argument");
                }, (saved, why) -> told.add(saved.getFileName() + ": " + why.getMessage()));

        assertThat(unsynced.save(file, values("tickMillis", "20"), values("tickMillis", "10"))).isEqualTo(Outcome.SAVED);

        assertThat(reader.read(file).values()).isEqualTo(values("tickMillis", "20"));
        assertThat(told).containsExactly("msf.timer.cfg: " + dir.toAbsolutePath()
                + " cannot be synced to the disk: Invalid argument");
    }

    /**
     * The replacement was msf's user's (root's, as msf ran here): an operator's etc/msf.timer.cfg,
     * theirs and their group's, became root's after a change saved into it, which the operator could
     * then no longer edit. It keeps the file's owner and group (root may set any).
     */
    @Test
    @EnabledIf("runsAsRoot")
    void theReplacementKeepsTheOwnerAndGroupOfTheFile() throws IOException {
        Path file = write("msf.timer.cfg", "tickMillis = 10");
        Files.setAttribute(file, "unix:uid", 4242);
        Files.setAttribute(file, "unix:gid", 4343);

        assertThat(saver.save(file, values("tickMillis", "20"), values("tickMillis", "10"))).isEqualTo(Outcome.SAVED);

        assertThat(reader.read(file).values()).isEqualTo(values("tickMillis", "20"));
        assertThat(Files.getAttribute(file, "unix:uid")).isEqualTo(4242);
        assertThat(Files.getAttribute(file, "unix:gid")).isEqualTo(4343);
    }

    /**
     * A link put in place of the partial file, between its creation and its write (its folder, etc/,
     * writable by others than msf's user): the chmod and the chown that give it the configuration
     * file's permissions and owners followed it, and so did the write: the file it named (any file,
     * msf run as root) got the configuration's text, permissions and owners. Neither follows it now.
     */
    @Test
    void aLinkInPlaceOfThePartialFileIsNotFollowed() throws IOException {
        Path file = write("msf.timer.cfg", "tickMillis = 10");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        Path victim = write("victim", "secret");
        Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rw-------"));
        Object victimOwner = Files.getAttribute(victim, "unix:uid");
        if (runsAsRoot()) {
            Files.setAttribute(file, "unix:uid", 4242);
        }
        Path partial = Files.createSymbolicLink(dir.resolve(ConfigFileSaver.partialName(file) + "1"
                + ConfigFileSaver.PARTIAL_SUFFIX), victim);

        try {
            ConfigFileSaver.keepOwnersAndPermissions(file, partial);
        } catch (IOException e) {
            // refused on the link: as good as changing the link's own
        }
        try {
            ConfigFileSaver.writeDurably(partial, "tickMillis = 20".getBytes(StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            // refused on the link
        }

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(victim))).isEqualTo("rw-------");
        assertThat(Files.getAttribute(victim, "unix:uid")).isEqualTo(victimOwner);
        assertThat(Files.readAllLines(victim, StandardCharsets.ISO_8859_1)).containsExactly("secret");
    }

    /** Only root gives a file away; another user keeps what it writes (the saver then keeps its own). */
    static boolean runsAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /**
     * A value FileInstall would read back as another from a typed file: a backslash (written escaped
     * once, read unescaped twice), a ${...} (read as a reference), a character the charset cannot hold.
     * Written, the configuration would change into that at the file's next reading; not written, the
     * keys are told with what they would become.
     */
    @Test
    void aValueThatWouldNotReadBackAsItIsIsNotWritten() throws IOException {
        Path file = write("msf.timer.config", "# the timer", "tickMillis = I\"10\"");
        byte[] before = Files.readAllBytes(file);
        List<String> told = new java.util.ArrayList<>();

        Outcome outcome = saver.save(file, values("tickMillis", 10, "dir", "C:\\data", "name", "${msf.data}",
                "unit", "\u20ac"), values("tickMillis", 10), SecretKeys.NONE, told::addAll);

        assertThat(outcome).isEqualTo(Outcome.NOT_READ_BACK);
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        assertThat(told).containsExactly("dir (read back as 'C:data')", "name (read back as '/var/msf/data')",
                "unit (read back as '?')");
    }

    /** A password that would not read back as it is: the key is told, the value FileInstall would read not. */
    @Test
    void aPasswordThatWouldNotReadBackIsNotRepeated() throws IOException {
        Path file = write("msf.log.config", "level = \"WARN\"");
        List<String> told = new java.util.ArrayList<>();

        Outcome outcome = saver.save(file, values("level", "WARN", "secret", "hunter\\22", "dir", "C:\\data"),
                values("level", "WARN"), "secret"::equals, told::addAll);

        assertThat(outcome).isEqualTo(Outcome.NOT_READ_BACK);
        assertThat(told).containsExactly("secret (read back as another password)", "dir (read back as 'C:data')");
    }

    /**
     * An operator's edit saved while the change was being written beside the file (the write waits
     * for the disk): the edit is not renamed over, and the new text written beside goes.
     */
    @Test
    void anEditMadeWhileTheChangeIsWrittenIsNotReplaced() throws IOException {
        Path file = write("msf.timer.cfg", "tickMillis = 10");
        List<String> edit = List.of("# the operator's edit", "tickMillis = 30");
        ConfigFileSaver editedMeanwhile = new ConfigFileSaver(StandardCharsets.ISO_8859_1, Map.<String, String>of()::get,
                () -> {
                    try {
                        Files.write(file, edit, StandardCharsets.ISO_8859_1);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });

        assertThat(editedMeanwhile.save(file, values("tickMillis", "20"), values("tickMillis", "10")))
                .isEqualTo(Outcome.EDITED_SINCE);

        assertThat(Files.readAllLines(file, StandardCharsets.ISO_8859_1)).isEqualTo(edit);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    /**
     * A file no one may write (chmod a-w, as an operator protects a file) is not replaced, though a
     * rename in its folder could (and does, for root, whom the system lets write anything).
     */
    @Test
    void aReadOnlyFileIsNotWrittenBack() throws IOException {
        Path file = write("msf.timer.cfg", "tickMillis = 10");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
        byte[] before = Files.readAllBytes(file);

        assertThat(saver.save(file, values("tickMillis", "20"), null)).isEqualTo(Outcome.READ_ONLY);
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    /** Nor one in a folder no one may write. */
    @Test
    void aFileOfAReadOnlyFolderIsNotWrittenBack() throws IOException {
        Path file = write("msf.timer.cfg", "tickMillis = 10");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assertThat(saver.save(file, values("tickMillis", "20"), null)).isEqualTo(Outcome.READ_ONLY);
            assertThat(reader.read(file).values()).isEqualTo(values("tickMillis", "10"));
        } finally {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
    }

    private Path xml(String name, String key, String value) throws IOException {
        return write(name,
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                "<!DOCTYPE properties SYSTEM \"http://java.sun.com/dtd/properties.dtd\">",
                "<properties><entry key=\"" + key + "\">" + value + "</entry></properties>");
    }

    /** Its values are text only, and it would be written whole (ConfigFileSaver.Outcome.XML). */
    @Test
    void anXmlFileIsNotWrittenBack() throws IOException {
        Path file = xml("msf.timer.cfg", "tickMillis", "10");
        byte[] before = Files.readAllBytes(file);

        assertThat(saver.save(file, values("tickMillis", "20"), null)).isEqualTo(ConfigFileSaver.Outcome.XML);
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    /** The file's own configuration arriving: nothing to say of an XML file either. */
    @Test
    void anXmlFileThatSaysTheValuesAlreadyIsTheSame() throws IOException {
        Path file = xml("org.example.cfg", "size", "3");

        assertThat(saver.save(file, values("size", "3"), null)).isEqualTo(ConfigFileSaver.Outcome.SAME);
    }
}
