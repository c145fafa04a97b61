package io.msf.supervisor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.log.Logger;

class ClassDataArchiveTest {

    private static final String JAVA = "/jdk/bin/java";

    @TempDir
    Path dir;

    private final Logger log = mock(Logger.class);
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
    void childrenOfJava25OnRecordNone() {
        // their JVM crashes after an in-process dump: a spare waiting for their archive would wait in vain
        assertThat(ClassDataArchive.records(17)).isTrue();
        assertThat(ClassDataArchive.records(24)).isTrue();
        assertThat(ClassDataArchive.records(25)).isFalse();
    }

    @Test
    void withoutAnArchiveTheRunRecordsOne() throws IOException {
        assertThat(ClassDataArchive.options(true, data, JAVA, lib, "child", log))
                .containsExactly("-XX:+RecordDynamicDumpInfo", "-Xlog:cds*=off", "-Dmsf.cds.dump=" + archive);
    }

    @Test
    void anArchiveNewerThanTheClassPathIsMapped() throws IOException {
        Files.writeString(archive, "archive");
        Files.setLastModifiedTime(archive, FileTime.fromMillis(2_000_000));

        assertThat(ClassDataArchive.options(true, data, JAVA, lib, "child", log)).containsExactly("-XX:SharedArchiveFile=" + archive);
    }

    @Test
    void aSpareMapsAUsableArchiveRecordsAMissingOneAndNeverRemovesOne() throws IOException {
        List<String> recording = List.of("-XX:+RecordDynamicDumpInfo", "-Xlog:cds*=off", "-Dmsf.cds.dump=" + archive);
        assertThat(ClassDataArchive.spareOptions(true, data, JAVA, lib)).isEqualTo(recording);
        assertThat(ClassDataArchive.ready(data, JAVA, lib)).isFalse();

        Files.writeString(archive, "archive");
        Files.setLastModifiedTime(archive, FileTime.fromMillis(500_000)); // older than lib/: stale
        assertThat(ClassDataArchive.spareOptions(true, data, JAVA, lib)).isEqualTo(recording);
        assertThat(archive).exists(); // the running child may be writing its successor: not the spare's to remove

        Files.setLastModifiedTime(archive, FileTime.fromMillis(2_000_000));
        assertThat(ClassDataArchive.ready(data, JAVA, lib)).isTrue();
        assertThat(ClassDataArchive.spareOptions(true, data, JAVA, lib)).containsExactly("-XX:SharedArchiveFile=" + archive);
        assertThat(ClassDataArchive.spareOptions(false, data, JAVA, lib)).isEmpty();
    }

    @Test
    void anArchiveOlderThanAClassPathJarIsRemovedAndRecordedAgain() throws IOException {
        Files.writeString(archive, "archive");
        Files.setLastModifiedTime(archive, FileTime.fromMillis(500_000));

        List<String> options = ClassDataArchive.options(true, data, JAVA, lib, "child", log);

        assertThat(options).contains("-Dmsf.cds.dump=" + archive);
        assertThat(archive).doesNotExist();
    }

    @Test
    void anotherJavaHasAnArchiveOfItsOwn() throws IOException {
        Files.writeString(archive, "archive");
        Files.setLastModifiedTime(archive, FileTime.fromMillis(2_000_000));

        assertThat(ClassDataArchive.options(true, data, "/other/bin/java", lib, "child", log)).contains("-XX:+RecordDynamicDumpInfo");
        assertThat(archive).exists();
    }

    @Test
    void anUnreadableLibRunsWithoutSharingAndWarnsOnce() throws IOException {
        Files.writeString(archive, "archive");
        Files.setLastModifiedTime(archive, FileTime.fromMillis(2_000_000));

        assertThat(ClassDataArchive.options(true, data, JAVA, dir.resolve("no-lib"), "child", log)).isEmpty();
        verify(log, times(1)).warn(anyString(), eq("child"), contains("no-lib"));
    }

    @Test
    void aBogusJavaPathRunsWithoutSharing() throws IOException {
        String bogus = "/jdk/bin/ja\0va";
        Files.writeString(data.resolve("classes-" + Integer.toHexString(bogus.hashCode()) + ".jsa"), "archive");

        assertThat(ClassDataArchive.options(true, data, bogus, lib, "child", log)).isEmpty();
        verify(log, times(1)).warn(anyString(), eq("child"), anyString());
    }

    @Test
    void disabledMeansNoOption() throws IOException {
        assertThat(ClassDataArchive.options(false, data, JAVA, lib, "child", log)).isEmpty();
    }
}
