package io.msf.deploy.internal;

import static io.msf.deploy.internal.Specs.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.msf.deploy.api.ServiceState.Phase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;

/**
 * A version whose {@code file:} jar was still being written when it was tried (or whose jar was not
 * there yet): tried again, without a change of configuration, once the jar has changed and then
 * stayed the same from one look to the next, the version before it serving meanwhile.
 */
class JarRetryTest {

    private final FakeFramework framework = new FakeFramework();
    private final TestDeployers.RecordingEventAdmin eventAdmin = new TestDeployers.RecordingEventAdmin();
    @TempDir
    Path records;
    @TempDir
    Path folder;
    private Reconciliation reconciliation;
    private final DesiredServices services = new DesiredServices(() -> reconciliation);

    /** The jar as a copy leaves it part of the way: this many bytes. */
    private static void copied(Path jar, int bytes) throws IOException {
        Files.write(jar, new byte[bytes]);
    }

    /**
     * Configures the service with {@code jar} as a copy leaves it part of the way (100 bytes), which
     * the framework cannot install, and makes a pass: the install or swap fails.
     *
     * @return the jar's location
     */
    private String configuredCutShort(Path jar) throws IOException {
        copied(jar, 100);
        String location = "file:" + jar;
        framework.failing.put(location, jar + " cannot be installed: java.util.zip.ZipException: zip END header not found");
        services.configure(spec("demo", location));
        services.pass();
        return location;
    }

    /** The next pass brings {@code location} up, and version 2.0.0 serves. */
    private void assertTriedAgainAndServing(FakeFramework on, String location) {
        on.calls.clear();
        services.pass();
        assertThat(on.calls).startsWith("bringUp [" + location + "]");
        assertThat(services.state("demo").phase()).isEqualTo(Phase.ACTIVE);
        assertThat(services.state("demo").version()).isEqualTo("2.0.0");
    }

    @Test
    void aSwapThatFailedOnAJarStillBeingCopiedIsTriedAgainOnceTheJarStaysTheSame() throws IOException {
        reconciliation = TestDeployers.deployer(framework, records, eventAdmin);
        services.configure(spec("demo", "repo/demo-1.0.0.jar"));
        services.pass();
        Bundle old = framework.installed.iterator().next();
        Path jar = folder.resolve("demo-2.0.0.jar");
        String location = configuredCutShort(jar);
        assertThat(services.state("demo").phase()).isEqualTo(Phase.FAILED);
        assertThat(services.state("demo").problem())
                .contains(jar + " cannot be installed").endsWith("; version 1.0.0 keeps serving");

        assertThat(reconciliation.retryChangedJars()).as("the jar as it was tried").isFalse();
        assertThat(reconciliation.retryChangedJars()).isFalse();
        copied(jar, 200);
        assertThat(reconciliation.retryChangedJars()).as("changed, seen once").isFalse();
        copied(jar, 300);
        assertThat(reconciliation.retryChangedJars()).as("still changing").isFalse();
        framework.failing.remove(location); // the copy is complete
        framework.calls.clear();
        services.pass();
        assertThat(framework.calls).as("no pass tries it before the jar stays the same").isEmpty();

        assertThat(reconciliation.retryChangedJars()).as("the same as at the last look").isTrue();
        services.pass();
        assertThat(framework.calls).startsWith("bringUp [" + location + "]").contains("remove [" + old + "]");
        assertThat(services.state("demo").phase()).isEqualTo(Phase.ACTIVE);
        assertThat(services.state("demo").version()).isEqualTo("2.0.0");
        assertThat(services.state("demo").problem()).isEmpty();
        assertThat(reconciliation.retryChangedJars()).as("nothing failed is watched any more").isFalse();
    }

    @Test
    void anMvnJarMissingWhenTriedIsTriedOnceItHasAppearedAndStaysTheSame() throws IOException {
        reconciliation = TestDeployers.deployer(framework, records, eventAdmin, List.of(folder));
        String location = "mvn:io.msf/demo/1.0.0";
        framework.failing.put(location, "location '" + location + "': io/msf/demo/1.0.0/demo-1.0.0.jar is in none of"
                + " the repositories [" + folder + "]");
        services.configure(spec("demo", location));
        services.pass();
        assertThat(services.state("demo").phase()).isEqualTo(Phase.FAILED);
        assertThat(reconciliation.retryChangedJars()).as("still missing").isFalse();
        assertThat(reconciliation.retryChangedJars()).isFalse();

        Path jar = Files.createDirectories(folder.resolve("io/msf/demo/1.0.0")).resolve("demo-1.0.0.jar");
        copied(jar, 300);
        framework.failing.remove(location);
        assertThat(reconciliation.retryChangedJars()).as("there, seen once").isFalse();
        assertThat(reconciliation.retryChangedJars()).as("the same as at the last look").isTrue();
        framework.calls.clear();
        services.pass();
        assertThat(framework.calls).startsWith("bringUp [" + location + "]");
        assertThat(services.state("demo").phase()).isEqualTo(Phase.ACTIVE);
        assertThat(services.state("demo").problem()).isEmpty();
    }

