package io.msf.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusFileTest {

    @TempDir
    Path dir;

    private static Properties read(Path file) {
        Properties status = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            status.load(in);
        } catch (IOException e) {
            return status; // not written yet
        }
        return status;
    }

    @Test
    void tellsReadinessAndHeapAndKeepsThemCurrent() {
        Path file = dir.resolve("msf.status");
        AtomicLong readyMillis = new AtomicLong(-1);
        StatusFile.start(file.toString(), readyMillis::get);

        await().atMost(Duration.ofSeconds(10)).until(() -> "false".equals(read(file).getProperty("ready")));
        Properties starting = read(file);
        assertThat(Long.parseLong(starting.getProperty("heapUsed"))).isPositive();
        assertThat(Long.parseLong(starting.getProperty("heapMax"))).isNotZero();
        assertThat(starting.getProperty("readyMillis")).isEqualTo("-1");

        readyMillis.set(640);
        await().atMost(Duration.ofSeconds(10)).until(() -> "true".equals(read(file).getProperty("ready")));
        assertThat(read(file).getProperty("readyMillis")).isEqualTo("640");
    }

    @Test
    void withoutAFileNothingIsWritten() throws IOException {
        StatusFile.start(null, () -> 0);
        StatusFile.start("", () -> 0);
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }
}
