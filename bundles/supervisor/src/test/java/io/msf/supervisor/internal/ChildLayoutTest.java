package io.msf.supervisor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildLayoutTest {

    @TempDir
    Path dir;

    @Test
    void etcIsSeededOnceAndThenBelongsToTheChild() throws IOException {
        Path source = Files.createDirectories(dir.resolve("seed"));
        Files.writeString(source.resolve("msf.timer.cfg"), "tickMillis = 5\n");
        Files.writeString(source.resolve("notes.txt"), "not a configuration\n");
        ChildLayout layout = ChildLayout.of(dir.resolve("data"), "child");

        layout.prepareContainer(source, null);
        assertThat(Files.readString(layout.etc().resolve("msf.timer.cfg"))).isEqualTo("tickMillis = 5\n");
        assertThat(layout.etc().resolve("notes.txt")).doesNotExist();
        assertThat(Files.readString(layout.etc().resolve(ChildLayout.DEPLOY_WATCHER)))
                .contains("felix.fileinstall.dir = " + layout.deploy())
                // its jars go to the child's deployer, as the parent's do: no scan before level 5
                .contains("felix.fileinstall.noInitialDelay = false", "felix.fileinstall.active.level = 5");
        assertThat(Files.readString(layout.etc().resolve(ChildLayout.MONITOR_CONFIG))).contains("port = 0");
        assertThat(Files.readString(layout.etc().resolve(ChildLayout.AGENT_CONFIG))).contains("tcpPort = -1");
        assertThat(Files.getPosixFilePermissions(layout.root())).isEqualTo(PosixFilePermissions.fromString("rwx------"));

        // a child made by an older msf: its watcher scanned at once, before the deployer was there
        Files.writeString(layout.etc().resolve(ChildLayout.DEPLOY_WATCHER), "felix.fileinstall.noInitialDelay = true\n");
        layout.prepareContainer(source, null);
        assertThat(Files.readString(layout.etc().resolve(ChildLayout.DEPLOY_WATCHER)))
                .contains("felix.fileinstall.active.level = 5").doesNotContain("noInitialDelay = true");
        assertThat(layout.etc()).isDirectoryNotContaining("glob:**/.*.new");

        Files.writeString(layout.etc().resolve("msf.timer.cfg"), "tickMillis = 20\n"); // the child's own edit
        Files.writeString(source.resolve("msf.timer.cfg"), "tickMillis = 1\n");
        layout.prepareContainer(source, null);
        assertThat(Files.readString(layout.etc().resolve("msf.timer.cfg"))).isEqualTo("tickMillis = 20\n");
    }

    @Test
    void seededMonitorAndAgentConfigurationsAreKept() throws IOException {
        Path source = Files.createDirectories(dir.resolve("seed"));
        Files.writeString(source.resolve(ChildLayout.MONITOR_CONFIG), "port = 9999\n");
        Files.writeString(source.resolve(ChildLayout.AGENT_CONFIG), "tcpPort = 7421\n");
        ChildLayout layout = ChildLayout.of(dir.resolve("data"), "child");

        layout.prepareContainer(source, null);
        assertThat(Files.readString(layout.etc().resolve(ChildLayout.MONITOR_CONFIG))).isEqualTo("port = 9999\n");
        assertThat(Files.readString(layout.etc().resolve(ChildLayout.AGENT_CONFIG))).isEqualTo("tcpPort = 7421\n");
    }

    @Test
    void deployIsRefreshedFromItsSourceAtEachStart() throws IOException {
        Path services = Files.createDirectories(dir.resolve("services"));
        Files.writeString(services.resolve("svc.jar"), "version 1");
        ChildLayout layout = ChildLayout.of(dir.resolve("data"), "child");
        layout.prepareContainer(null, services);
        assertThat(Files.readString(layout.deploy().resolve("svc.jar"))).isEqualTo("version 1");

        Files.writeString(services.resolve("svc.jar"), "version 22");
        Files.setLastModifiedTime(services.resolve("svc.jar"), FileTime.fromMillis(1_000_000_000_000L));
        layout.prepareContainer(null, services);
        assertThat(Files.readString(layout.deploy().resolve("svc.jar"))).isEqualTo("version 22");
        try (var files = Files.list(layout.deploy())) {
            assertThat(files.map(path -> path.getFileName().toString())).containsExactly("svc.jar");
        }
    }

    @Test
    void aStatusFileOfAnEarlierRunIsRemoved() throws IOException {
        ChildLayout layout = ChildLayout.of(dir.resolve("data"), "child");
        layout.prepareContainer(null, null);
        Files.writeString(layout.statusFile(), "ready=true\n");
        layout.prepareContainer(null, null);
        assertThat(layout.statusFile()).doesNotExist();
    }

    @Test
    void aMissingSourceIsAnError() {
        ChildLayout layout = ChildLayout.of(dir.resolve("data"), "child");
        assertThatThrownBy(() -> layout.prepareContainer(null, dir.resolve("nowhere")))
                .isInstanceOf(IOException.class).hasMessageContaining("nowhere");
    }

    @Test
    void theStatusFileTellsReadinessAndHeap() throws IOException {
        Path status = dir.resolve("msf.status");
        assertThat(ContainerStatus.read(status)).isEqualTo(ContainerStatus.UNKNOWN);
        Files.writeString(status, "ready=true\nreadyMillis=640\nheapUsed=12345\nheapMax=99\n");
        assertThat(ContainerStatus.read(status)).isEqualTo(new ContainerStatus(true, 640, 12345));
        Files.writeString(status, "ready=false\nheapUsed=lots\n");
        assertThat(ContainerStatus.read(status)).isEqualTo(new ContainerStatus(false, -1, -1));
    }

    @Test
    void pidRecordFindsTheRunLeftBehindButNotAReusedPid() throws IOException {
        Path record = dir.resolve("proc.pid");
        Process sleeper = new ProcessBuilder("sleep", "1000").start();
        try {
            PidRecord.write(record, sleeper.toHandle());
            assertThat(PidRecord.leftover(record)).map(ProcessHandle::pid).contains(sleeper.pid());
            Files.writeString(record, sleeper.pid() + " 12345\n"); // another start time: another process
            assertThat(PidRecord.leftover(record)).isEmpty();
        } finally {
            sleeper.destroyForcibly();
        }
        assertThat(PidRecord.leftover(dir.resolve("missing.pid"))).isEmpty();
    }

    @Test
    void aMissingEtcSourceIsAnErrorAtEveryStartUntilItExistsAndIsSeeded() throws IOException {
        // a typo in etcSource: the first start fails; the restart that follows must not run an unseeded etc/
        Path source = dir.resolve("seed");
        ChildLayout layout = ChildLayout.of(dir.resolve("data"), "child");
        assertThatThrownBy(() -> layout.prepareContainer(source, null)).isInstanceOf(IOException.class)
                .hasMessageContaining("seed");
        assertThatThrownBy(() -> layout.prepareContainer(source, null)).isInstanceOf(IOException.class)
                .hasMessageContaining("seed");

        Files.createDirectories(source);
        Files.writeString(source.resolve("msf.timer.cfg"), "tickMillis = 5\n");
        layout.prepareContainer(source, null);
        assertThat(Files.readString(layout.etc().resolve("msf.timer.cfg"))).isEqualTo("tickMillis = 5\n");
        assertThat(Files.readString(layout.etc().resolve(ChildLayout.MONITOR_CONFIG))).contains("port = 0");
        assertThat(Files.readString(layout.etc().resolve(ChildLayout.AGENT_CONFIG))).contains("tcpPort = -1");
    }
}
