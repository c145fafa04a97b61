package io.msf.itests.deploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.msf.deploy.api.ServiceState;
import io.msf.deploy.api.ServiceState.Phase;
import io.msf.itests.Await;
import io.msf.itests.deploy.service.RefusingActivator;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.service.event.Event;

/**
 * What is done to a service's jar or bundle outside the deployer: a {@code file:} jar still being
 * copied when it was tried, a plain jar that is no bundle, a service bundle stopped by hand (and one
 * started again by hand whose activator throws, or takes its time).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class OutsideChangesIT extends DeployTestSupport {

    @Test
    public void aFileJarStillBeingCopiedIsTriedAgainOnceCompleteAndTheOldVersionServesMeanwhile() throws Exception {
        configs.writeFile("msf.service~copied.cfg", "location = swap-1.0.0.jar");
        long old = awaitActive("copied", "1.0.0").bundleIds().get(0);
        Path jar = Files.createDirectories(repository().resolveSibling("incoming")).resolve("swap-2.0.0.jar");
        byte[] whole = Files.readAllBytes(repository().resolve("swap-2.0.0.jar"));
        Files.write(jar, Arrays.copyOf(whole, whole.length / 2)); // the copy has not got further yet

        configs.writeFile("msf.service~copied.cfg", "location = file:" + jar);
        ServiceState cut = awaitState("copied", Phase.FAILED, s -> s.problem().contains(jar.toString()));
        assertEquals(List.of(old), cut.bundleIds());
        assertTrue(cut.problem(), cut.problem().contains(jar + " is not a complete jar (")
                && cut.problem().endsWith("; version 1.0.0 keeps serving"));

        Files.write(jar, whole); // the copy completes; the configuration is not touched
        long fresh = awaitActive("copied", "2.0.0").bundleIds().get(0);
        assertFalse("the old version is uninstalled", installed(old));
        assertEquals(Bundle.ACTIVE, context.getBundle(fresh).getState());
    }

    /**
     * A new service whose jar is not there yet is FAILED naming the file, nothing of it installed, and
     * is installed once the jar appears, its configuration untouched.
     */
    @Test
    public void aServiceWhoseJarIsNotThereYetIsFailedNamingItAndInstalledOnceItAppears() throws Exception {
        Path jar = Files.createDirectories(repository().resolveSibling("incoming")).resolve("later-1.1.0.jar");
        Files.deleteIfExists(jar);
        configs.writeFile("msf.service~later.cfg", "location = file:" + jar);
        ServiceState missing = awaitState("later", Phase.FAILED, s -> true);
        assertTrue(missing.problem(), missing.problem().startsWith("install of [file:" + jar + "] failed: ")
                && missing.problem().contains(jar + " is not a readable file"));
        assertEquals(List.of(), missing.bundleIds());

        Path staged = Files.copy(repository().resolve("swap-1.1.0.jar"), jar.resolveSibling("later.staged"));
        Files.move(staged, jar, StandardCopyOption.ATOMIC_MOVE);
        long id = awaitActive("later", "1.1.0").bundleIds().get(0);
        assertEquals(Bundle.ACTIVE, context.getBundle(id).getState());
        assertEquals("", state("later").orElseThrow().problem());
    }

    @Test
    public void aPlainJarIsRefusedForItsMissingSymbolicNameAndTheOldVersionKeepsServing() throws Exception {
        Path plain = repository().resolve("plain.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (OutputStream file = Files.newOutputStream(plain); JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.putNextEntry(new ZipEntry("plain/readme.txt"));
            out.write("not a bundle".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        configs.writeFile("msf.service~plain.cfg", "location = swap-1.0.0.jar");
        long old = awaitActive("plain", "1.0.0").bundleIds().get(0);

        deployer().update("plain", "plain.jar");
        ServiceState refused = awaitState("plain", Phase.FAILED, s -> true);
        assertEquals(List.of(old), refused.bundleIds());
        assertEquals("update to [plain.jar] failed: " + plain + " is a jar but not an OSGi bundle: its manifest has no"
                + " Bundle-SymbolicName; version 1.0.0 keeps serving", refused.problem());
        assertTrue("nothing of the plain jar is installed",
                Arrays.stream(context.getBundles()).allMatch(b -> b.getSymbolicName() != null));
        assertEquals(Bundle.ACTIVE, context.getBundle(old).getState());
    }

    @Test
    public void aServiceBundleStoppedByHandFailsTheServiceOnceUntilItIsDeployedAgain() throws Exception {
        List<Event> failures = failures();
        configs.writeFile("msf.service~stopped.cfg", "location = swap-1.0.0.jar");
        long id = awaitActive("stopped", "1.0.0").bundleIds().get(0);

        context.getBundle(id).stop(); // what the console's stop <id> does
        ServiceState stopped = awaitState("stopped", Phase.FAILED, s -> true);
        assertEquals("bundle " + ServiceBundles.SWAP + " 1.0.0 [" + id + "] stopped by hand; the service is started"
                + " again when its configuration changes, or by hand", stopped.problem());
        assertEquals(List.of(id), stopped.bundleIds());
        Await.until("one msf/deploy/FAILED event", () -> count(failures, "stopped") == 1);
        assertEquals("the operator's stop is not undone", Bundle.RESOLVED, context.getBundle(id).getState());

        deployer().deploy("stopped", "swap-1.0.0.jar", Map.of()); // msf:deploy, as it was
        ServiceState again = awaitActive("stopped", "1.0.0");
        assertEquals(List.of(id), again.bundleIds());
        assertEquals("", again.problem());
        assertEquals(Bundle.ACTIVE, context.getBundle(id).getState());
        assertEquals("said once", 1, count(failures, "stopped"));
    }

    @Test
    public void aServiceBundleStartedByHandWhoseActivatorThrowsLeavesTheServiceFailed() throws Exception {
        List<Event> failures = failures();
        Bundle bundle = runningAndStoppedByHand("refusing");

        System.setProperty(RefusingActivator.REFUSE, "true");
        try {
            bundle.start(); // the console's start <id>
            fail("the activator throws");
        } catch (BundleException expected) {
            // left RESOLVED, its start setting on
        } finally {
            System.clearProperty(RefusingActivator.REFUSE);
        }
        ServiceState failed = awaitState("refusing", Phase.FAILED, s -> s.problem().contains("not ACTIVE"));
        assertEquals("bundle " + ServiceBundles.REFUSING + " 6.0.0 [" + bundle.getBundleId() + "] started by hand, and"
                + " not ACTIVE; the service is started again when its configuration changes, or by hand",
                failed.problem());
        Await.until("a second msf/deploy/FAILED event", () -> count(failures, "refusing") == 2);
        assertEquals(Bundle.RESOLVED, bundle.getState());

        bundle.start(); // and once it starts, the service is as before the stop
        ServiceState again = awaitActive("refusing", "6.0.0");
        assertEquals("", again.problem());
        assertEquals("said once each", 2, count(failures, "refusing"));
    }

    @Test
    public void aPassWhileAStartByHandIsUnderWayWaitsForItToEnd() throws Exception {
        List<Event> failures = failures();
        Bundle bundle = runningAndStoppedByHand("slow");

        System.setProperty(RefusingActivator.HOLD, "true");
        CompletableFuture<Void> start;
        try {
            start = CompletableFuture.runAsync(() -> {
                try {
                    bundle.start(); // the console's start <id>, its activator slow
                } catch (BundleException e) {
                    throw new CompletionException(e);
                }
            });
            Await.until("the start by hand under way", () -> bundle.getState() == Bundle.STARTING);
            configs.writeFile("msf.service~meanwhile.cfg", "location = swap-1.0.0.jar"); // a pass over every service
            awaitActive("meanwhile", "1.0.0");
            deployer().await("meanwhile", Duration.ofSeconds(30)); // that pass is over
            ServiceState during = state("slow").orElseThrow();
            assertTrue(during.problem(), during.problem().contains("stopped by hand"));
            assertEquals("nothing said of a start not ended", 1, count(failures, "slow"));
        } finally {
            System.clearProperty(RefusingActivator.HOLD);
        }
        start.get(30, TimeUnit.SECONDS);
        ServiceState again = awaitActive("slow", "6.0.0");
        assertEquals("", again.problem());
        assertEquals("said once", 1, count(failures, "slow"));
    }

    /** A service of refusing.jar, deployed, ACTIVE, and then stopped by hand: its bundle. */
    private Bundle runningAndStoppedByHand(String name) throws Exception {
        configs.writeFile("msf.service~" + name + ".cfg", "location = refusing.jar");
        Bundle bundle = context.getBundle(awaitActive(name, "6.0.0").bundleIds().get(0));
        bundle.stop(); // the console's stop <id>
        awaitState(name, Phase.FAILED, s -> s.problem().contains("stopped by hand"));
        return bundle;
    }

    private static long count(List<Event> events, String service) {
        return events.stream().filter(e -> service.equals(e.getProperty("name"))).count();
    }
}
