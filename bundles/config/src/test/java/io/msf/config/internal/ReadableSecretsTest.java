package io.msf.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which files giving a password other users can really read: real files and folders, real permissions. */
class ReadableSecretsTest {

    @TempDir
    Path home;

    private Path etc;

    @BeforeEach
    void openHome() throws IOException {
        // JUnit makes its folder owner-only, which would keep every reader out by itself
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        etc = Files.createDirectories(home.resolve("etc"));
    }

    private Path file(String filePermissions, String etcPermissions) throws IOException {
        Path file = Files.writeString(etc.resolve("msf.agent.cfg"), "token = s3cret\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(filePermissions));
        Files.setPosixFilePermissions(etc, PosixFilePermissions.fromString(etcPermissions));
        return file;
    }

    private static Optional<String> warning(Path file) {
        return ReadableSecrets.warning(file, "etc/msf.agent.cfg", Map.of("token", "s3cret"), "token"::equals);
    }

    @Test
    void aFileOthersMayReadInAFolderTheyMayEnterIsWarnedOf() throws IOException {
        assertThat(warning(file("rw-r--r--", "rwxr-xr-x"))).contains("key 'token' holds a password, and other users"
                + " may read the file (rw-r--r--): make it owner-only (chmod 600 etc/msf.agent.cfg)");
    }

    /** A child container's etc/, made owner-only by the supervisor: no other user reaches the file. */
    @Test
    void aFileInAFolderOnlyItsOwnerMayEnterIsNot() throws IOException {
        assertThat(warning(file("rw-r--r--", "rwx------"))).isEmpty();
        // read permission on the folder is no way in: listing its names is not opening its files
        assertThat(warning(file("rw-r--r--", "rwxr--r--"))).isEmpty();
    }

    @Test
    void aFolderFurtherUpThatOnlyItsOwnerMayEnterKeepsThemOutToo() throws IOException {
        Path file = file("rw-r--r--", "rwxr-xr-x");
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));

        assertThat(warning(file)).isEmpty();
    }

    /** The group and others are told apart: each must both pass every folder and read the file. */
    @Test
    void aReaderTheFolderLetsThroughIsOneThatMayReadTheFile() throws IOException {
        assertThat(warning(file("rw-r--r--", "rwxr-x---"))).as("the group passes and reads").isPresent();
        assertThat(warning(file("rw----r--", "rwxr-x---"))).as("others read, but do not pass").isEmpty();
        assertThat(warning(file("rw-r-----", "rwx-----x"))).as("the group reads, but does not pass").isEmpty();
        assertThat(warning(file("rw----r--", "rwx-----x"))).as("others pass and read").isPresent();
    }

    /** A link from a folder all may enter leads to the file in its own folder, which others cannot enter. */
    @Test
    void theFoldersOfALinkedFileAreItsTargets() throws IOException {
        Path target = file("rw-r--r--", "rwx------");
        Path open = Files.createDirectories(home.resolve("open"));
        Path link = Files.createSymbolicLink(open.resolve("msf.agent.cfg"), target);

        assertThat(warning(link)).isEmpty();
    }

    @Test
    void anOwnerOnlyFileOrOneWithoutAPasswordIsNot() throws IOException {
        assertThat(warning(file("rw-------", "rwxr-xr-x"))).isEmpty();
        assertThat(ReadableSecrets.warning(file("rw-r--r--", "rwxr-xr-x"), "etc/msf.agent.cfg", Map.of("token", " "),
                "token"::equals)).isEmpty();
    }
}