    @Test
    void aSwapThatFailedBeforeARestartIsTriedAgainIfItsJarWasCompletedWhileTheContainerWasDown() throws IOException {
        reconciliation = TestDeployers.deployer(framework, records, eventAdmin);
        services.configure(spec("demo", "repo/demo-1.0.0.jar"));
        services.pass();
        Path jar = folder.resolve("demo-2.0.0.jar");
        String location = configuredCutShort(jar);
        assertThat(services.state("demo").phase()).isEqualTo(Phase.FAILED);

        copied(jar, 300); // the copy completed while the container was down
        FakeFramework afresh = new FakeFramework(); // the container started again: nothing installed
        reconciliation = TestDeployers.deployer(afresh, records, eventAdmin);
        reconciliation.adopt(new Bundle[0], services.desired);
        services.pass();
        assertThat(services.state("demo").phase()).isEqualTo(Phase.FAILED);
        assertThat(services.state("demo").problem())
                .contains("before the restart").endsWith("; version 1.0.0 keeps serving");

        assertThat(reconciliation.retryChangedJars()).as("changed since it was tried, seen once").isFalse();
        assertThat(reconciliation.retryChangedJars()).as("the same as at the last look").isTrue();
        assertTriedAgainAndServing(afresh, location);
    }

    @Test
    void aDeployerRestartedAloneWatchesTheJarsOfTheSwapThatFailedBeforeIt() throws IOException {
        reconciliation = TestDeployers.deployer(framework, records, eventAdmin);
        services.configure(spec("demo", "repo/demo-1.0.0.jar"));
        services.pass();
        Path jar = folder.resolve("demo-2.0.0.jar");
        String location = configuredCutShort(jar);

        // its bundle restarted: the new deployer takes over version 1.0.0, still running
        reconciliation = TestDeployers.deployer(framework, records, eventAdmin);
        reconciliation.adopt(framework.installed.toArray(Bundle[]::new), services.desired);
        services.pass();
        assertThat(services.state("demo").phase()).isEqualTo(Phase.FAILED);
        assertThat(reconciliation.retryChangedJars()).as("unchanged since it failed").isFalse();
        copied(jar, 300);
        framework.failing.remove(location);
        assertThat(reconciliation.retryChangedJars()).as("changed, seen once").isFalse();
        assertThat(reconciliation.retryChangedJars()).as("the same as at the last look").isTrue();
        assertTriedAgainAndServing(framework, location);
    }

    @Test
    void aJarThatStillFailsOnceItStaysTheSameShowsTheNewReasonAndIsTriedAgainOnlyAtItsNextChange() throws IOException {
        reconciliation = TestDeployers.deployer(framework, records, eventAdmin);
        Path jar = folder.resolve("demo-1.0.0.jar");
        String location = configuredCutShort(jar);
        assertThat(services.state("demo").problem())
                .startsWith("install of [" + location + "] failed: " + jar + " cannot be installed");

        copied(jar, 200);
        reconciliation.retryChangedJars();
        framework.failing.put(location, jar + " is a jar but not an OSGi bundle: its manifest has no Bundle-SymbolicName");
        assertThat(reconciliation.retryChangedJars()).isTrue();
        framework.calls.clear();
        services.pass();
        assertThat(framework.calls).startsWith("bringUp [" + location + "]");
        assertThat(services.state("demo").phase()).isEqualTo(Phase.FAILED);
        assertThat(services.state("demo").problem()).isEqualTo("install of [" + location + "] failed: " + jar
                + " is a jar but not an OSGi bundle: its manifest has no Bundle-SymbolicName");

        framework.calls.clear();
        assertThat(reconciliation.retryChangedJars()).isFalse();
        assertThat(reconciliation.retryChangedJars()).as("unchanged since it was tried again").isFalse();
        services.pass();
        assertThat(framework.calls).isEmpty();
    }
}
