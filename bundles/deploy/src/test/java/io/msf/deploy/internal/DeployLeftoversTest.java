package io.msf.deploy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The names the deployer's writers give their temporary files, as they make them: the patterns are theirs, not guesses. */
class DeployLeftoversTest {

    @TempDir
    Path dir;

    @Test
    void theTextOfANewServicesFileIsTakenForOne() throws IOException {
        Path made = Files.createTempFile(dir, ServiceConfigs.temporaryPrefix(dir.resolve("msf.service~upnp.cfg")),
                ServiceConfigs.TEMPORARY_SUFFIX);

        assertThat(DeployLeftovers.isConfigText(made.getFileName().toString())).isTrue();
        assertThat(DeployLeftovers.isConfigText(".msf.service~a b.cfg.1.tmp")).as("no service name").isFalse();
        assertThat(DeployLeftovers.isConfigText(".msf.log.cfg.1.tmp")).as("not a service's file").isFalse();
    }

    @Test
    void aCopyOfADroppedJarIsTakenForOne() throws IOException {
        Path made = Files.createTempFile(dir, DeployFolder.COPY_PREFIX, DeployFolder.COPY_SUFFIX);

        assertThat(DeployLeftovers.isCopy(made.getFileName().toString())).isTrue();
        assertThat(DeployLeftovers.isCopy("upnp-1.0.0-1a2b.jar")).as("a copy kept").isFalse();
    }

    @Test
    void aRecordBeingWrittenIsTakenForOne() {
        assertThat(DeployLeftovers.isRecord("upnp" + ServiceRecords.TEMPORARY_SUFFIX)).isTrue();
        assertThat(DeployLeftovers.isRecord("upnp.record")).isFalse();
        assertThat(DeployLeftovers.isRecord("../x.record.tmp")).isFalse();
    }
}
