package io.msf.net.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * TLS for a TCP endpoint (JDK provider). Key and trust stores are PKCS12 files, as
 * {@code keytool -genkeypair -storetype PKCS12} writes them; the key password is the store's.
 *
 * <p>A server needs a key store; with {@link ClientAuth#OPTIONAL} or {@link ClientAuth#REQUIRE}
 * it checks client certificates against its trust store. A client checks the server's
 * certificate against its trust store (or the JDK's default one when there is none) and verifies
 * that it names the host it connects to; it presents a certificate of its own only if it has a
 * key store. The key material is read when the endpoint opens (and again when a configured
 * endpoint changes), so a replaced file takes effect then.
 *
 * <p>{@link #toString} shows no password.
 *
 * @param keyStore the PKCS12 file with the private key and its certificate chain; null: none
 * @param keyStorePassword its password; empty for none
 * @param trustStore the PKCS12 file with the certificates to trust; null: a server trusts no
 *     client certificate, a client trusts the JDK's default authorities
 * @param trustStorePassword its password; empty for none
 * @param clientAuth whether a server asks clients for a certificate; ignored by clients
 * @param protocols the TLS versions allowed, by default {@link #DEFAULT_PROTOCOLS}
 */
public record TlsSpec(Path keyStore, String keyStorePassword, Path trustStore, String trustStorePassword,
        ClientAuth clientAuth, List<String> protocols) {

    /** TLS 1.3 and 1.2: the versions the JDK offers that have no known weakness. */
    public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** Whether a server asks its clients for a certificate. */
    public enum ClientAuth {
        /** It does not ask. */
        NONE,
        /** It asks; a client without one is still accepted, one with an untrusted one is refused. */
        OPTIONAL,
        /** A client without a trusted certificate is refused. */
        REQUIRE
    }

    public TlsSpec {
        keyStorePassword = keyStorePassword == null ? "" : keyStorePassword;
        trustStorePassword = trustStorePassword == null ? "" : trustStorePassword;
        clientAuth = clientAuth == null ? ClientAuth.NONE : clientAuth;
        protocols = protocols == null || protocols.isEmpty() ? DEFAULT_PROTOCOLS : List.copyOf(protocols);
        if (clientAuth != ClientAuth.NONE && trustStore == null) {
            throw new IllegalArgumentException("TLS client authentication " + clientAuth
                    + " needs a trust store holding the certificates of the clients to accept");
        }
    }

    /** A server presenting the key in {@code keyStore}, not asking clients for a certificate. */
    public static TlsSpec server(Path keyStore, String password) {
        return new TlsSpec(Objects.requireNonNull(keyStore, "keyStore"), password, null, "", ClientAuth.NONE, null);
    }

    /** A client trusting the certificates in {@code trustStore}; null: the JDK's default authorities. */
    public static TlsSpec client(Path trustStore, String password) {
        return new TlsSpec(null, "", trustStore, password, ClientAuth.NONE, null);
    }

    /** The same with this key store: a server's key, or the certificate a client presents. */
    public TlsSpec withKeyStore(Path newKeyStore, String password) {
        return new TlsSpec(newKeyStore, password, trustStore, trustStorePassword, clientAuth, protocols);
    }

    /** The same with this trust store. */
    public TlsSpec withTrustStore(Path newTrustStore, String password) {
        return new TlsSpec(keyStore, keyStorePassword, newTrustStore, password, clientAuth, protocols);
    }

    /** The same asking clients for a certificate; needs a trust store unless {@code NONE}. */
    public TlsSpec withClientAuth(ClientAuth newClientAuth) {
        return new TlsSpec(keyStore, keyStorePassword, trustStore, trustStorePassword, newClientAuth, protocols);
    }

    /** The same allowing only these TLS versions (names as {@code javax.net.ssl} spells them). */
    public TlsSpec withProtocols(List<String> newProtocols) {
        return new TlsSpec(keyStore, keyStorePassword, trustStore, trustStorePassword, clientAuth, newProtocols);
    }

    /** The stores and settings; passwords are shown only as set or not. */
    @Override
    public String toString() {
        return "TlsSpec[keyStore=" + keyStore + (keyStorePassword.isEmpty() ? "" : " (password set)")
                + ", trustStore=" + trustStore + (trustStorePassword.isEmpty() ? "" : " (password set)")
                + ", clientAuth=" + clientAuth + ", protocols=" + protocols + "]";
    }
}
