package io.msf.net.internal;

import static io.msf.net.internal.ConfiguredEndpoints.configuration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import io.msf.net.api.EndpointInfo;
import io.msf.net.testing.TestKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tls* keys of {@code msf.net.endpoint~<name>}: applied live, and refused with the key named. */
class ConfiguredTlsEndpointTest extends ConfiguredEndpointTestSupport {

    private static final String PID = "msf.net.endpoint~secure";

    @TempDir
    static Path keyDir;
    static TestKeys keys;

    ConfiguredTlsEndpointTest() {
        super("echo");
    }

    @BeforeAll
    static void makeKeys() throws Exception {
        keys = TestKeys.in(keyDir);
    }

    private ConfiguredEndpoint activate(Map<String, Object> config) {
        return endpoints.activate(PID, config);
    }

    private static Map<String, Object> tls(Path keyStore, String password) {
        return Map.of("tls", true, "tlsKeyStore", keyStore.toString(), "tlsKeyStorePassword", password);
    }

    @Test
    void servesTlsAndRefusesPlainClients() throws Exception {
        activate(tls(keys.server, TestKeys.PASSWORD));
        int port = port(info());

        assertThat(echo(port, keys.serverTrust, "over tls")).isEqualTo("over tls");
        assertThatThrownBy(() -> ConfiguredEndpointTest.echo(port, "in clear")).isInstanceOf(IOException.class);
        assertThat(info().state()).isEqualTo("OPEN");
    }

    @Test
    void aWrongPasswordAtTheStartShowsTheEndpointAsFailed() {
        activate(tls(keys.server, "wrong"));

        EndpointInfo info = info();
        assertThat(info.state()).isEqualTo("FAILED");
        assertThat(info.lastError()).isEqualTo("tlsKeyStorePassword: wrong password for " + keys.server);
    }

    /**
     * A store that cannot be read when the server first opens (it could when the configuration came, before the
     * handler) is named once in the problem, by its key and file: the reason came with the endpoint's label before
     * it, after the PID and the name ("endpoint 'secure' (...) does not serve: endpoint 'secure' of ...: ...").
     */
    @Test
    void aKeyStoreUnreadableAtTheFirstOpenIsNamedOnceByItsKeyAndIsReadAgainInTheBackground() throws Exception {
        Path store = serverStoreCopy();
        Map<String, Object> config = new HashMap<>(tls(store, TestKeys.PASSWORD));
        config.put("handler", "later");
        activate(config);
        Files.delete(store);

        endpoints.registerEcho("later");

        String reason = "tlsKeyStore: " + store + " does not exist";
        assertThat(info().state()).isEqualTo("FAILED");
        assertThat(info().lastError()).isEqualTo(reason);
        assertThat(endpoints.published()).containsExactly("endpoint 'secure' (" + PID + ") does not serve: " + reason);
        verify(endpoints.log).error(PID + ": " + reason);

        Files.copy(keys.server, store);
        await().atMost(Duration.ofSeconds(10)).until(() -> info().state().equals("OPEN"));
        assertThat(echo(port(info()), keys.serverTrust, "read again")).isEqualTo("read again");
        assertThat(endpoints.published()).isEmpty();
    }

    @Test
    void anUnreadableKeyStoreKeepsTheLastGoodConfiguration() throws Exception {
        ConfiguredEndpoint endpoint = activate(tls(keys.server, TestKeys.PASSWORD));
        int port = port(info());
        Path missing = keyDir.resolve("gone.p12");

        endpoint.modified(configuration(Map.of("port", port, "tls", true, "tlsKeyStore", missing.toString())));

        assertThat(info().lastError()).isEqualTo("tlsKeyStore: " + missing
                + " does not exist; keeps the last good configuration");
        assertThat(echo(port, keys.serverTrust, "unchanged")).isEqualTo("unchanged");
    }

    @Test
    void aChangeReadsTheKeyMaterialAgain() throws Exception {
        int port = NetworkServiceTest.freePort();
        Map<String, Object> server = new HashMap<>(tls(keys.server, TestKeys.PASSWORD));
        server.put("port", port);
        ConfiguredEndpoint endpoint = activate(server);
        assertThat(echo(port, keys.serverTrust, "old key")).isEqualTo("old key");
        Map<String, Object> stranger = new HashMap<>(tls(keys.stranger, TestKeys.PASSWORD));
        stranger.put("port", port);

        endpoint.modified(configuration(stranger));

        assertThat(echo(port, keys.strangerTrust, "new key")).isEqualTo("new key");
        assertThatThrownBy(() -> echo(port, keys.serverTrust, "old trust")).isInstanceOf(SSLHandshakeException.class);
    }

