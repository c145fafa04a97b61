package io.msf.itests.deploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.msf.deploy.api.ServiceState;
import io.msf.deploy.api.ServiceState.Phase;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.stream.Stream;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The deploy folder: a jar is installed only once complete, a corrupt one is refused and nothing
 * of it installed, replacing a jar hot-swaps its service, and a symlink is followed to its jar.
 * Each jar's service is named by its bundle symbolic name. A jar that lies there when the container
 * starts keeps what was kept of its service, as a configuration does.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DeployFolderIT extends DeployTestSupport {

    private static final String SERVICE = ServiceBundles.SWAP;

    private Path deploy;

    /** A second FileInstall watcher on {@code deploy/}, as the assembly has. */
    @Before
    public void watchDeployFolder() throws IOException {
        deploy = Files.createDirectories(watchedDir().resolveSibling("deploy"));
        Configuration watcher = service(ConfigurationAdmin.class).getFactoryConfiguration(
                "org.apache.felix.fileinstall", "deploy", "?");
        if (watcher.getProperties() == null) {
            Hashtable<String, Object> properties = new Hashtable<>();
            properties.put("felix.fileinstall.dir", deploy.toString());
            properties.put("felix.fileinstall.filter", ".*\\.jar");
            properties.put("felix.fileinstall.poll", "250");
            properties.put("felix.fileinstall.tmpdir", dataDir().resolve("fileinstall").toString());
            watcher.update(properties);
        }
    }

    @After
    public void emptyDeployFolder() throws IOException {
        try (Stream<Path> jars = Files.list(deploy)) {
            for (Path jar : (Iterable<Path>) jars::iterator) {
                Files.delete(jar);
            }
        }
        awaitGone(SERVICE);
    }

    @Test
    public void aJarMovedIntoPlaceIsInstalledAndReplacingItHotSwaps() throws Exception {
        drop("swap-1.0.0.jar", "service.jar");
        long old = awaitActive(SERVICE, "1.0.0").bundleIds().get(0);

        drop("swap-2.0.0.jar", "service.jar");
        ServiceState state = awaitActive(SERVICE, "2.0.0");
        assertEquals("1.0.0", state.previousVersion());
        assertFalse(installed(old));
    }

    /**
     * A service of deploy/ has no configuration, so no parameters: msf:param get says so, as of a
     * configured service without any, and the commands that would change its configuration send the
     * operator to its jar.
     */
    @Test
    public void aServiceOfTheDeployFolderHasNoParametersAndItsConfigurationCommandsNameItsJar() throws Exception {
        drop("swap-1.0.0.jar", "service.jar");
        awaitActive(SERVICE, "1.0.0");
        assertEquals(SERVICE + " has no parameters\n", console("msf:param get " + SERVICE));
        try {
            console("msf:update " + SERVICE + " 2.0.0");
            throw new AssertionError("msf:update of a service of deploy/ must fail");
        } catch (IllegalArgumentException expected) {
            assertEquals("service " + SERVICE + " comes from the deploy folder: replace or delete its jar there",
                    expected.getMessage());
        }
    }

    @Test
    public void aPartlyWrittenJarIsInstalledOnlyOnceComplete() throws Exception {
        byte[] jar = Files.readAllBytes(repository().resolve("swap-1.2.0.jar"));
        Path target = deploy.resolve("slow.jar");
        try (OutputStream out = Files.newOutputStream(target)) {
            out.write(jar, 0, jar.length / 2);
            out.flush();
            // FileInstall sees the half as stable after two polls: it must be refused, not installed
            ServiceState refused = awaitState("slow", Phase.FAILED, s -> s.problem().contains("not a complete jar"));
            assertTrue(refused.bundleIds().isEmpty());
            assertTrue(noSwapBundle());
            out.write(jar, jar.length / 2, jar.length - jar.length / 2);
        }
        awaitActive(SERVICE, "1.2.0");
        awaitGone("slow");
    }

    /**
     * A serving jar overwritten in place (cp onto it, not a rename): the half FileInstall sees as stable
     * is refused naming the file, the version before it keeps serving, and the whole jar is swapped in.
     */
    @Test
    public void aServingJarOverwrittenInPlaceKeepsServingUntilTheNewOneIsComplete() throws Exception {
        drop("swap-1.0.0.jar", "service.jar");
        long old = awaitActive(SERVICE, "1.0.0").bundleIds().get(0);
        byte[] jar = Files.readAllBytes(repository().resolve("swap-2.0.0.jar"));
        try (OutputStream out = Files.newOutputStream(deploy.resolve("service.jar"))) { // truncates, as cp does
            out.write(jar, 0, jar.length / 2);
            out.flush();
            ServiceState refused = awaitState(SERVICE, Phase.FAILED,
                    s -> s.problem().contains("service.jar is not a complete jar ("));
            assertEquals(refused.problem(), List.of(old), refused.bundleIds());
            assertEquals("1.0.0", refused.version());
            assertTrue(installed(old));
            out.write(jar, jar.length / 2, jar.length - jar.length / 2);
        }
        awaitActive(SERVICE, "2.0.0");
        assertFalse(installed(old));
    }

    @Test
    public void aCorruptJarIsRefusedWithAClearMessage() throws Exception {
        // what a download that failed saves: told as no jar at all, not as a jar cut short
        Files.writeString(deploy.resolve("corrupt.jar"), "<html><head><title>404 Not Found</title></head></html>\n");
        ServiceState refused = awaitState("corrupt", Phase.FAILED, s -> true);
        assertTrue(refused.problem(), refused.problem().contains("corrupt.jar is no jar: it does not start as a zip"
                + " does (it starts '<html><head><title>4'; a download that saved an error page?); nothing of it is"
                + " installed"));
        assertTrue(noSwapBundle());
        Files.delete(deploy.resolve("corrupt.jar"));
        awaitGone("corrupt");
    }

    @Test
    public void aSymlinkIsFollowedToItsJar() throws Exception {
        Files.createSymbolicLink(deploy.resolve("linked.jar"), repository().resolve("swap-1.1.0.jar"));
        awaitActive(SERVICE, "1.1.0");
    }

    @Test
    public void aJarReplacedWhileTheContainerWasDownByOneThatFailsLeavesTheVersionBeforeItServing() throws Exception {
        drop("swap-1.0.0.jar", "service.jar");
        awaitActive(SERVICE, "1.0.0");

        // the container down: FileInstall hands the jars of deploy/ over only once it is up again, after
        // the deployer has deleted the last good states of the services it starts without
        Bundle fileInstall = installedBundle("org.apache.felix.fileinstall");
        Bundle deployer = installedBundle("io.msf.deploy");
        fileInstall.stop();
        deployer.stop();
        try {
            for (Bundle bundle : context.getBundles()) {
                if (bundle.getLocation().startsWith("msf.service:")) {
                    bundle.uninstall();
                }
            }
            drop("failing.jar", "service.jar");
            deployer.start();
        } finally {
            fileInstall.start();
        }

        ServiceState state = awaitState(SERVICE, Phase.FAILED, s -> s.version().equals("1.0.0"));
        assertTrue(state.problem(), state.problem().startsWith("update to [")
                && state.problem().endsWith("; version 1.0.0 keeps serving"));
    }

    /**
     * A jar dropped over a serving one whose activator throws is refused naming the jar the operator
     * dropped and the framework's reason; the version before it keeps serving, and the container too.
     */
    @Test
    public void aJarWhoseActivatorThrowsIsRefusedNamingItAndTheVersionBeforeItKeepsServing() throws Exception {
        drop("swap-1.0.0.jar", "service.jar");
        long old = awaitActive(SERVICE, "1.0.0").bundleIds().get(0);
        drop("throwing.jar", "service.jar");
        ServiceState refused = awaitState(SERVICE, Phase.FAILED, s -> true);
        // what is installed is a checked copy in data/deploy: the jar dropped is named after it
        assertTrue(refused.problem(), refused.problem().startsWith("update to [")
                && refused.problem().contains("] from ") && refused.problem().contains("service.jar failed: "));
        assertTrue(refused.problem(), refused.problem().contains("Activator start error")
                && refused.problem().endsWith("; version 1.0.0 keeps serving"));
        assertEquals(List.of(old), refused.bundleIds());
        assertEquals(Bundle.ACTIVE, context.getBundle(old).getState());
    }

    /**
     * The jar of the bundle a configured service runs, dropped into deploy/ (meant as an update of that
     * service, most likely), would run as a second service of its own, named by its symbolic name,
     * answering beside the first to the same agent names: it is refused, naming the service and its
     * file, and deployed once that service is gone.
     */
    @Test
    public void aJarOfTheBundleAConfiguredServiceRunsIsRefusedUntilThatServiceGoes() throws Exception {
        Path file = configs.writeFile("msf.service~configured.cfg", "location = swap-1.0.0.jar");
        long configured = awaitActive("configured", "1.0.0").bundleIds().get(0);

        drop("swap-1.1.0.jar", "service.jar");
        ServiceState refused = awaitState(SERVICE, Phase.FAILED, s -> true);
        assertTrue(refused.problem(), refused.problem().contains("deploy/service.jar is not deployed: its bundle "
                + SERVICE + " runs as service configured (") && refused.problem().contains("msf.service~configured.cfg),"));
        assertTrue(refused.bundleIds().isEmpty());
        assertEquals(List.of(configured), Arrays.stream(context.getBundles())
                .filter(b -> SERVICE.equals(b.getSymbolicName())).map(Bundle::getBundleId).toList());

        Files.delete(file);
        awaitGone("configured");
        awaitActive(SERVICE, "1.1.0");
    }

    /** Copies under a name FileInstall ignores, then renames into place: the documented way. */
    private void drop(String repositoryJar, String name) throws IOException {
        Path staged = deploy.resolve(name + ".part");
        Files.copy(repository().resolve(repositoryJar), staged, StandardCopyOption.REPLACE_EXISTING);
        Files.move(staged, deploy.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private boolean noSwapBundle() {
        return Arrays.stream(context.getBundles()).noneMatch(b -> SERVICE.equals(b.getSymbolicName()));
    }
}
