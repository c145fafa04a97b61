package io.msf.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;

class StopControlTest {

    @TempDir
    Path storage;

    private final StopControl control = new StopControl(new PrintStream(OutputStream.nullOutputStream()));
    private TestFramework framework;

    @BeforeEach
    void initFramework() throws Exception {
        framework = new TestFramework(storage, 1);
    }

    @AfterEach
    void stopFramework() throws Exception {
        framework.close();
    }

    @Test
    void aRequestBeforeTheStartPreventsIt() throws Exception {
        control.requestStop();

        assertThat(control.start(framework.framework(), Duration.ofSeconds(10))).isFalse();
        assertThat(framework.framework().getState()).isNotEqualTo(Bundle.ACTIVE);
    }

    @Test
    void aRequestAfterTheStartStopsTheFrameworkAndWaitsForIt() throws Exception {
        assertThat(control.start(framework.framework(), Duration.ofSeconds(10))).isTrue();
        assertThat(framework.framework().getState()).isEqualTo(Bundle.ACTIVE);

        control.requestStop();

        assertThat(framework.framework().getState()).isEqualTo(Bundle.RESOLVED);
    }
}