    /**
     * A store replaced on disk (a certificate rotated by certbot or cert-manager) was read again only on a
     * configuration change: a serving server presented the old certificate until a restart.
     */
    @Test
    void aReplacedKeyStoreIsPresentedToNewConnectionsWhileOpenOnesStay() throws Exception {
        Path store = serverStoreCopy();
        activate(tls(store, TestKeys.PASSWORD));
        int port = port(info());
        try (SSLSocket open = connect(port, keys.serverTrust)) {
            assertThat(ConfiguredEndpointTest.echoOn(open, "before")).isEqualTo("before");

            replace(store, keys.stranger);

            await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                    .untilAsserted(() -> assertThat(echo(port, keys.strangerTrust, "new key")).isEqualTo("new key"));
            assertThatThrownBy(() -> echo(port, keys.serverTrust, "old key")).isInstanceOf(SSLHandshakeException.class);
            assertThat(ConfiguredEndpointTest.echoOn(open, "still open")).isEqualTo("still open");
        }
        // the new settings serve before the line is written, on the endpoint's own thread
        await().atMost(Duration.ofSeconds(5)).ignoreExceptions()
                .untilAsserted(() -> assertThat(LoggedLines.of(endpoints.log, "info")).contains(PID + ": endpoint 'secure' read its TLS stores again, [" + store + "] changed on disk: new"
                        + " connections get the new key material"));
        assertThat(endpoints.published()).isEmpty();
    }

    /**
     * A replacement that cannot be used (here its password is not the configured one) keeps the key in force,
     * with one WARN line naming the endpoint, the file and why, that why as the endpoint's last error, and a
     * published warning (io.msf.net WARN in msf:health) until good stores are read. It was a published problem
     * too, io.msf.net DOWN and /health 503 while the endpoint served: a liveness probe would restart the
     * container, whose first open then fails on the bad store; then, for a while, only a log line.
     */
    @Test
    void anUnusableReplacementKeepsTheKeyInForceWithAWarningAndNoProblem() throws Exception {
        Path store = serverStoreCopy();
        activate(tls(store, TestKeys.PASSWORD));
        int port = port(info());
        replace(store, strangerUnder("another-secret"));

        String why = "tlsKeyStorePassword: wrong password for " + store;
        await().atMost(Duration.ofSeconds(10)).until(() -> info().lastError().equals(why));
        assertThat(echo(port, keys.serverTrust, "old key")).isEqualTo("old key");
        assertThat(info().state()).isEqualTo("OPEN");
        Thread.sleep(2500); // more checks of the same files
        assertThat(LoggedLines.of(endpoints.log, "warn")).containsOnlyOnce(PID + ": endpoint 'secure' keeps the TLS"
                + " key material it has for new connections: the stores on disk cannot be used: " + why);
        assertThat(endpoints.published()).as("what the launcher and /health read").isEmpty();
        assertThat(endpoints.warnings()).as("what msf:health and /health show as WARN").containsExactly(
                "endpoint 'secure' (" + PID + ") serves new connections with the TLS key material it had: the stores"
                        + " on disk cannot be used: " + why);

        replace(store, keys.stranger);

        await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .untilAsserted(() -> assertThat(echo(port, keys.strangerTrust, "new key")).isEqualTo("new key"));
        await().atMost(Duration.ofSeconds(5)).until(() -> endpoints.warnings().isEmpty());
    }

    /**
     * A configuration change that reads usable stores (the password the replaced store has) took them at once,
     * but its warning stayed until the next check, tlsStoreCheckMillis later (up to an hour).
     */
    @Test
    void aChangeThatReadsUsableStoresWithdrawsTheWarningAtOnce() throws Exception {
        Path store = serverStoreCopy();
        ConfiguredEndpoint endpoint = activate(tls(store, TestKeys.PASSWORD));
        int port = port(info());
        replace(store, strangerUnder("another-secret"));
        await().atMost(Duration.ofSeconds(10)).until(() -> !endpoints.warnings().isEmpty());

        endpoint.modified(configuration(tls(store, "another-secret")));

        assertThat(info().lastError()).doesNotContain("keeps the last good configuration");
        assertThat(endpoints.warnings()).isEmpty();
        assertThat(echo(port, keys.strangerTrust, "new key")).isEqualTo("new key");
    }

