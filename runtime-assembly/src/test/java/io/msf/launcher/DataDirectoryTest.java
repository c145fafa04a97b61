package io.msf.launcher;

import static org.assertj.core.api.Assertions.assertThat;

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

    private static String permissions(Path dir) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(dir));
    }
}
