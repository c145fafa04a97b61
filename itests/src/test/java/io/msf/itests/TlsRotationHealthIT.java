package io.msf.itests;

import static io.msf.itests.EchoEndpoints.FACTORY_PID;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.msf.monitor.api.Health;
import io.msf.monitor.api.Health.ServiceHealth;
import io.msf.monitor.api.HealthStatus;
import io.msf.net.api.NetworkService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * A configured TLS server whose key store is replaced on disk by one it cannot use (another password):
 * it keeps serving with the key it had, and the container's health (what {@code msf:health} and
 * {@code /health} show) is WARN for io.msf.net, naming the endpoint and why, not DOWN; a usable
 * replacement clears it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TlsRotationHealthIT extends MsfTestSupport {

    private static final String NET = "io.msf.net";
    private static final String PASSWORD = "itest-rotation";

    @Inject
    private Health health;

    @Inject
    private NetworkService net;

    /** The monitor's HTTP endpoint is off: its default port may be taken by a container running beside the tests. */
    @Override
    @Configuration
    public Option[] configuration() throws IOException {
        return withTheMonitorOffline(super.configuration());
    }

    @Test
    public void anUnusableRotatedStoreIsAWarningOfTheNetworkUntilAUsableOneReplacesIt() throws Exception {
        Path keys = Files.createDirectories(dataDir().resolveSibling("tls"));
        Path store = keys.resolve("server.p12");
        TestKeyStores.make(store, keys.resolve("trust.p12"), PASSWORD);
        int port = freePort();
        configs().factory(FACTORY_PID, "itest-rotate", EchoEndpoints.tcp(port, "tls", true,
                "tlsKeyStore", store.toString(), "tlsKeyStorePassword", PASSWORD, "tlsStoreCheckMillis", 100));
        Await.value("state of itest-rotate", () -> state("itest-rotate"), "OPEN"::equals);
        assertEquals(Optional.empty(), netHealth().filter(found -> found.result().status() != HealthStatus.UP));

        Path otherPassword = keys.resolve("other-password.p12");
        TestKeyStores.makeKey(otherPassword, "not-" + PASSWORD);
        Files.move(otherPassword, store, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        ServiceHealth warned = Await.value("io.msf.net WARN in the health", this::netHealth,
                found -> found.isPresent() && found.get().result().status() == HealthStatus.WARN).get();
        String detail = warned.result().detail();
        assertTrue(detail, detail.startsWith("endpoint 'itest-rotate' (msf.net.endpoint~itest-rotate) serves new"
                + " connections with the TLS key material it had: the stores on disk cannot be used:"
                + " tlsKeyStorePassword: "));
        assertTrue(detail, detail.contains(store.toString()));
        assertEquals("OPEN", state("itest-rotate"));

        Path usable = keys.resolve("usable.p12");
        TestKeyStores.makeKey(usable, PASSWORD);
        Files.move(usable, store, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        Await.until("the warning withdrawn", () -> netHealth()
                .filter(found -> found.result().status() != HealthStatus.UP).isEmpty());
    }

    private Optional<ServiceHealth> netHealth() {
        return health.all().stream().filter(service -> service.service().equals(NET)).findFirst();
    }

    private String state(String endpoint) {
        return net.endpoints().stream().filter(e -> e.name().equals(endpoint)).findFirst()
                .map(e -> e.state()).orElse("absent");
    }
}
