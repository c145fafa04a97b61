package io.msf.monitor.internal.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcFilesTest {

    private static final String STATUS = "Name:\tjava\nVmPeak:\t 4000000 kB\nVmRSS:\t   87652 kB\nThreads:\t34\n";
    private static final String LIMITS = "Limit                     Soft Limit           Hard Limit           Units\n"
            + "Max cpu time              unlimited            unlimited            seconds\n"
            + "Max open files            1024                 1048576              files\n";

    @Test
    void readsKibibytesFromStatus() {
        assertThat(ProcFiles.statusKib(STATUS, "VmRSS")).isEqualTo(87652);
        assertThat(ProcFiles.statusKib(STATUS, "VmSwap")).isEqualTo(-1);
        assertThat(ProcFiles.statusKib("VmRSS:\tlots kB\n", "VmRSS")).isEqualTo(-1);
    }

    @Test
    void readsTheSoftLimitFromLimits() {
        assertThat(ProcFiles.softLimit(LIMITS, "Max open files")).isEqualTo(1024);
        assertThat(ProcFiles.softLimit(LIMITS, "Max cpu time")).as("unlimited").isEqualTo(-1);
        assertThat(ProcFiles.softLimit(LIMITS, "Max processes")).isEqualTo(-1);
    }

    @Test
    void readsAProcDirectory(@TempDir Path self) throws IOException {
        Files.writeString(self.resolve("status"), STATUS);
        Files.writeString(self.resolve("limits"), LIMITS);
        Path fds = Files.createDirectory(self.resolve("fd"));
        for (int i = 0; i < 5; i++) {
            Files.createFile(fds.resolve(Integer.toString(i)));
        }
        ProcFiles proc = new ProcFiles(self);
        assertThat(proc.rssBytes()).isEqualTo(87652L * 1024);
        assertThat(proc.maxOpenFiles()).isEqualTo(1024);
        // The listing's own descriptor is subtracted: in a plain directory that costs one entry.
        assertThat(proc.openFiles()).isEqualTo(4);
    }

    @Test
    void unknownWithoutProc(@TempDir Path empty) {
        ProcFiles proc = new ProcFiles(empty.resolve("missing"));
        assertThat(proc.rssBytes()).isEqualTo(-1);
        assertThat(proc.openFiles()).isEqualTo(-1);
        assertThat(proc.maxOpenFiles()).isEqualTo(-1);
    }

    @Test
    void readsThisProcessOnLinux() {
        assumeTrue(Files.isDirectory(Paths.get("/proc/self/fd")), "Linux /proc");
        ProcessReading reading = new ProcessProbe().read();
        assertThat(reading.rssBytes()).isPositive();
        assertThat(reading.openFiles()).isPositive();
        // the JVM's own count and limit (what the probe uses) agree with /proc
        ProcFiles proc = new ProcFiles(Paths.get("/proc/self"));
        assertThat(reading.maxOpenFiles()).isEqualTo(proc.maxOpenFiles());
        assertThat(reading.openFiles()).isCloseTo(proc.openFiles(), org.assertj.core.api.Assertions.within(5L));
        assertThat(reading.heapLive()).isPositive();
        assertThat(reading.heapMax()).isGreaterThanOrEqualTo(reading.heapLive());
        assertThat(reading.cpuNanos()).isPositive();
    }
}