    @Test
    void storeChecksCanBeTurnedOffAndAreBounded() throws Exception {
        Path store = serverStoreCopy();
        Map<String, Object> config = new HashMap<>(tls(store, TestKeys.PASSWORD));
        config.put("tlsStoreCheckMillis", 0);
        ConfiguredEndpoint endpoint = activate(config);
        int port = port(info());

        replace(store, keys.stranger);
        Thread.sleep(2000);
        assertThat(echo(port, keys.serverTrust, "not read again")).isEqualTo("not read again");

        config.put("tlsStoreCheckMillis", -1);
        endpoint.modified(configuration(config));
        assertThat(info().lastError()).isEqualTo("tlsStoreCheckMillis: -1 is not in 0..3600000 (an hour; 0: stores"
                + " are read again only on a configuration change); keeps the last good configuration");
    }

    /**
     * A TLS configuration refused for its name, applied once the name was free, served with no store checks:
     * the checks were started only by activation and changes, not when the waiting configuration was applied.
     */
    @Test
    void aConfigurationAppliedOnceItsNameIsFreeChecksItsStores() throws Exception {
        ConfiguredEndpoint holder = endpoints.activate("msf.net.endpoint~holder", Map.of("name", "secure"));
        Path store = serverStoreCopy();
        activate(tls(store, TestKeys.PASSWORD));
        endpoints.delete(holder);
        int port = port(info());
        assertThat(echo(port, keys.serverTrust, "waited")).isEqualTo("waited");

        replace(store, keys.stranger);

        await().atMost(Duration.ofSeconds(5)).ignoreExceptions()
                .untilAsserted(() -> assertThat(echo(port, keys.strangerTrust, "new key")).isEqualTo("new key"));
    }

    /** A change refused for its name (another endpoint has it) set its tlsStoreCheckMillis all the same: 0 stopped the checks. */
    @Test
    void aChangeRefusedForItsNameLeavesTheStoreChecksInForce() throws Exception {
        endpoints.activate("msf.net.endpoint~other", Map.of());
        Path store = serverStoreCopy();
        ConfiguredEndpoint endpoint = activate(tls(store, TestKeys.PASSWORD));
        int port = port(info());
        Map<String, Object> refused = new HashMap<>(tls(store, TestKeys.PASSWORD));
        refused.put("name", "other");
        refused.put("tlsStoreCheckMillis", 0);

        endpoint.modified(configuration(refused));
        replace(store, keys.stranger);

        await().atMost(Duration.ofSeconds(5)).ignoreExceptions()
                .untilAsserted(() -> assertThat(echo(port, keys.strangerTrust, "new key")).isEqualTo("new key"));
    }

    /** A copy of the server's key store, for a test to replace or delete. */
    private Path serverStoreCopy() throws IOException {
        Path store = tmp.resolve("server.p12");
        Files.copy(keys.server, store);
        return store;
    }

