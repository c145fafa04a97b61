package io.msf.monitor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.msf.monitor.api.Health.ServiceHealth;
import io.msf.monitor.api.HealthCheck;
import io.msf.monitor.api.HealthResult;
import io.msf.monitor.api.HealthStatus;
import io.msf.monitor.internal.alert.Alert;
import io.msf.monitor.internal.alert.AlertKind;
import io.msf.monitor.internal.health.PublishedProblems;
import io.msf.monitor.internal.http.MsfCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.log.Logger;

class HealthServiceTest {

    private final BundleContext context = mock(BundleContext.class);
    private final Bundle dlna = bundle(7, "io.msf.dlna");
    private final Bundle upnp = bundle(8, "io.msf.upnp");
    private final List<Alert> alerts = new CopyOnWriteArrayList<>();
    private final HealthService health = new HealthService(context, () -> alerts, () -> 500,
            mock(Logger.class));
    private final CountDownLatch never = new CountDownLatch(1);
    private final AtomicLong nextServiceId = new AtomicLong(100);

    @AfterEach
    void stop() {
        never.countDown();
        health.deactivate();
    }

    @Test
    void groupsChecksByTheServiceTheyNameOrTheirBundle() {
        health.addCheck(() -> HealthResult.up("index loaded"), properties(7, null));
        health.addCheck(() -> HealthResult.down("no media folder"), properties(7, null));
        health.addCheck(() -> HealthResult.up("ssdp bound"), properties(8, "upnp"));

        List<ServiceHealth> all = health.all();
        assertThat(all).extracting(ServiceHealth::service).containsExactly("io.msf.dlna", "upnp");
        assertThat(all.get(0).result()).isEqualTo(HealthResult.down("no media folder"));
        assertThat(all.get(1).result()).isEqualTo(HealthResult.up("ssdp bound"));
    }

    @Test
    void anOpenAlertMakesAHealthyServiceWarnAndListsItself() {
        health.addCheck(() -> HealthResult.up("fine"), properties(7, null));
        alerts.add(new Alert(AlertKind.MEMORY, "io.msf.dlna", 2048, 1024, Instant.EPOCH));
        alerts.add(new Alert(AlertKind.CPU, AlertRules.PROCESS, 99, 90, Instant.EPOCH));

        List<ServiceHealth> all = health.all();
        assertThat(all).extracting(ServiceHealth::service).containsExactly("io.msf.dlna", "process");
        assertThat(all.get(0).result()).isEqualTo(HealthResult.warn("1 open alert"));
        assertThat(all.get(0).alerts()).singleElement().asString().startsWith("memory io.msf.dlna: 2.0 KiB");
        assertThat(all.get(1).result().status()).isEqualTo(HealthStatus.WARN);
    }

    @Test
    void aDownCheckStaysDownDespiteAnAlert() {
        health.addCheck(() -> HealthResult.down("broken"), properties(7, null));
        alerts.add(new Alert(AlertKind.MEMORY, "io.msf.dlna", 2048, 1024, Instant.EPOCH));
        assertThat(health.all().get(0).result()).isEqualTo(HealthResult.down("broken"));
    }

    @Test
    void checkBundleRunsOnlyThatBundlesChecks() {
        health.addCheck(() -> HealthResult.down("dlna is down"), properties(7, null));
        HealthCheck upnpCheck = () -> HealthResult.warn("upnp is slow");
        Map<String, Object> registration = properties(8, null);
        health.addCheck(upnpCheck, registration);

        assertThat(health.checkBundle(upnp, Duration.ofSeconds(1))).isEqualTo(HealthResult.warn("upnp is slow"));
        health.removeCheck(upnpCheck, registration);
        assertThat(health.checkBundle(upnp, Duration.ofSeconds(1)))
                .isEqualTo(HealthResult.up("no health checks registered by io.msf.upnp"));
        assertThat(health.checkBundle(dlna, Duration.ofSeconds(1)).status()).isEqualTo(HealthStatus.DOWN);
    }

    @Test
    void moreHungChecksThanCheckThreadsLeaveAHealthyServicesCheckRunning() {
        // checks hung in something that ignores interrupts (a socket read), of more services than there are threads
        for (int i = 0; i < 5; i++) {
            health.addCheck(() -> {
                while (true) {
                    try {
                        never.await();
                        return HealthResult.up("released");
                    } catch (InterruptedException e) {
                        // ignored, as a read on a socket would
                    }
                }
            }, properties(20 + i, "hung-" + i));
        }
        health.all();
        assertThat(health.all()).extracting(ServiceHealth::result).extracting(HealthResult::status)
                .containsOnly(HealthStatus.DOWN).hasSize(5);

        health.addCheck(() -> HealthResult.up("fine"), properties(7, "fine"));
        assertThat(health.all()).filteredOn(service -> service.service().equals("fine")).singleElement()
                .satisfies(service -> assertThat(service.result()).isEqualTo(HealthResult.up("fine")));
    }

