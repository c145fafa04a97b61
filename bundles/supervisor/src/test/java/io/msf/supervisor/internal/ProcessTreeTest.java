package io.msf.supervisor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessTreeTest {

    /** The kernel writes a program's name as its bytes: one not ASCII made the whole file unreadable, RSS -1. */
    @Test
    void readsTheRssOfAProgramWhoseNameIsNotAscii(@TempDir Path dir) throws IOException {
        Path status = dir.resolve("status");
        Files.write(status, ("Name:\tcaf\u00e9-server\nState:\tS (sleeping)\nVmRSS:\t    2048 kB\n")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(ProcessTree.rssBytes(status)).isEqualTo(2048 * 1024);
    }

    @Test
    void vmRssIsReadInBytes() {
        assertThat(ProcessTree.vmRssBytes(List.of("Name:\tjava", "VmPeak:\t  9000 kB", "VmRSS:\t   87040 kB",
                "Threads:\t34"))).isEqualTo(87040L * 1024);
        assertThat(ProcessTree.vmRssBytes(List.of("Name:\tkthreadd"))).isEqualTo(-1);
    }

    @Test
    void theRssOfALiveProcessIsKnownWhereThereIsProc() {
        assumeThat(Files.isDirectory(Path.of("/proc/self"))).isTrue();
        assertThat(ProcessTree.rssBytes(ProcessHandle.current())).isGreaterThan(1024 * 1024);
    }

    @Test
    void theCpuTimeOfALiveProcessIsKnown() {
        assertThat(ProcessTree.cpuMillis(ProcessHandle.current())).isPositive();
    }

    @Test
    void killEndsTheWholeTreeEvenIfItIgnoresSigterm() throws IOException {
        Process shell = new ProcessBuilder("sh", "-c", "trap '' TERM; sleep 1000 & sleep 1000; wait").start();
        await().atMost(Duration.ofSeconds(10)).until(() -> shell.descendants().count() >= 2);
        List<ProcessHandle> tree = ProcessTree.terminate(shell.toHandle(), true);
        assertThat(tree).hasSizeGreaterThanOrEqualTo(3);
        ProcessTree.kill(tree);
        await().atMost(Duration.ofSeconds(10)).until(() -> tree.stream().noneMatch(ProcessHandle::isAlive));
    }
}
