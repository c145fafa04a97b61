package io.msf.net.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.msf.net.testing.TestKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tls* configuration keys read into a spec, and the key material checked before it is used. */
class TlsSpecTest {

    @TempDir
    static Path dir;
    static TestKeys keys;

    @BeforeAll
    static void makeKeys() throws Exception {
        keys = TestKeys.in(dir);
    }

    private static TlsSpec server(String keyStore, String trustStore, String clientAuth) {
        return TlsSpec.fromConfiguration(keyStore, TestKeys.PASSWORD, trustStore, TestKeys.PASSWORD, clientAuth, true);
    }

    @Test
    void theKeysMakeASpec() {
        assertThat(server(" " + keys.server + " ", keys.clientTrust.toString(), "Require")).isEqualTo(new TlsSpec(
                keys.server, TestKeys.PASSWORD, keys.clientTrust, TestKeys.PASSWORD, TlsSpec.ClientAuth.REQUIRE, null));
        assertThat(TlsSpec.fromConfiguration("", null, "", null, null, false)).isEqualTo(TlsSpec.client(null, ""));
    }

    @Test
    void wrongKeysAreNamed() {
        assertThatThrownBy(() -> server("", "", "none")).hasMessage(
                "tlsKeyStore: missing; a TLS server (tls=true) needs the PKCS12 file with its key");
        assertThatThrownBy(() -> server("agent.p12", "", "none")).hasMessageStartingWith(
                "tlsKeyStore: 'agent.p12' is not an absolute path");
        assertThatThrownBy(() -> server(keys.server.toString(), "/a\0b", "none")).hasMessageStartingWith(
                "tlsTrustStore: '/a\0b' is not a path");
        assertThatThrownBy(() -> server(keys.server.toString(), "", "sometimes")).hasMessage(
                "tlsClientAuth: 'sometimes' is not one of none, optional, require");
        assertThatThrownBy(() -> server(keys.server.toString(), " ", " optional")).hasMessage(
                "tlsTrustStore: missing; tlsClientAuth=optional checks client certificates against it");
    }

    @Test
    void aClientIgnoresClientAuthentication() {
        // a client's file copied from a server's: the word is still read, but a client asks no one for a certificate
        assertThat(TlsSpec.fromConfiguration("", null, "", null, "require", false)).isEqualTo(TlsSpec.client(null, ""));
        assertThat(TlsSpec.fromConfiguration("", null, keys.clientTrust.toString(), null, "optional", false))
                .isEqualTo(TlsSpec.client(keys.clientTrust, ""));
        assertThatThrownBy(() -> TlsSpec.fromConfiguration("", null, "", null, "sometimes", false)).hasMessage(
                "tlsClientAuth: 'sometimes' is not one of none, optional, require");
    }

    @Test
    void checkReadsTheStoresAsOpeningWould() throws Exception {
        assertThatCode(server(keys.server.toString(), keys.clientTrust.toString(), "optional")::check)
                .doesNotThrowAnyException();

        assertThatThrownBy(TlsSpec.server(keys.server, "wrong")::check).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tlsKeyStorePassword: wrong password for " + keys.server);
        assertThatThrownBy(TlsSpec.server(dir.resolve("none.p12"), "")::check)
                .hasMessage("tlsKeyStore: " + dir.resolve("none.p12") + " does not exist");
        Path corrupt = Files.writeString(dir.resolve("corrupt.p12"), "not a key store");
        assertThatThrownBy(TlsSpec.server(corrupt, TestKeys.PASSWORD)::check)
                .hasMessageStartingWith("tlsKeyStore: " + corrupt + " cannot be read as a PKCS12 store");
        assertThatThrownBy(TlsSpec.server(keys.serverTrust, TestKeys.PASSWORD)::check)
                .hasMessage("tlsKeyStore: " + keys.serverTrust + " holds no private key");
        assertThatThrownBy(TlsSpec.client(keys.serverTrust, "wrong")::check)
                .hasMessage("tlsTrustStorePassword: wrong password for " + keys.serverTrust);
        assertThatThrownBy(TlsSpec.server(keys.server, TestKeys.PASSWORD).withProtocols(List.of("SSLv2"))::check)
                .hasMessageContaining("TLS cannot be set up with").hasMessageContaining("SSLv2");
    }
}
