package io.msf.supervisor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The members of a real process group, launched as the spawner launches a run. */
class ProcessGroupTest {

    private Process run;

    @AfterEach
    void tearDown() {
        if (run != null) {
            run.descendants().forEach(ProcessHandle::destroyForcibly);
            run.destroyForcibly();
        }
    }

    /**
     * The wall clock stepped back after the run's launch was read from it (NTP, an operator setting
     * the clock): the members' start instants look earlier than the launch, by an hour here. Their
     * starts in ticks since boot do not move, and they are members all the same.
     */
    @Test
    void membersAreFoundAlsoOnceTheWallClockHasSteppedBackSinceTheLaunch() throws Exception {
        assumeTrue(ProcessGroup.supported(), "setsid and /proc");
        Instant launchedBeforeTheStep = Instant.now().plus(Duration.ofHours(1));
        run = new ProcessBuilder(ProcessGroup.launching(List.of("sh", "-c", "sleep 1000 & exec sleep 1000"))).start();
        ProcessGroup group = ProcessGroup.ledBy(run.pid(), launchedBeforeTheStep);

        await().atMost(Duration.ofSeconds(20)).until(() -> group.members().size() == 2);
        assertThat(group.members()).contains(run.toHandle());
    }
    /** A program whose path starts with '-' was read by setsid as an option of its own, and never ran. */
    @Test
    void aProgramWhosePathStartsWithADashRuns(@TempDir Path dir) throws Exception {
        assumeTrue(ProcessGroup.supported(), "setsid and /proc");
        // a copy of echo, not a script: sh would read a script's path starting with '-' as its own option
        Path program = Files.copy(Path.of("/bin/echo"), Files.createDirectories(dir.resolve("-tools")).resolve("greet"));
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwx------"));
        run = new ProcessBuilder(ProcessGroup.launching(List.of("-tools/greet", "hello"))).directory(dir.toFile())
                .redirectErrorStream(true).start();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(run.waitFor()).as(output).isZero();
        assertThat(output).isEqualTo("hello\n");
    }
}
