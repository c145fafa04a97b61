package io.msf.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a write-back killed between writing its text beside a file and the rename leaves, and what goes. */
class SavingLeftoversTest {

    @TempDir
    Path home;

    private final Instant now = Instant.parse("2026-12-01T10:00:00Z");

    /** A file named {@code name} in {@code dir}, last modified {@code age} before now. */
    private Path file(Path dir, String name, Duration age) throws IOException {
        Path file = Files.writeString(Files.createDirectories(dir).resolve(name), "level = DEBUG\n");
        Files.setLastModifiedTime(file, FileTime.from(now.minus(age)));
        return file;
    }

    @Test
    void theTextOfAWriteBackStoppedHalfwayGoes() throws IOException {
        Path etc = home.resolve("etc");
        Path cfg = file(etc, ".msf.log.cfg.8301946283617364819.saving", Duration.ofHours(1));
        Path config = file(etc, ".msf.net.endpoint~echo.config.42.saving", SavingLeftovers.MIN_AGE.plusSeconds(1));

        assertThat(SavingLeftovers.remove(List.of(etc), now)).containsExactlyInAnyOrder(cfg, config);

        assertThat(cfg).doesNotExist();
        assertThat(config).doesNotExist();
    }

    /** The saver's own names, as it makes them: the pattern is the saver's, not a guess of it. */
    @Test
    void theSaversOwnTextIsTakenForOne() throws IOException {
        Path etc = Files.createDirectories(home.resolve("etc"));
        Path made = Files.createTempFile(etc, ConfigFileSaver.partialName(etc.resolve("msf.log.cfg")),
                ConfigFileSaver.PARTIAL_SUFFIX);

        assertThat(SavingLeftovers.isLeftoverName(made.getFileName().toString())).isTrue();
    }

    /** One of another saver, a container stopping on the same folder, may still be renamed. */
    @Test
    void aRecentOneStays() throws IOException {
        Path etc = home.resolve("etc");
        Path recent = file(etc, ".msf.log.cfg.12.saving", SavingLeftovers.MIN_AGE.minusSeconds(1));

        assertThat(SavingLeftovers.remove(List.of(etc), now)).isEmpty();

        assertThat(recent).exists();
    }

    @Test
    void anOperatorsFilesStayHoweverNamed() throws IOException {
        Path etc = home.resolve("etc");
        Duration old = Duration.ofDays(1);
        List<Path> kept = List.of(
                file(etc, "msf.log.cfg.1.saving", old),          // not hidden
                file(etc, ".msf.log.cfg.saving", old),           // no digits
                file(etc, ".msf.log.cfg.1a.saving", old),        // not digits only
                file(etc, ".msf.log.txt.1.saving", old),         // not of a configuration file
                file(etc, ".msf.log.cfg.1.saving~", old),        // an editor's backup
                file(etc, ".msf.log.cfg.1.tmp", old),            // the deployer's, not the saver's
                file(etc, "msf.log.cfg", old));

        assertThat(SavingLeftovers.remove(List.of(etc), now)).isEmpty();

        kept.forEach(file -> assertThat(file).exists());
    }

    /** Only folders FileInstall watches are the saver's; a sub-folder of one is not. */
    @Test
    void aFolderNotWatchedIsLeftAlone() throws IOException {
        Path etc = home.resolve("etc");
        Path below = file(etc.resolve("old"), ".msf.log.cfg.1.saving", Duration.ofDays(1));
        Path elsewhere = file(home.resolve("backup"), ".msf.log.cfg.1.saving", Duration.ofDays(1));

        assertThat(SavingLeftovers.remove(List.of(etc, home.resolve("missing")), now)).isEmpty();

        assertThat(below).exists();
        assertThat(elsewhere).exists();
    }

    /** A link of that name is not removed: what it points to was never the saver's text. */
    @Test
    void aLinkStays() throws IOException {
        Path etc = Files.createDirectories(home.resolve("etc"));
        Path target = file(home, "kept.cfg", Duration.ofDays(1));
        Path link = Files.createSymbolicLink(etc.resolve(".msf.log.cfg.1.saving"), target);

        assertThat(SavingLeftovers.remove(List.of(etc), now)).isEmpty();

        assertThat(link).exists();
        assertThat(target).exists();
    }
}
