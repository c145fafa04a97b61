package io.msf.itests.deploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import io.msf.config.api.ConfigProblem;
import io.msf.config.api.ConfigValidation;
import io.msf.deploy.api.Deployer;
import io.msf.deploy.api.ServiceState;
import io.msf.deploy.api.ServiceState.Phase;
import io.msf.itests.Await;
import io.msf.itests.deploy.service.ParamComponent;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.Event;

/**
 * Services installed, updated, reconfigured, rolled back and uninstalled through their
 * configuration files ({@code msf.service~<name>}, JSON, libmsf process files), and a version
 * that fails to activate or to get healthy removed while the one before it keeps serving.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DeployIT extends DeployTestSupport {

    /** The key that marks a configuration as written by the deployer for the service it names. */
    private static final String OWNER = "msf.deploy.service";

    @Test
    public void aConfigFileInstallsUpdatesAndUninstallsItsService() throws Exception {
        configs.writeFile("msf.service~files.cfg", "location = swap-1.0.0.jar");
        ServiceState first = awaitActive("files", "1.0.0");
        Bundle v1 = context.getBundle(first.bundleIds().get(0));
        assertEquals(Bundle.ACTIVE, v1.getState());

        configs.writeFile("msf.service~files.cfg", "location = mvn:io.msf.itests/swap/2.0.0");
        ServiceState second = awaitActive("files", "2.0.0");
        assertEquals("1.0.0", second.previousVersion());
        assertFalse("the old version is uninstalled", installed(v1.getBundleId()));

        Files.delete(watchedDir().resolve("msf.service~files.cfg"));
        awaitGone("files");
        assertFalse("the service is uninstalled", installed(second.bundleIds().get(0)));
    }

    @Test
    public void enabledFalseStopsTheServiceAndKeepsItListed() throws Exception {
        configs.writeFile("msf.service~toggle.cfg", "location = swap-1.0.0.jar");
        long id = awaitActive("toggle", "1.0.0").bundleIds().get(0);
        configs.writeFile("msf.service~toggle.cfg", "location = swap-1.0.0.jar", "enabled = false");
        awaitState("toggle", Phase.DISABLED, s -> s.bundleIds().isEmpty());
        assertFalse(installed(id));
    }

    @Test
    public void aJsonServiceFileIsAServiceConfiguration() throws Exception {
        configs.writeFile("msf.service~json.json", "{", "  \"location\": [\"swap-1.1.0.jar\"],",
                "  \"drainTimeoutMillis\": 100", "}");
        awaitActive("json", "1.1.0");
        Files.delete(watchedDir().resolve("msf.service~json.json"));
        awaitGone("json");
    }

    @Test
    public void aLibmsfProcessFileDeploysEachOfItsServices() throws Exception {
        configs.writeFile("media.json", "{", "  \"proc_name\": \"media\",", "  \"proc_author\": \"msf\",",
                "  \"proc_version\": \"1.0\",", "  \"proc_desc\": \"two services\",", "  \"proc_svcs\": [",
                "    {\"svc_name\": \"libmsf-a\", \"svc_libs\": \"libswap.so\"},",
                "    {\"svc_name\": \"libmsf-b\", \"svc_libs\": [\"swap-1.2.0.jar\"]}", "  ]", "}");
        awaitActive("libmsf-a", "1.5.0");
        awaitActive("libmsf-b", "1.2.0");
        Files.delete(watchedDir().resolve("media.json"));
        awaitGone("libmsf-a");
        awaitGone("libmsf-b");
    }

    @Test
    public void aParameterChangeReachesTheComponentWithoutRestartingIt() throws Exception {
        configs.writeFile("msf.service~param.cfg", "location = param.jar", "pid = " + ParamComponent.PID,
                "param.greeting = hello");
        ServiceState state = awaitActive("param", "1.0.0");
        Bundle bundle = context.getBundle(state.bundleIds().get(0));
        Await.until("the component greets with hello", () -> "hello#1".equals(greeting()));

        deployer().setParameter("param", "greeting", "bye");
        Await.until("the component greets with bye, same activation", () -> "bye#1".equals(greeting()));
        assertEquals("bye", deployer().parameters("param").get("greeting"));
        assertEquals(List.of(bundle.getBundleId()), awaitActive("param", "1.0.0").bundleIds());
        assertEquals(Bundle.ACTIVE, bundle.getState());
    }

    @Test
    public void aChangedPidLeavesTheRunningVersionNoConfigurationUnderTheOldOne() throws Exception {
        configs.writeFile("msf.service~repid.cfg", "location = param.jar", "pid = " + ParamComponent.PID,
                "param.greeting = hello");
        Bundle bundle = context.getBundle(awaitActive("repid", "1.0.0").bundleIds().get(0));
        Await.until("the component greets with hello", () -> "hello#1".equals(greeting(bundle)));
        assertEquals(List.of(ParamComponent.PID + "|" + target(bundle)), written("repid"));

        configs.writeFile("msf.service~repid.cfg", "location = param.jar", "pid = msf.itests.renamed",
                "param.greeting = hello");
        Await.until("only the configuration of the new pid is left", () -> written("repid")
                .equals(List.of("msf.itests.renamed|" + target(bundle))));
        Await.until("the component, which reads the old pid, has no greeting any more",
                () -> String.valueOf(greeting(bundle)).startsWith("null#"));
        assertEquals(List.of(bundle.getBundleId()), awaitActive("repid", "1.0.0").bundleIds());
        assertEquals(Bundle.ACTIVE, bundle.getState());
    }

    @Test
    public void aChangedPidThatLeavesAComponentOfTheOldOneDownIsUndone() throws Exception {
        configs.writeFile("msf.service~needy.cfg", "location = param-required.jar", "pid = " + ParamComponent.PID,
                "param.greeting = hello");
        Bundle bundle = context.getBundle(awaitActive("needy", "1.0.0").bundleIds().get(0));
        Await.until("the component greets with hello", () -> "hello#1".equals(greeting(bundle)));

        configs.writeFile("msf.service~needy.cfg", "location = param-required.jar", "pid = msf.itests.renamed",
                "param.greeting = hello");
        ServiceState state = awaitState("needy", Phase.FAILED, s -> true);
        assertTrue(state.problem(), state.problem().startsWith("parameters not taken: " + bundle.getSymbolicName()));
        assertTrue(state.problem(), state.problem().contains(": component itest.param.required read the old PID "
                + ParamComponent.PID + " and is no longer active without its configuration (configuration policy"
                + " require); version 1.0.0 keeps serving with the parameters it had"));
        Await.until("the component, given its configuration back, greets with hello again",
                () -> "hello#2".equals(greeting(bundle)));
        assertEquals(List.of(ParamComponent.PID + "|" + target(bundle)), written("needy"));
        assertEquals(List.of(bundle.getBundleId()), state.bundleIds());
    }

    @Test
    public void aConfigurationLeftForABundleNoLongerInstalledIsDeletedWhenTheDeployerStartsAndNoOtherOne()
            throws Exception {
        String location = "|io.msf.itests.param|1.0.0|msf.service:vanished#5/0:param.jar";
        Bundle deployerBundle = installedBundle("io.msf.deploy");
        deployerBundle.stop();
        try {
            // as a deployer leaves it that stopped while the service's bundle was being uninstalled
            configs.singleton(ParamComponent.PID + location, "greeting", "hello", OWNER, "vanished");
            configs.singleton("msf.itests.operator" + location, "greeting", "mine"); // not the deployer's
        } finally {
            deployerBundle.start();
        }
        Await.until("the deployer's configuration for the bundle that is gone is deleted",
                () -> written("vanished").isEmpty());
        assertEquals(1, service(ConfigurationAdmin.class)
                .listConfigurations("(service.pid=msf.itests.operator" + location + ")").length);
    }

    @Test
    public void rollbackReturnsToThePreviousVersion() throws Exception {
        configs.writeFile("msf.service~back.cfg", "location = swap-1.0.0.jar");
        awaitActive("back", "1.0.0");
        deployer().update("back", "swap-2.0.0.jar");
        awaitActive("back", "2.0.0");

        deployer().rollback("back");
        ServiceState state = awaitActive("back", "1.0.0");
        assertEquals(List.of("swap-1.0.0.jar"), state.locations());
    }

    /**
     * The version a restarted deployer takes over is rolled back to by the key it was installed by:
     * a SNAPSHOT bundle's own version (1.0.0.SNAPSHOT) is in no repository.
     */
    @Test
    public void rollbackReturnsToTheSnapshotARestartedDeployerTookOver() throws Exception {
        configs.writeFile("msf.service~snap.cfg", "location = mvn:io.msf.itests/swap", "version = 1.0.0-SNAPSHOT");
        awaitActive("snap", "1.0.0.SNAPSHOT");
        whileTheDeployerIsStopped("snap", "version", "2.0.0-SNAPSHOT", () -> configs.writeFile("msf.service~snap.cfg",
                "location = mvn:io.msf.itests/swap", "version = 2.0.0-SNAPSHOT"));
        awaitActive("snap", "2.0.0.SNAPSHOT");

        deployer().rollback("snap");
        awaitActive("snap", "1.0.0.SNAPSHOT");
    }

    @Test
    public void aVersionWhoseActivateThrowsIsRemovedAndTheOldOneKeepsServing() throws Exception {
        List<Event> failures = failures();
        configs.writeFile("msf.service~broken.cfg", "location = swap-1.0.0.jar");
        long old = awaitActive("broken", "1.0.0").bundleIds().get(0);

        deployer().update("broken", "failing.jar");
        ServiceState state = awaitState("broken", Phase.FAILED, s -> true);
        assertEquals("1.0.0", state.version());
        assertEquals(List.of(old), state.bundleIds());
        assertTrue(state.problem(), state.problem().contains("failed to activate")
                && state.problem().contains("the test made activate throw"));
        assertTrue("the failed version is uninstalled", noBundle(ServiceBundles.SWAP, "4.0.0"));
        Event event = Await.value("a " + Deployer.TOPIC_FAILED + " event", () -> failures.stream()
                .filter(e -> "broken".equals(e.getProperty("name"))).findFirst().orElse(null), e -> e != null);
        assertTrue(String.valueOf(event.getProperty("problem")).contains("failed to activate"));
    }

    @Test
    public void aVersionThatCannotBeInstalledOrStartedIsRefusedWithTheReasonAndTheOldOneKeepsServing()
            throws Exception {
        configs.writeFile("msf.service~unstartable.cfg", "location = swap-1.0.0.jar");
        long old = awaitActive("unstartable", "1.0.0").bundleIds().get(0);

        deployer().update("unstartable", "throwing.jar");
        ServiceState thrown = awaitState("unstartable", Phase.FAILED, s -> true);
        assertEquals(List.of(old), thrown.bundleIds());
        assertTrue(thrown.problem(), thrown.problem().startsWith("update to [throwing.jar] failed: "
                + ServiceBundles.SWAP + " 5.0.0 ["));
        assertTrue(thrown.problem(), thrown.problem().contains(
                "java.lang.IllegalStateException: the test made start throw; version 1.0.0 keeps serving"));
        assertTrue(noBundle(ServiceBundles.SWAP, "5.0.0"));

        deployer().update("unstartable", "unresolvable.jar");
        ServiceState unresolved = awaitState("unstartable", Phase.FAILED, s -> s.problem().contains("unresolvable.jar"));
        assertEquals(List.of(old), unresolved.bundleIds());
        assertTrue(unresolved.problem(), unresolved.problem().startsWith("update to [unresolvable.jar] failed: "
                + ServiceBundles.SWAP + " 7.0.0 [") && unresolved.problem().contains("io.msf.itests.nowhere")
                && unresolved.problem().endsWith("; version 1.0.0 keeps serving"));
        assertTrue(noBundle(ServiceBundles.SWAP, "7.0.0"));

        deployer().update("unstartable", "truncated.jar");
        ServiceState cut = awaitState("unstartable", Phase.FAILED, s -> s.problem().contains("truncated.jar"));
        assertEquals(List.of(old), cut.bundleIds());
        assertTrue(cut.problem(), cut.problem().contains("truncated.jar is not a complete jar (")
                && cut.problem().contains("); nothing of it is installed")); // as deploy/ says it
    }

    @Test
    public void aVersionThatIsNotHealthyInTimeIsRemovedAndTheOldOneKeepsServing() throws Exception {
        configs.writeFile("msf.service~sick.cfg", "location = swap-1.0.0.jar", "healthTimeoutMillis = 1500");
        long old = awaitActive("sick", "1.0.0").bundleIds().get(0);

        deployer().update("sick", "sick.jar");
        ServiceState state = awaitState("sick", Phase.FAILED, s -> true);
        assertEquals(List.of(old), state.bundleIds());
        assertTrue(state.problem(), state.problem().contains("healthTimeoutMillis=1500")
                && state.problem().contains("DOWN"));
        assertTrue(noBundle(ServiceBundles.SWAP, "3.0.0"));

        deployer().update("sick", "swap-1.1.0.jar"); // a good version after a failed one goes through
        assertNotEquals(old, (long) awaitActive("sick", "1.1.0").bundleIds().get(0));
    }

    @Test
    public void aBadServiceFileIsRejectedByTheGateAndTheServiceStaysAsItWas() throws Exception {
        configs.writeFile("msf.service~strict.cfg", "location = swap-1.0.0.jar");
        long id = awaitActive("strict", "1.0.0").bundleIds().get(0);
        configs.writeFile("msf.service~strict.cfg", "location = swap-2.0.0.jar", "startLevel = soon");
        Await.until("the gate rejects the file", () -> service(ConfigValidation.class).rejected()
                .stream().anyMatch(p -> p.key().equals("startLevel")));
        assertEquals(List.of(id), awaitActive("strict", "1.0.0").bundleIds());

        // a location Metatype lets through (any string) but that names no bundle: the deployer's own check
        configs.writeFile("msf.service~strict.cfg", "location =", "startLevel = 5");
        ConfigProblem empty = Await.value("the gate rejects the empty location", () -> service(ConfigValidation.class)
                .rejected().stream().filter(p -> p.key().equals("location")).findFirst(), Optional::isPresent).get();
        assertEquals("empty; name the service's bundle(s)", empty.reason());
        assertEquals(1, empty.line());
        assertEquals(List.of(id), awaitActive("strict", "1.0.0").bundleIds());
        assertEquals("the last good configuration stays in force", "swap-1.0.0.jar", service(ConfigurationAdmin.class)
                .getFactoryConfiguration("msf.service", "strict", "?").getProperties().get("location"));
    }

    @Test
    public void aRestartedDeployerAdoptsItsServicesAndReinstallsOneRemovedBehindItsBack() throws Exception {
        configs.writeFile("msf.service~survivor.cfg", "location = swap-1.0.0.jar");
        long id = awaitActive("survivor", "1.0.0").bundleIds().get(0);

        Bundle deployerBundle = installedBundle("io.msf.deploy");
        deployerBundle.stop();
        assertEquals("a stopped deployer leaves its services running", Bundle.ACTIVE, context.getBundle(id).getState());
        deployerBundle.start();
        assertEquals(List.of(id), awaitActive("survivor", "1.0.0").bundleIds());

        context.getBundle(id).uninstall();
        long again = awaitState("survivor", Phase.ACTIVE, s -> !s.bundleIds().equals(List.of(id))).bundleIds().get(0);
        assertEquals(Bundle.ACTIVE, context.getBundle(again).getState());
    }

    @Test
    public void aVersionUninstalledByHandAfterAFailedSwapIsInstalledAgainNotTheVersionThatFailed() throws Exception {
        configs.writeFile("msf.service~handled.cfg", "location = swap-1.0.0.jar");
        long old = awaitActive("handled", "1.0.0").bundleIds().get(0);
        deployer().update("handled", "failing.jar");
        String problem = awaitState("handled", Phase.FAILED, s -> true).problem();

        context.getBundle(old).uninstall();
        ServiceState state = awaitState("handled", Phase.FAILED,
                s -> !s.bundleIds().isEmpty() && !s.bundleIds().equals(List.of(old)));
        assertEquals("1.0.0", state.version());
        assertEquals(problem, state.problem());
        assertEquals(Bundle.ACTIVE, context.getBundle(state.bundleIds().get(0)).getState());
    }

    @Test
    public void aParameterAndStartLevelChangedWhileTheDeployerIsStoppedAreAppliedLiveWhenItIsBack() throws Exception {
        configs.writeFile("msf.service~away.cfg", "location = param.jar", "pid = " + ParamComponent.PID,
                "param.greeting = hello");
        Bundle bundle = context.getBundle(awaitActive("away", "1.0.0").bundleIds().get(0));
        Await.until("the component greets with hello", () -> "hello#1".equals(greeting(bundle)));

        whileTheDeployerIsStopped("away", "param.greeting", "bye", () -> configs.writeFile("msf.service~away.cfg",
                "location = param.jar", "pid = " + ParamComponent.PID, "param.greeting = bye", "startLevel = 4"));
        Await.until("the adopted component greets with bye, same activation", () -> "bye#1".equals(greeting(bundle)));
        Await.until("the adopted bundle is at start level 4",
                () -> bundle.adapt(BundleStartLevel.class).getStartLevel() == 4);
        assertEquals(List.of(bundle.getBundleId()), awaitActive("away", "1.0.0").bundleIds());
        assertEquals(Bundle.ACTIVE, bundle.getState());
    }

    @Test
    public void aParameterThatCannotBeWrittenFailsMsfParamSetIsListedAndReportedOnce() throws Exception {
        configs.writeFile("msf.service~second.cfg", "location = param.jar", "pid = msf.itests.elsewhere");
        long id = awaitActive("second", "1.0.0").bundleIds().get(0);
        List<Event> failures = failures();
        configs.singleton("msf.itests.elsewhere", "greeting", "from elsewhere"); // a second source of the pid

        try {
            console("msf:param set second greeting bye");
            throw new AssertionError("a parameter that was not applied must not be reported as set");
        } catch (IllegalStateException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().startsWith("second: FAILED: parameters not applied:"
                    + " key 'pid': msf.itests.elsewhere is configured already, by Config Admin;"));
        }
        String list = console("msf:list");
        assertTrue(list, list.lines().anyMatch(l -> l.startsWith("second ") && l.contains("FAILED")
                && l.endsWith("version 1.0.0 keeps serving with the parameters it had")));

        // another service's change: the deployer goes over every service again
        configs.writeFile("msf.service~passer.cfg", "location = swap-1.0.0.jar");
        awaitActive("passer", "1.0.0");
        ServiceState state = deployer().await("second", java.time.Duration.ofMillis(Await.TIMEOUT_MILLIS))
                .orElseThrow();
        assertEquals(Phase.FAILED, state.phase());
        assertEquals(List.of(id), state.bundleIds());
        assertEquals("reported (and logged) once", 1,
                failures.stream().filter(e -> "second".equals(e.getProperty("name"))).count());
    }

    /**
     * The deployer reads no configuration of its own: one made for the PID its component had (an
     * operator's etc/msf.deploy.cfg, say) restarted it, breaking off a swap under way.
     */
    @Test
    public void aConfigurationMadeForThePidMsfDeployDoesNotRestartTheDeployer() throws Exception {
        Object before = context.getServiceReference(Deployer.class).getProperty(org.osgi.framework.Constants.SERVICE_ID);
        configs.singleton("msf.deploy", "repositories", "/elsewhere");
        configs.awaitDelivered(); // SCR has handled it
        Object after = context.getServiceReference(Deployer.class).getProperty(org.osgi.framework.Constants.SERVICE_ID);
        assertEquals("the Deployer service registered before is still the one", before, after);
    }

    @Test
    public void theConsoleDeploysListsUpdatesSetsParametersAndUndeploys() throws Exception {
        String deployed = console("msf:deploy console swap-1.0.0.jar drainTimeoutMillis=200");
        assertTrue(deployed, deployed.contains("console: deployed, ACTIVE 1.0.0"));
        assertTrue(deployed, deployed.contains("configuration written to " + watchedDir().resolve("msf.service~console.cfg")));
        String list = console("msf:list");
        assertTrue(list, list.lines().anyMatch(l -> l.startsWith("console ") && l.contains("1.0.0") && l.contains("ACTIVE")));

        String updated = console("msf:update console swap-1.1.0.jar");
        assertTrue(updated, updated.contains("console: updated, ACTIVE 1.1.0"));
        console("msf:param set console interval 100");
        assertEquals("100\n", console("msf:param get console interval"));
        String rolledBack = console("msf:rollback console");
        assertTrue(rolledBack, rolledBack.contains("console: rolled back, ACTIVE 1.0.0"));

        assertTrue(console("msf:undeploy console").contains("console: undeployed"));
        assertFalse(Files.exists(watchedDir().resolve("msf.service~console.cfg")));
        try {
            console("msf:update console 2.0.0");
            throw new AssertionError("updating a service that is not deployed must fail");
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("no service named console is configured"));
        }
        // a name no service has is told so by every command that changes or reads one
        for (String command : List.of("msf:rollback console", "msf:undeploy console", "msf:param get console")) {
            try {
                console(command);
                throw new AssertionError(command + " of a service that is not deployed must fail");
            } catch (IllegalArgumentException expected) {
                assertEquals(command, "no service named console is configured", expected.getMessage());
            }
        }
    }

    private String greeting() {
        Collection<ServiceReference<Supplier>> references;
        try {
            references = context.getServiceReferences(Supplier.class, "(" + ParamComponent.ROLE + "=param)");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (references.isEmpty()) {
            return null;
        }
        ServiceReference<Supplier> reference = references.iterator().next();
        try {
            return String.valueOf(context.getService(reference).get());
        } finally {
            context.ungetService(reference);
        }
    }

    /** What the param component of this bundle says. */
    private String greeting(Bundle bundle) {
        ServiceReference<?>[] references = bundle.getRegisteredServices();
        for (ServiceReference<?> reference : references == null ? new ServiceReference<?>[0] : references) {
            if ("param".equals(reference.getProperty(ParamComponent.ROLE))) {
                try {
                    return String.valueOf(((Supplier<?>) context.getService(reference)).get());
                } finally {
                    context.ungetService(reference);
                }
            }
        }
        return null;
    }

    /** The PIDs of the configurations the deployer wrote for the service's bundles. */
    private List<String> written(String service) {
        try {
            Configuration[] found = service(ConfigurationAdmin.class)
                    .listConfigurations("(" + OWNER + "=" + service + ")");
            return found == null ? List.of() : Arrays.stream(found).map(Configuration::getPid).sorted().toList();
        } catch (IOException | InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the deployer puts after the PID of a configuration it writes for the bundle. */
    private static String target(Bundle bundle) {
        return bundle.getSymbolicName() + "|" + bundle.getVersion() + "|" + bundle.getLocation();
    }

    private boolean noBundle(String symbolicName, String version) {
        return Arrays.stream(context.getBundles()).noneMatch(b -> symbolicName.equals(b.getSymbolicName())
                && version.equals(b.getVersion().toString()));
    }
}
