package io.msf.itests.deploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.msf.deploy.api.ServiceState;
import io.msf.deploy.api.ServiceState.Phase;
import io.msf.itests.Await;
import io.msf.monitor.api.HealthCheck;
import io.msf.monitor.api.HealthResult;
import io.msf.monitor.api.HealthStatus;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * A swap whose removal of the old version would leave bundles unresolved is refused before anything
 * is switched: a service pointed at the wrong jar (one that no longer exports what another service
 * imports, or that imports it from the old version alone) took the importer down, and itself, while the
 * swap said it had succeeded and msf:list showed both ACTIVE and UP. A bundle of a running version left
 * unresolved another way is now shown DOWN in msf:list and WARN in the deployer's health check, and
 * started again once it resolves again.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SwapWiringIT extends DeployTestSupport {

    private static final String CONSUMER = ServiceBundles.API + ".consumer";

    @Test
    public void aSwapThatWouldLeaveAnImporterUnresolvedIsRefusedAndBothKeepRunning() throws Exception {
        long api = deployApiAndConsumer();
        long consumer = state("consumer").orElseThrow().bundleIds().get(0);

        configs.writeFile("msf.service~api.cfg", "location = api-2.0.0.jar");
        ServiceState refused = awaitState("api", Phase.FAILED, s -> s.problem().contains("api-2.0.0.jar"));
        assertTrue(refused.problem(), refused.problem().contains(CONSUMER + " 1.0.0 [" + consumer + "] imports package "
                + ServiceBundles.API_PACKAGE + " ") && refused.problem().contains("from the version the swap replaces ("
                + ServiceBundles.API + " 1.0.0 [" + api + "]), and neither the new version nor another bundle provides"
                + " it: the swap would leave " + CONSUMER + " 1.0.0 [" + consumer + "] unresolved, stopped"));
        assertTrue(refused.problem(), refused.problem().endsWith("; version 1.0.0 keeps serving"));
        assertEquals(List.of(api), refused.bundleIds());
        assertEquals(Bundle.ACTIVE, context.getBundle(api).getState());
        assertEquals(Bundle.ACTIVE, context.getBundle(consumer).getState());
        assertEquals(Phase.ACTIVE, state("consumer").orElseThrow().phase());
        assertTrue("no bundle of 2.0.0 is left", noBundle(ServiceBundles.API, "2.0.0"));

        // the new version imports the api from the old one alone: it would stop with it
        configs.writeFile("msf.service~api.cfg", "location = importer.jar");
        refused = awaitState("api", Phase.FAILED, s -> s.problem().contains("importer.jar"));
        assertTrue(refused.problem(), refused.problem().contains(" imports package " + ServiceBundles.API_PACKAGE + " ")
                && refused.problem().contains("from the version it replaces alone (" + ServiceBundles.API + " 1.0.0 ["
                + api + "]), which the swap removes"));
        assertEquals(Bundle.ACTIVE, context.getBundle(consumer).getState());

        // one that keeps the export is swapped in; the importer, refreshed, wires to it
        configs.writeFile("msf.service~api.cfg", "location = api-1.1.0.jar");
        awaitActive("api", "1.1.0");
        Await.until("the consumer running again", () -> context.getBundle(consumer).getState() == Bundle.ACTIVE);
    }

    @Test
    public void aRunningVersionsBundleLeftUnresolvedIsDownAWarningOfTheDeployerAndStartedOnceItResolves() throws Exception {
        // the api installed by hand, outside the deployer, and then uninstalled: the consumer loses its import
        Bundle api = context.installBundle(repository().resolve("api-1.0.0.jar").toUri().toString());
        try {
            configs.writeFile("msf.service~consumer.cfg", "location = consumer.jar");
            long consumer = awaitActive("consumer", "1.0.0").bundleIds().get(0);
            HealthCheck deployerHealth = (HealthCheck) deployer();
            assertEquals(HealthStatus.UP, deployerHealth.check().status());

            api.uninstall();
            refresh(api);
            assertEquals(Bundle.INSTALLED, context.getBundle(consumer).getState());

            ServiceState listed = deployer().list().stream().filter(s -> s.name().equals("consumer")).findFirst()
                    .orElseThrow();
            assertTrue(listed.health(), listed.health().startsWith("DOWN: " + CONSUMER + " 1.0.0 [" + consumer
                    + "] is INSTALLED, not ACTIVE: it does not resolve"));
            HealthResult health = deployerHealth.check();
            assertEquals(HealthStatus.WARN, health.status());
            assertTrue(health.detail(), health.detail().startsWith("consumer: " + CONSUMER + " 1.0.0 [" + consumer
                    + "] is INSTALLED"));

            // the api deployed again, as a service now: the pass that installs it starts the consumer again
            configs.writeFile("msf.service~api.cfg", "location = api-1.0.0.jar");
            awaitActive("api", "1.0.0");
            Await.until("the consumer started again", () -> context.getBundle(consumer).getState() == Bundle.ACTIVE);
            assertEquals(HealthStatus.UP, deployerHealth.check().status());
        } finally {
            if (api.getState() != Bundle.UNINSTALLED) {
                api.uninstall();
            }
        }
    }

    /** The api and its consumer deployed; the api's bundle id. */
    private long deployApiAndConsumer() throws Exception {
        configs.writeFile("msf.service~api.cfg", "location = api-1.0.0.jar");
        long api = awaitActive("api", "1.0.0").bundleIds().get(0);
        configs.writeFile("msf.service~consumer.cfg", "location = consumer.jar");
        awaitActive("consumer", "1.0.0");
        assertTrue(Files.exists(repository().resolve("api-2.0.0.jar")));
        return api;
    }

    private boolean noBundle(String symbolicName, String version) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName()) && version.equals(bundle.getVersion().toString())) {
                return false;
            }
        }
        return true;
    }

    private void refresh(Bundle bundle) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(List.of(bundle), event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                done.countDown();
            }
        });
        assertTrue("refreshed", done.await(30, TimeUnit.SECONDS));
    }
}
