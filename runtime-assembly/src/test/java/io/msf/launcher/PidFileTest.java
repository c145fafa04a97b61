package io.msf.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PidFileTest {

    @TempDir
    Path data;

    private Process other;

    @AfterEach
    void endOtherProcess() throws InterruptedException {
        if (other != null) {
            other.destroyForcibly().waitFor();
        }
    }

    @Test
    void recordsThisProcessAndRemovesTheFileOnRelease() throws IOException {
        Path file = data.resolve("msf.pid");

        PidFile pidFile = PidFile.claim(file);

        assertThat(PidFile.read(file)).contains(ProcessHandle.current().pid());
        pidFile.release();
        assertThat(file).doesNotExist();
    }

    @Test
    void aFileAlreadyNamingThisProcessIsFine() throws IOException {
        // bin/msf start writes the pid of the process it launched before the launcher runs
        Path file = data.resolve("msf.pid");
        Files.writeString(file, ProcessHandle.current().pid() + "\n");

        PidFile.claim(file);

        assertThat(PidFile.read(file)).contains(ProcessHandle.current().pid());
    }

    @Test
    void refusesWhileAnotherLauncherIsAlive() throws IOException {
        // a live process whose command line carries the launcher's class name
        other = new ProcessBuilder("sh", "-c", "sleep 60", PidFile.LAUNCHER_MARK).start();
        Path file = data.resolve("msf.pid");
        Files.writeString(file, other.pid() + "\n");

        assertThatThrownBy(() -> PidFile.claim(file))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already running as pid " + other.pid());
    }

    @Test
    void replacesTheFileOfADeadProcess() throws Exception {
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        Path file = data.resolve("msf.pid");
        Files.writeString(file, dead.pid() + "\n");

        PidFile.claim(file);

        assertThat(PidFile.read(file)).contains(ProcessHandle.current().pid());
    }

    @Test
    void replacesTheFileWhenThePidNowBelongsToAnotherProgram() throws IOException {
        other = new ProcessBuilder("sleep", "60").start();
        Path file = data.resolve("msf.pid");
        Files.writeString(file, other.pid() + "\n");

        PidFile.claim(file);

        assertThat(PidFile.read(file)).contains(ProcessHandle.current().pid());
    }

    @Test
    void releaseLeavesAFileThatAnotherProcessHasTakenOver() throws IOException {
        Path file = data.resolve("msf.pid");
        PidFile pidFile = PidFile.claim(file);
        Files.writeString(file, "1\n");

        pidFile.release();

        assertThat(PidFile.read(file)).contains(1L);
    }
}
