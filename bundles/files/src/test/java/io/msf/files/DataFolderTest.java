package io.msf.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFolderTest {

    @TempDir
    Path temp;

    @Test
    void theDefaultIsAFolderOfTheUserInTheTemporaryFolder() {
        DataFolder folder = DataFolder.of(Map.of("java.io.tmpdir", "/scratch", "user.name", "ann")::get);

        assertThat(folder.path()).isEqualTo(Path.of("/scratch/msf-data-ann"));
        assertThat(folder.isDefault()).isTrue();
    }

    @Test
    void msfDataIsTheFolderAndTheSystemPropertiesFillInWhatTheFrameworkDoesNotSay() {
        assertThat(DataFolder.of(Map.of("msf.data", "/srv/msf/../msf/data")::get).path())
                .isEqualTo(Path.of("/srv/msf/data"));
        assertThat(DataFolder.of(key -> null).path()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir"),
                "msf-data-" + System.getProperty("user.name")).toAbsolutePath().normalize());
    }

    @Test
    void aMissingDefaultIsCreatedOwnerOnly() throws IOException {
        DataFolder folder = defaultIn(temp);

        Path prepared = folder.prepare();

        assertThat(prepared).isEqualTo(temp.resolve("msf-data-tester")).isDirectory();
        assertThat(permissions(prepared)).isEqualTo("rwx------");
    }

    @Test
    void anOwnerOnlyDefaultOfOurOwnIsTakenAndKeepsWhatItHolds() throws IOException {
        Path existing = ownerOnlyFolder(temp.resolve("msf-data-tester"));
        Files.writeString(existing.resolve("kept"), "x");

        assertThat(defaultIn(temp).prepare()).isEqualTo(existing);

        assertThat(existing).isDirectoryContaining(path -> path.getFileName().toString().equals("kept"));
        try (var listing = Files.list(existing)) {
            assertThat(listing).as("nothing left of the owner check").hasSize(1);
        }
    }

    @Test
    void aDefaultOfOurOwnThatTheGroupMayWriteInIsRefusedAndLeftAsItIs() throws IOException {
        Path open = ownerOnlyFolder(temp.resolve("msf-data-tester"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwx---"));

        assertThatThrownBy(() -> defaultIn(temp).prepare()).isInstanceOf(IOException.class)
                .hasMessageStartingWith("data folder " + open + " refused: group or others may use it (rwxrwx---, "
                        + "owner " + Files.getOwner(open).getName() + ")")
                .hasMessageContaining("Set msf.data to a folder of your own, or delete " + open);
        assertThat(permissions(open)).as("not narrowed: what others put there would stay").isEqualTo("rwxrwx---");
    }

    @Test
    void aDefaultOthersMayReadIsRefused() throws IOException {
        Path open = ownerOnlyFolder(temp.resolve("msf-data-tester"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwx---r-x"));

        assertThatThrownBy(() -> defaultIn(temp).prepare()).isInstanceOf(IOException.class)
                .hasMessageContaining("group or others may use it (rwx---r-x");
    }

    @Test
    void aSymbolicLinkAtTheDefaultIsRefusedEvenToAFolderThatWouldPass() throws IOException {
        Path target = ownerOnlyFolder(temp.resolve("elsewhere"));
        Path link = Files.createSymbolicLink(temp.resolve("msf-data-tester"), target);

        assertThatThrownBy(() -> defaultIn(temp).prepare()).isInstanceOf(IOException.class)
                .hasMessageStartingWith("data folder " + link + " refused: it is a symbolic link (to " + target
                        + "), not a folder");
        assertThat(target).isEmptyDirectory();
    }

    @Test
    void aDanglingSymbolicLinkAtTheDefaultIsRefusedAndNothingIsMadeWhereItPoints() throws IOException {
        Path target = temp.resolve("not-yet");
        Files.createSymbolicLink(temp.resolve("msf-data-tester"), target);

        assertThatThrownBy(() -> defaultIn(temp).prepare()).isInstanceOf(IOException.class)
                .hasMessageContaining("it is a symbolic link (to " + target + ")");
        assertThat(target).doesNotExist();
    }

    @Test
    void aFileAtTheDefaultIsRefused() throws IOException {
        Path file = Files.writeString(temp.resolve("msf-data-tester"), "planted");

        assertThatThrownBy(() -> defaultIn(temp).prepare()).isInstanceOf(IOException.class)
                .hasMessageStartingWith("data folder " + file + " refused: it is a file, not a folder");
        assertThat(file).hasContent("planted");
    }

    /**
     * Only root may give a folder away (chown), so as another user this one case cannot be set up
     * and is skipped; the others need no second user. As root it matters most: root may write in
     * another user's owner-only folder, so only the owner check keeps it out.
     */
    @Test
    void anOwnerOnlyDefaultOfAnotherUserIsRefused() throws IOException {
        Path theirs = ownerOnlyFolder(temp.resolve("msf-data-tester"));
        UserPrincipal nobody;
        try {
            nobody = theirs.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
            Files.setOwner(theirs, nobody);
        } catch (UserPrincipalNotFoundException | java.nio.file.FileSystemException cannotGiveAway) {
            Assumptions.abort("only root can give a folder to another user: " + cannotGiveAway);
            return;
        }

        assertThatThrownBy(() -> defaultIn(temp).prepare()).isInstanceOf(IOException.class)
                .hasMessageStartingWith("data folder " + theirs + " refused: it belongs to another user than the one "
                        + "running this JVM (rwx------, owner nobody)");
        try (var listing = Files.list(theirs)) {
            assertThat(listing).isEmpty();
        }
    }

    /**
     * Root may write in any folder, so the tests, run as root, cannot be kept out of one: the reason
     * is asked for with the owner, the running user and the mode such a folder would have.
     */
    @Test
    void aDefaultOfOurOwnThatItsOwnerMayNotWriteInIsRefusedWithoutBlamingAnotherUser() {
        assertThat(DataFolder.cannotWriteIn("nobody", "nobody", PosixFilePermissions.fromString("r-x------")))
                .isEqualTo("its owner, the user running this JVM, may not write in it (r-x------, owner nobody)");
        assertThat(DataFolder.cannotWriteIn("nobody", "ann", PosixFilePermissions.fromString("rwx------")))
                .isEqualTo("it belongs to another user than the one running this JVM (rwx------, owner nobody)");
    }

    @Test
    void aMissingConfiguredFolderIsCreatedOwnerOnlyWithItsParents() throws IOException {
        Path configured = temp.resolve("a/b/data");

        assertThat(DataFolder.of(Map.of("msf.data", configured.toString())::get).prepare()).isEqualTo(configured);

        assertThat(permissions(configured)).isEqualTo("rwx------");
    }

    @Test
    void aConfiguredFolderIsTheOperatorsChoiceAndTakenAsItIs() throws IOException {
        Path shared = Files.createDirectory(temp.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwx---"));
        Path link = Files.createSymbolicLink(temp.resolve("data"), shared);

        assertThat(DataFolder.of(Map.of("msf.data", link.toString())::get).prepare()).isEqualTo(link);

        assertThat(permissions(shared)).isEqualTo("rwxrwx---");
    }

    @Test
    void aConfiguredPathThatIsAFileIsNotAFolder() throws IOException {
        Path file = Files.writeString(temp.resolve("data"), "x");

        assertThatThrownBy(() -> DataFolder.of(Map.of("msf.data", file.toString())::get).prepare())
                .isInstanceOf(IOException.class)
                .hasMessage("data folder " + file + " (msf.data) is not a folder");
    }

    private static DataFolder defaultIn(Path tmp) {
        return DataFolder.of(Map.of("java.io.tmpdir", tmp.toString(), "user.name", "tester")::get);
    }

    private static Path ownerOnlyFolder(Path path) throws IOException {
        Files.createDirectory(path);
        Files.setPosixFilePermissions(path, OwnerOnly.FOLDER);
        return path;
    }

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
