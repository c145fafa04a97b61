package io.msf.itests.deploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import io.msf.client.api.Address;
import io.msf.client.api.AgentClient;
import io.msf.deploy.api.Deployer;
import io.msf.deploy.api.ServiceState;
import io.msf.deploy.api.ServiceState.Phase;
import io.msf.itests.Await;
import io.msf.itests.deploy.service.SwapHandler;
import io.msf.log.api.LogConsole;
import io.msf.protocol.api.Message;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.Event;

/**
 * A container started again after a failed swap: the deployer stopped, its services uninstalled (as
 * the launcher does on a kept framework cache; a wiped cache has none), the deployer started again.
 * It installs the version that served before, not the one that failed, and says so. A service whose
 * configuration went while the container was down leaves nothing a later one of its name could
 * take for its own.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RestartLastGoodIT extends DeployTestSupport {

    @Test
    public void afterARestartTheLastGoodVersionServesAndTheFailedSwapIsShownNotTriedAgain() throws Exception {
        configs.writeFile("msf.service~kept.cfg", "location = swap-1.0.0.jar");
        long before = awaitActive("kept", "1.0.0").bundleIds().get(0);
        // from before the swap: the deployer shows FAILED a moment before it posts the event, which a
        // handler registered once FAILED shows could still receive, and take for one after the restart
        List<Event> failures = failures();
        deployer().update("kept", "failing.jar");
        String reason = awaitState("kept", Phase.FAILED, s -> true).problem();
        assertTrue(reason, reason.startsWith("update to [failing.jar] failed: "));
        Path record = dataDir().resolve("deploy/last-good/kept.record");
        assertTrue("kept on disk: " + record, Files.isRegularFile(record));
        Await.until("the " + Deployer.TOPIC_FAILED + " event of the swap", () -> failures.stream()
                .anyMatch(e -> "kept".equals(e.getProperty("name")) && reason.equals(e.getProperty("problem"))));
        failures.clear();

        List<String> installed = new CopyOnWriteArrayList<>();
        BundleListener installs = recordingInstalls(installed);
        try {
            restartTheContainer();
            ServiceState state = awaitState("kept", Phase.FAILED, s -> s.version().equals("1.0.0"));
            assertNotEquals("installed afresh", before, (long) state.bundleIds().get(0));
            assertEquals("update to [failing.jar] failed before the restart: "
                    + reason.substring("update to [failing.jar] failed: ".length()), state.problem());
            assertTrue(state.problem(), state.problem().endsWith("; version 1.0.0 keeps serving"));
            assertEquals("1.0.0", answer());
            String list = console("msf:list");
            assertTrue(list, list.lines().anyMatch(l -> l.startsWith("kept ") && l.contains("FAILED")
                    && l.contains("failed before the restart") && l.endsWith("version 1.0.0 keeps serving")));
            Event event = Await.value("a " + Deployer.TOPIC_FAILED + " event", () -> failures.stream()
                    .filter(e -> "kept".equals(e.getProperty("name"))).findFirst().orElse(null), e -> e != null);
            assertEquals(state.problem(), event.getProperty("problem"));
            assertFalse("the failed version was not tried again: " + installed,
                    installed.contains(ServiceBundles.SWAP + " 4.0.0"));
            assertEquals("posted once", 1, failures.stream().filter(e -> "kept".equals(e.getProperty("name"))).count());
        } finally {
            context.removeBundleListener(installs);
        }

        deployer().update("kept", "swap-1.1.0.jar"); // a change tries the configuration again
        awaitActive("kept", "1.1.0");
        deployer().undeploy("kept");
        awaitGone("kept");
        Await.until("the record goes with the service", () -> !Files.exists(record));
    }

    @Test
    public void theRecordOfAServiceTheContainerStartsWithoutIsDeletedAndAServiceOfItsNameConfiguredLaterIsNew()
            throws Exception {
        Path file = configs.writeFile("msf.service~gone.cfg", "location = swap-1.0.0.jar");
        awaitActive("gone", "1.0.0");
        Path record = dataDir().resolve("deploy/last-good/gone.record");
        assertTrue("kept on disk: " + record, Files.isRegularFile(record));

        List<String> installed = new CopyOnWriteArrayList<>();
        BundleListener installs = recordingInstalls(installed);
        try {
            restartTheContainer(() -> {
                Files.delete(file);
                Await.until("no configuration of gone", () -> configuration("gone") == null);
            });
            Await.until("the record of a service no longer configured goes", () -> !Files.exists(record));
            LogConsole log = service(LogConsole.class);
            Await.until("an INFO line naming the record and why", () -> log.tail(1000).stream().anyMatch(line ->
                    "INFO".equals(line.level()) && "io.msf.deploy".equals(line.bundle())
                            && line.message().startsWith("gone: last good state ")
                            && line.message().endsWith("/gone.record deleted: the container started without a"
                                    + " configuration or a deploy folder jar of the service; one of that name configured"
                                    + " later is a new service")));

            configs.writeFile("msf.service~gone.cfg", "location = failing.jar");
            ServiceState state = awaitState("gone", Phase.FAILED, s -> true);
            assertTrue(state.problem(), state.problem().startsWith("install of [failing.jar] failed: "));
            assertEquals("nothing of it runs", "", state.version());
            assertFalse("the version of the service before it is not brought up: " + installed,
                    installed.contains(ServiceBundles.SWAP + " 1.0.0"));
        } finally {
            context.removeBundleListener(installs);
        }
        configs.removeAll();
        awaitGone("gone");
    }

    /** Adds "symbolic name version" of each bundle installed from now on to {@code installed}. */
    private BundleListener recordingInstalls(List<String> installed) {
        BundleListener installs = event -> {
            if (event.getType() == BundleEvent.INSTALLED) {
                installed.add(event.getBundle().getSymbolicName() + " " + event.getBundle().getVersion());
            }
        };
        context.addBundleListener(installs);
        return installs;
    }

    /** Stops the deployer, uninstalls what it installed, starts it again: nothing is left to adopt. */
    private void restartTheContainer() throws Exception {
        restartTheContainer(() -> { });
    }

    /** {@link #restartTheContainer()}, with a change made while it is down. */
    private void restartTheContainer(Change whileDown) throws Exception {
        Bundle deployerBundle = installedBundle("io.msf.deploy");
        deployerBundle.stop();
        try {
            for (Bundle bundle : context.getBundles()) {
                if (bundle.getLocation().startsWith("msf.service:")) {
                    bundle.uninstall();
                }
            }
            assertTrue(Arrays.stream(context.getBundles()).noneMatch(b -> b.getLocation().startsWith("msf.service:")));
            whileDown.make();
        } finally {
            deployerBundle.start();
        }
    }

    /** The service's configuration in Config Admin, null if there is none. */
    private org.osgi.service.cm.Configuration configuration(String name) {
        try {
            org.osgi.service.cm.Configuration[] found = service(ConfigurationAdmin.class).listConfigurations(
                    "(" + Constants.SERVICE_PID + "=" + Deployer.FACTORY_PID + "~" + name + ")");
            return found == null ? null : found[0];
        } catch (IOException | InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the service's handler answers: its version. */
    private String answer() throws Exception {
        AgentClient client = service(AgentClient.class);
        return Await.value("an answer from " + SwapHandler.NAME, () -> {
            try {
                Message reply = client.requestAsync(Address.name(SwapHandler.NAME), 1, Unpooled.EMPTY_BUFFER,
                        Duration.ofSeconds(5)).toCompletableFuture().get(10, TimeUnit.SECONDS);
                try {
                    return reply.payload().toString(StandardCharsets.UTF_8);
                } finally {
                    reply.release();
                }
            } catch (Exception notYet) {
                return null;
            }
        }, answer -> answer != null);
    }
}
