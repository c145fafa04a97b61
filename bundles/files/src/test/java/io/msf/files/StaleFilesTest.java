package io.msf.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaleFilesTest {

    private static final Instant START = Instant.parse("2026-01-01T12:00:00Z");

    @TempDir
    Path temp;

    @Test
    void removesOnlyOurRegularFilesLastModifiedBeforeTheGivenTime() throws IOException {
        Path stale = leftover(temp.resolve("a.tmp"), START.minusSeconds(60));
        Path fresh = leftover(temp.resolve("b.tmp"), START.plusSeconds(1));
        Path notOurs = leftover(temp.resolve("c.cfg"), START.minusSeconds(60));
        Path link = Files.createSymbolicLink(temp.resolve("d.tmp"), notOurs);
        List<Path> removed = new ArrayList<>();

        StaleFiles.remove(temp, name -> name.endsWith(".tmp"), START, removed);

        assertThat(removed).containsExactly(stale);
        assertThat(stale).doesNotExist();
        assertThat(fresh).exists();
        assertThat(notOurs).exists();
        assertThat(link).isSymbolicLink();
    }

    @Test
    void aFileAnotherContainerRemovesRightAfterItIsLookedAtIsAlreadyCleanedAndTheOthersAreCleanedToo()
            throws IOException {
        RacingFileSystem racing = new RacingFileSystem();
        Path dir = racing.path(temp);
        leftover(temp.resolve("a.tmp"), START.minusSeconds(60));
        leftover(temp.resolve("b.tmp"), START.minusSeconds(60));
        racing.removeAfterFirstLook(dir.resolve("a.tmp"));
        List<Path> removed = new ArrayList<>();

        StaleFiles.remove(dir, name -> name.endsWith(".tmp"), START, removed);

        assertThat(removed).as("a.tmp removed by the other container, not counted").map(Path::toString)
                .containsExactly(temp.resolve("b.tmp").toString());
        assertThat(temp).isEmptyDirectory();
    }

    /**
     * A folder whose entries cannot be read once the listing began (an I/O error, a stale NFS handle): the
     * JDK says so with an unchecked DirectoryIteratorException, which came out as it was, not as the
     * IOException the callers catch and log, and failed the deployer's start.
     */
    @Test
    void aListingThatFailsOnceBegunIsAnIOException() throws IOException {
        RacingFileSystem racing = new RacingFileSystem();
        Path dir = racing.path(temp);
        leftover(temp.resolve("a.tmp"), START.minusSeconds(60));
        racing.failListingOf(dir);

        assertThatThrownBy(() -> StaleFiles.remove(dir, name -> name.endsWith(".tmp"), START, new ArrayList<>()))
                .isInstanceOf(IOException.class).hasMessageContaining("Input/output error");
    }

    @Test
    void aFileAnotherContainerRemovedBetweenTheListingAndTheLookIsSkipped() throws IOException {
        Path gone = leftover(temp.resolve("a.tmp"), START.minusSeconds(60));
        Path stale = leftover(temp.resolve("b.tmp"), START.minusSeconds(60));
        List<Path> removed = new ArrayList<>();

        // the filter runs on each name as it is listed: the other container removes a.tmp just then
        StaleFiles.remove(temp, name -> name.endsWith(".tmp") && (!name.equals("a.tmp") || deleted(gone)), START,
                removed);

        assertThat(removed).containsExactly(stale);
        assertThat(temp).isEmptyDirectory();
    }

    @Test
    void aFolderThatIsNotThereHasNothingToRemove() throws IOException {
        List<Path> removed = new ArrayList<>();

        StaleFiles.remove(temp.resolve("missing"), name -> true, START, removed);

        assertThat(removed).isEmpty();
    }

    private static Path leftover(Path file, Instant modified) throws IOException {
        Files.writeString(file, "half");
        Files.setLastModifiedTime(file, FileTime.from(modified));
        return file;
    }

    private static boolean deleted(Path file) {
        try {
            Files.delete(file);
            return true;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
