package io.msf.supervisor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassDataArchiveTest {

    private static final String JAVA = "/jdk/bin/java";

    @TempDir
    Path dir;

    private Path data;
    private Path lib;
    private Path archive;

    @BeforeEach
    void folders() throws IOException {
        data = Files.createDirectories(dir.resolve("data"));
        lib = Files.createDirectories(dir.resolve("lib"));
        Files.writeString(lib.resolve("felix.jar"), "x");
        Files.setLastModifiedTime(lib.resolve("felix.jar"), FileTime.fromMillis(1_000_000));
        archive = data.resolve("classes-" + Integer.toHexString(JAVA.hashCode()) + ".jsa");
    }

    @Test
    void withoutAnArchiveTheRunRecordsOne() throws IOException {
        assertThat(ClassDataArchive.options(true, data, JAVA, lib))
                .containsExactly("-XX:+RecordDynamicDumpInfo", "-Xlog:cds*=off", "-Dmsf.cds.dump=" + archive);
    }

    @Test
    void anArchiveNewerThanTheClassPathIsMapped() throws IOException {
        Files.writeString(archive, "archive");
        Files.setLastModifiedTime(archive, FileTime.fromMillis(2_000_000));

        assertThat(ClassDataArchive.options(true, data, JAVA, lib)).containsExactly("-XX:SharedArchiveFile=" + archive);
    }

    @Test
    void anArchiveOlderThanAClassPathJarIsRemovedAndRecordedAgain() throws IOException {
        Files.writeString(archive, "archive");
        Files.setLastModifiedTime(archive, FileTime.fromMillis(500_000));

        List<String> options = ClassDataArchive.options(true, data, JAVA, lib);

        assertThat(options).contains("-Dmsf.cds.dump=" + archive);
        assertThat(archive).doesNotExist();
    }

    @Test
    void anotherJavaHasAnArchiveOfItsOwn() throws IOException {
        Files.writeString(archive, "archive");
        Files.setLastModifiedTime(archive, FileTime.fromMillis(2_000_000));

        assertThat(ClassDataArchive.options(true, data, "/other/bin/java", lib)).contains("-XX:+RecordDynamicDumpInfo");
        assertThat(archive).exists();
    }

    @Test
    void disabledMeansNoOption() throws IOException {
        assertThat(ClassDataArchive.options(false, data, JAVA, lib)).isEmpty();
    }
}
