package io.msf.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryTest {

    @TempDir
    Path parent;

    @Test
    void createsTheDataAndLogFoldersOwnerOnly() throws IOException {
        Path data = parent.resolve("msf/data");

        DataDirectory.prepare(data);

        assertThat(permissions(data)).isEqualTo("rwx------");
        assertThat(permissions(data.resolve("log"))).isEqualTo("rwx------");
    }

    @Test
    void tightensAFolderCreatedWithLooserPermissions() throws IOException {
        Path data = Files.createDirectories(parent.resolve("data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));

        DataDirectory.prepare(data);

        assertThat(permissions(data)).isEqualTo("rwx------");
    }

    /** Made owner-only, a folder others share (as /tmp, with its sticky bit) was closed to all of them. */
    @Test
    void aFolderSharedWithOthersIsRefusedAndLeftAsItIs() throws IOException {
        Path shared = Files.createDirectories(parent.resolve("shared"));
        Files.setAttribute(shared, "unix:mode", 01777);

        assertThatThrownBy(() -> DataDirectory.prepare(shared)).isInstanceOf(IOException.class)
                .hasMessage("data folder " + shared + " (msf.data) is a folder shared with others (its sticky bit is"
                        + " set), which msf would make owner-only: give it a folder of its own, such as "
                        + shared.resolve("msf"));
        assertThat((Integer) Files.getAttribute(shared, "unix:mode") & 07777).isEqualTo(01777);
        assertThat(shared.resolve("log")).doesNotExist();

        DataDirectory.prepare(shared.resolve("msf"));
        assertThat(permissions(shared.resolve("msf"))).isEqualTo("rwx------");
    }

    /** NIO's message of a folder it cannot create is the path alone: the launcher said "cannot start: <path>". */
    @Test
    void aFileWhereTheDataFolderGoesIsNamedAsInTheWay() throws IOException {
        Path data = Files.writeString(parent.resolve("data"), "");

        assertThatThrownBy(() -> DataDirectory.prepare(data)).isInstanceOf(IOException.class)
                .hasMessage("data folder " + data + " (msf.data) cannot be prepared: " + data
                        + " is in the way, and is no folder");
    }

    @Test
    void aFileWhereItsLogFolderGoesIsNamedAsInTheWay() throws IOException {
        Path data = Files.createDirectories(parent.resolve("data"));
        Files.writeString(data.resolve("log"), "");

        assertThatThrownBy(() -> DataDirectory.prepare(data)).isInstanceOf(IOException.class)
                .hasMessage("data folder " + data + " (msf.data) cannot be prepared: " + data.resolve("log")
                        + " is in the way, and is no folder");
    }

    private static String permissions(Path dir) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(dir));
    }
}