    /** The stranger's key store with the store and its key under {@code password}, not the configured one. */
    private Path strangerUnder(String password) throws Exception {
        Path rekeyed = tmp.resolve("under-" + password + ".p12");
        try (InputStream in = Files.newInputStream(keys.stranger); OutputStream out = Files.newOutputStream(rekeyed)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, TestKeys.PASSWORD.toCharArray());
            String alias = store.aliases().nextElement();
            store.setKeyEntry(alias, store.getKey(alias, TestKeys.PASSWORD.toCharArray()), password.toCharArray(),
                    store.getCertificateChain(alias));
            store.store(out, password.toCharArray());
        }
        return rekeyed;
    }

    /** Puts {@code source}'s bytes at {@code store} as certbot does: written beside it, then renamed over it. */
    private static void replace(Path store, Path source) throws IOException {
        Path next = store.resolveSibling(store.getFileName() + ".new");
        Files.copy(source, next, StandardCopyOption.REPLACE_EXISTING);
        Files.move(next, store, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void aClientWithoutReconnectMeetsASilentServerInTheBackgroundAndIsFailedAfterItsHandshakeTimeout()
            throws Exception {
        // The kernel accepts the connection; nobody ever reads the client's hello.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            long start = System.nanoTime();
            activate(silentServerClient(silent, 4000));

            // Configuration arrives on a thread every other change waits for: it never waits on the network.
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2000);
            assertThat(info().state()).isEqualTo("CONNECTING");
            await().atMost(Duration.ofSeconds(15)).until(() -> info().state().equals("FAILED"));
            assertThat(info().lastError()).endsWith("TLS handshake with 127.0.0.1:" + silent.getLocalPort()
                    + " failed: handshake timed out after 4000ms");
            verify(endpoints.log).error(contains("handshake timed out after 4000ms"));
        }
    }

    @Test
    void aClientWithoutReconnectClosedDuringItsHandshakeLetsGoOfTheConnection() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            silent.setSoTimeout(10_000);
            ConfiguredEndpoint client = activate(silentServerClient(silent, 20_000));
            try (Socket accepted = silent.accept()) {
                assertThat(info().state()).isEqualTo("CONNECTING");

                endpoints.deactivate(client);

                assertThat(endpoints.registry.endpoints()).isEmpty();
                accepted.setSoTimeout(3000);
                assertThat(EndpointTimeoutsTest.readsToTheEnd(accepted)).as("closed by the client within 3 s").isTrue();
            }
            verify(endpoints.log, never()).error(anyString());
        }
    }

    @Test
    void aNewHandshakeTimeoutAppliesToTheServersNextConnections() throws Exception {
        ConfiguredEndpoint endpoint = activate(tls(keys.server, TestKeys.PASSWORD));
        int port = port(info());
        Map<String, Object> impatient = new HashMap<>(tls(keys.server, TestKeys.PASSWORD));
        impatient.put("tlsHandshakeTimeoutMillis", 300);

        endpoint.modified(configuration(impatient));

        try (Socket mute = new Socket(InetAddress.getLoopbackAddress(), port)) {
            mute.setSoTimeout(3000);
            assertThat(EndpointTimeoutsTest.readsToTheEnd(mute)).as("closed by the server within 3 s").isTrue();
        }
        assertThat(echo(port, keys.serverTrust, "in time")).isEqualTo("in time");
    }

    @Test
    void keysAreCheckedWithTheirNames() {
        activate(Map.of("tls", true, "tlsKeyStore", "etc/server.p12"));
        assertThat(info().lastError()).startsWith("tlsKeyStore: 'etc/server.p12' is not an absolute path");

        endpoints.first().modified(configuration(Map.of("tls", true)));
        assertThat(info().lastError())
                .isEqualTo("tlsKeyStore: missing; a TLS server (tls=true) needs the PKCS12 file with its key");

        endpoints.first().modified(configuration(Map.of("tls", true, "tlsKeyStore", keys.server.toString(),
                "tlsKeyStorePassword", TestKeys.PASSWORD, "tlsClientAuth", "require")));
        assertThat(info().lastError()).isEqualTo("tlsTrustStore: missing; tlsClientAuth=require checks client"
                + " certificates against it");

        endpoints.first().modified(configuration(Map.of("tls", true, "tlsKeyStore", keys.server.toString(),
                "tlsClientAuth", "maybe")));
        assertThat(info().lastError()).isEqualTo("tlsClientAuth: 'maybe' is not one of none, optional, require");

        endpoints.first().modified(configuration(Map.of("tls", true, "transport", "uds-server", "path", "s.sock")));
        assertThat(info().lastError()).contains("TLS is for TCP only");
    }

    /** A TLS client of {@code silent} that does not reconnect. */
    private static Map<String, Object> silentServerClient(ServerSocket silent, int handshakeTimeoutMillis) {
        return Map.of("transport", "tcp-client", "port", silent.getLocalPort(), "reconnect", false, "tls", true,
                "tlsTrustStore", keys.serverTrust.toString(), "tlsTrustStorePassword", TestKeys.PASSWORD,
                "tlsHandshakeTimeoutMillis", handshakeTimeoutMillis);
    }

    private EndpointInfo info() {
        return endpoints.info("secure");
    }

    private static int port(EndpointInfo info) {
        return Integer.parseInt(info.address().substring(info.address().lastIndexOf(':') + 1));
    }

    /** One length-field frame over a JDK TLS socket that trusts only {@code trustStore}. */
    private static String echo(int port, Path trustStore, String text) throws Exception {
        try (SSLSocket socket = connect(port, trustStore)) {
            return ConfiguredEndpointTest.echoOn(socket, text);
        }
    }

    /** A JDK TLS socket to the server on {@code port} that trusts only {@code trustStore}. */
    private static SSLSocket connect(int port, Path trustStore) throws Exception {
        SSLContext tls = TestKeys.trusting(trustStore);
        Socket plain = new Socket(InetAddress.getLoopbackAddress(), port);
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, "localhost", port, true);
        socket.setSoTimeout(5000);
        return socket;
    }
}
