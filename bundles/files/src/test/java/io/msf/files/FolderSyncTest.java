package io.msf.files;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.condition.OS.LINUX;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.io.TempDir;

/** The sync of a folder after a rename in it: done on Linux, where it can fail, and said so. */
class FolderSyncTest {

    @TempDir
    Path dir;

    @Test
    void aFolderIsSynced() {
        assertThatCode(() -> FolderSync.sync(dir)).doesNotThrowAnyException();
    }

    /** The folder is really opened: one that is not there is an error, naming it. */
    @Test
    @EnabledOnOs(LINUX)
    void onLinuxAFolderThatCannotBeSyncedIsAnError() {
        Path gone = dir.resolve("gone");

        assertThatThrownBy(() -> FolderSync.sync(gone)).isInstanceOf(IOException.class)
                .hasMessageStartingWith(gone + " cannot be synced to the disk");
    }
}