    @Test
    void theCheckThreadsSetAsideToLateChecksAreAGaugeOfMetrics() {
        MsfCollector collector = new MsfCollector(() -> null, List::of, health::checkThreadsSetAside);
        assertThat(setAside(collector)).isEqualTo(0);
        health.addCheck(() -> {
            while (true) {
                try {
                    never.await();
                    return HealthResult.up("released");
                } catch (InterruptedException e) {
                    // ignored, as a read on a socket would
                }
            }
        }, properties(20, "hung"));

        health.all();

        assertThat(health.checkThreadsSetAside()).isEqualTo(1);
        assertThat(setAside(collector)).isEqualTo(1);
        never.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> setAside(collector) == 0);
    }

    private static double setAside(MsfCollector collector) {
        return collector.collect().stream()
                .filter(metric -> metric.getMetadata().getName().equals("msf_health_check_threads_set_aside"))
                .findFirst().orElseThrow().getDataPoints().stream()
                .mapToDouble(point -> ((GaugeDataPointSnapshot) point).getValue()).sum();
    }

    @Test
    void aChangeOfTheServiceACheckNamesMovesItThere() {
        HealthCheck check = () -> HealthResult.up("ssdp bound");
        health.addCheck(check, properties(81, 8, "upnp"));

        health.updatedCheck(check, properties(81, 8, "media"));

        assertThat(health.all()).extracting(ServiceHealth::service).containsExactly("media");
    }

    @Test
    void oneObjectRegisteredTwiceIsTwoChecksEachGoneWithItsOwnRegistration() {
        AtomicInteger runs = new AtomicInteger();
        HealthCheck shared = () -> HealthResult.up("run " + runs.incrementAndGet());
        Map<String, Object> asUpnp = properties(8, "upnp");
        health.addCheck(shared, asUpnp);
        health.addCheck(shared, properties(8, "media"));

        assertThat(health.all()).extracting(ServiceHealth::service, ServiceHealth::result).containsExactly(
                tuple("media", HealthResult.up("run 1")), tuple("upnp", HealthResult.up("run 1")));

        health.removeCheck(shared, asUpnp);

        assertThat(health.all()).extracting(ServiceHealth::service).containsExactly("media");
    }

    /**
     * The agent's TCP port taken by another process: the agent publishes it as msf.problems, which the
     * launcher lists after its ready line; msf:health and /health showed the agent as if all was well.
     */
    @Test
    void aPublishedProblemMakesItsServiceDownBesideItsChecks() {
        List<PublishedProblems.Published> published = new CopyOnWriteArrayList<>();
        HealthService withProblems = new HealthService(context, () -> alerts, () -> 500, () -> published,
                mock(Logger.class));
        try {
            withProblems.addCheck(() -> HealthResult.up("index loaded"), properties(7, null));
            published.add(new PublishedProblems.Published("io.msf.agent", 3,
                    List.of("cannot listen on 127.0.0.1:7420 (tcpHost/tcpPort/tls*): Address already in use"),
                    List.of()));

            List<ServiceHealth> all = withProblems.all();
            assertThat(all).extracting(ServiceHealth::service, health -> health.result())
                    .containsExactly(tuple("io.msf.agent", HealthResult.down(
                            "cannot listen on 127.0.0.1:7420 (tcpHost/tcpPort/tls*): Address already in use")),
                            tuple("io.msf.dlna", HealthResult.up("index loaded")));
            assertThat(withProblems.checkBundle(bundle(3, "io.msf.agent"), Duration.ofSeconds(1)).status())
                    .isEqualTo(HealthStatus.DOWN);
            assertThat(withProblems.checkBundle(dlna, Duration.ofSeconds(1)).status()).isEqualTo(HealthStatus.UP);

            published.clear();
            assertThat(withProblems.all()).extracting(ServiceHealth::service).containsExactly("io.msf.dlna");
        } finally {
            withProblems.deactivate();
        }
    }

    /**
     * A TLS server whose rotated stores cannot be used serves with the key it had: that was a WARN line in the log
     * only, io.msf.net UP in msf:health and /health, so a rotation that did not take went unseen until the old
     * certificate expired.
     */
    @Test
    void aPublishedWarningMakesItsServiceWarnAndAProblemBesideItDown() {
        List<PublishedProblems.Published> published = new CopyOnWriteArrayList<>();
        HealthService withWarnings = new HealthService(context, () -> alerts, () -> 500, () -> published,
                mock(Logger.class));
        String warning = "endpoint 'api' (msf.net.endpoint~api) serves new connections with the TLS key material"
                + " it had: the stores on disk cannot be used: tlsKeyStorePassword: wrong password for /etc/api.p12";
        try {
            withWarnings.addCheck(() -> HealthResult.up("endpoints open"), properties(7, null));
            published.add(new PublishedProblems.Published("io.msf.dlna", 7, List.of(), List.of(warning)));

            assertThat(withWarnings.all()).extracting(ServiceHealth::service, health -> health.result())
                    .containsExactly(tuple("io.msf.dlna", HealthResult.warn(warning)));
            assertThat(withWarnings.checkBundle(dlna, Duration.ofSeconds(1)))
                    .isEqualTo(HealthResult.warn(warning));

            published.set(0, new PublishedProblems.Published("io.msf.dlna", 7, List.of("port taken"), List.of(warning)));
            assertThat(withWarnings.all()).extracting(ServiceHealth::result)
                    .containsExactly(HealthResult.down("port taken; " + warning));
        } finally {
            withWarnings.deactivate();
        }
    }

    @Test
    void nothingToShowWithoutChecksOrAlerts() {
        assertThat(health.all()).isEmpty();
    }

    private Bundle bundle(long id, String symbolicName) {
        Bundle bundle = mock(Bundle.class);
        when(bundle.getBundleId()).thenReturn(id);
        when(bundle.getSymbolicName()).thenReturn(symbolicName);
        when(context.getBundle(id)).thenReturn(bundle);
        return bundle;
    }

    /** The properties of a new registration: each has a service id of its own. */
    private Map<String, Object> properties(long bundleId, String service) {
        return properties(nextServiceId.incrementAndGet(), bundleId, service);
    }

    private static Map<String, Object> properties(long serviceId, long bundleId, String service) {
        return service == null ? Map.of(Constants.SERVICE_BUNDLEID, bundleId, Constants.SERVICE_ID, serviceId)
                : Map.of(Constants.SERVICE_BUNDLEID, bundleId, Constants.SERVICE_ID, serviceId,
                        HealthCheck.SERVICE, service);
    }
}
