package io.msf.log.internal;

import static io.msf.log.internal.RotatingFileSinkTest.record;
import static io.msf.log.internal.RotatingFileSinkTest.writeBatch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink writes, changes and renames only a regular file: a link at the path was followed, its
 * target made rw------- and written (as root, any file: {@code file = /etc/hosts} via a link), and a
 * rotation renamed whatever was at the path, a device or a link.
 */
class RotatingFileSinkRegularFileTest {

    private static final String REFUSAL_END = "; msf writes its log only to a regular file it owns";

    @TempDir
    Path dir;

    private Path file;
    /** A file of someone else's that a link leads to: it must keep its mode and its content. */
    private Path shared;

    @BeforeEach
    void sharedFile() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        file = dir.resolve("msf.log");
        shared = Files.writeString(dir.resolve("shared.txt"), "not the log's\n");
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rw-r--r--"));
    }

    private void assertSharedFileUntouched() throws IOException {
        assertThat(Files.readString(shared)).isEqualTo("not the log's\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(shared))).isEqualTo("rw-r--r--");
    }

    @Test
    void aLinkAtThePathIsRefusedNamingItAndWhatItLeadsToIsLeftAsItWas() throws IOException {
        Files.createSymbolicLink(file, shared);
        String refusal = file + ": is a symbolic link (to " + shared + ")" + REFUSAL_END;

        try (RotatingFileSink sink = new RotatingFileSink(file, 1000, 3)) {
            assertThatIOException().isThrownBy(() -> writeBatch(sink, record('a', 10))).withMessage(refusal);
        }
        assertThatIOException().as("a change of msf.log to it").isThrownBy(() -> RotatingFileSink.checkWritable(file))
                .withMessage(refusal);

        assertSharedFileUntouched();
        assertThat(Files.isSymbolicLink(file)).isTrue();
    }

    /** Opened, a fifo nobody reads would hold the writer for good: it is refused before. */
    @Test
    void aFifoAtThePathIsRefusedWithoutBeingOpened() throws Exception {
        assumeTrue(new ProcessBuilder("mkfifo", "-m", "644", file.toString()).start().waitFor() == 0, "mkfifo");

        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            try (RotatingFileSink sink = new RotatingFileSink(file, 1000, 3)) {
                assertThatIOException().isThrownBy(() -> writeBatch(sink, record('a', 10)))
                        .withMessage(file + ": is a fifo (named pipe)" + REFUSAL_END);
            }
        });
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS)))
                .as("not made owner-only").isEqualTo("rw-r--r--");
    }

    /**
     * The file turned into a link while the log runs: every record fails, nothing is written through
     * the link, and once a regular file (or nothing) is at the path again the log goes on there, the
     * older files as they were.
     */
    @Test
    void aFileReplacedByALinkFailsEveryRecordUntilTheLinkIsGone() throws IOException {
        try (RotatingFileSink sink = new RotatingFileSink(file, 20, 3)) {
            writeBatch(sink, record('a', 10), record('b', 10), record('c', 10));
            Files.delete(file);
            Files.createSymbolicLink(file, shared);

            assertThatIOException().isThrownBy(() -> writeBatch(sink, record('d', 10)))
                    .withMessageContaining("is a symbolic link");
            assertThatIOException().as("the next batch too").isThrownBy(() -> writeBatch(sink, record('e', 10)));
            assertSharedFileUntouched();

            Files.delete(file);
            writeBatch(sink, record('f', 10));
        }
        assertThat(Files.readString(file)).isEqualTo(record('f', 10));
        assertThat(Files.readString(dir.resolve("msf.log.1"))).isEqualTo(record('a', 10) + record('b', 10));
        assertThat(dir.resolve("msf.log.2")).doesNotExist();
    }

    /** Put there within a batch (the sink looks at the path before each), a link is not renamed by the rotation. */
    @Test
    void aLinkPutAtThePathWithinABatchIsNotRotatedAway() throws IOException {
        try (RotatingFileSink sink = new RotatingFileSink(file, 20, 3)) {
            writeBatch(sink, record('a', 10));
            sink.write(record('b', 10));
            Files.move(file, dir.resolve("moved.log"));
            Files.createSymbolicLink(file, shared);

            assertThatIOException().isThrownBy(() -> sink.write(record('c', 10))) // past the limit: rotates
                    .withMessageContaining("is a symbolic link");
        }
        assertThat(Files.isSymbolicLink(file)).as("still at the path").isTrue();
        assertThat(dir.resolve("msf.log.1")).doesNotExist();
        assertThat(Files.readString(dir.resolve("moved.log"))).isEqualTo(record('a', 10) + record('b', 10));
        assertSharedFileUntouched();
    }

    /** A link among the older files is neither moved nor deleted: the rotation fails, told as any failed rotation. */
    @Test
    void anOlderFileThatIsALinkStaysAndTheRotationFails() throws IOException {
        Path older = dir.resolve("msf.log.1");
        Files.createSymbolicLink(older, shared);
        List<String> problems = new ArrayList<>();
        try (RotatingFileSink sink = new RotatingFileSink(file, 10, 2, problems::add, Clock.systemUTC())) {
            writeBatch(sink, record('a', 10), record('b', 10)); // the rotation fails: into the same file
        }
        assertThat(Files.readString(file)).isEqualTo(record('a', 10) + record('b', 10));
        assertThat(problems).singleElement().asString()
                .contains("cannot rotate " + file, older + ": is a symbolic link (to " + shared + ")" + REFUSAL_END);
        assertThat(Files.readSymbolicLink(older)).isEqualTo(shared);
        assertSharedFileUntouched();
    }
}
