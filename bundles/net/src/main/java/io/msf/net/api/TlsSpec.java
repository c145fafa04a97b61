package io.msf.net.api;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for a TCP endpoint (JDK provider). Key and trust stores are PKCS12 files, as
 * {@code keytool -genkeypair -storetype PKCS12} writes them; the key password is the store's.
 *
 * <p>A server needs a key store; with {@link ClientAuth#OPTIONAL} or {@link ClientAuth#REQUIRE}
 * it checks client certificates against its trust store. A client checks the server's
 * certificate against its trust store (or the JDK's default one when there is none) and verifies
 * that it names the host it connects to; it presents a certificate of its own only if it has a
 * key store. The key material is read when the endpoint opens (and again when a configured
 * endpoint changes, or a configured server finds its stores replaced on disk), so a replaced file
 * takes effect then; {@link #check} reads it ahead, so that a change can be refused before anything
 * is closed.
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
        REQUIRE;

        /**
         * The value of a {@code tlsClientAuth} key: none, optional or require, in any case, spaces around it
         * ignored; empty: none. The one reading of it, for the components and the config gate's checks alike.
         *
         * @throws IllegalArgumentException naming the key and the words it takes
         */
        public static ClientAuth parse(String value) {
            String given = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
            if (given.isEmpty()) {
                return NONE;
            }
            for (ClientAuth clientAuth : values()) {
                if (clientAuth.name().toLowerCase(Locale.ROOT).equals(given)) {
                    return clientAuth;
                }
            }
            throw new IllegalArgumentException("tlsClientAuth: '" + value + "' is not one of none, optional, require");
        }
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

    /**
     * The TLS settings of a configuration with the keys {@code tlsKeyStore}, {@code tlsKeyStorePassword},
     * {@code tlsTrustStore}, {@code tlsTrustStorePassword} and {@code tlsClientAuth} (none, optional or
     * require), as the agent and the configured endpoints have them. Stores are absolute paths;
     * null or blank values are unset. The files are not read here: see {@link #check}.
     *
     * @param server whether a key store is required (a server presents its key); a client's
     *     {@code tlsClientAuth} is read (a word it does not take is refused) but ignored
     * @throws IllegalArgumentException starting with the key that is wrong, such as
     *     {@code "tlsKeyStore: missing; ..."}
     */
    public static TlsSpec fromConfiguration(String keyStore, String keyStorePassword, String trustStore,
            String trustStorePassword, String clientAuth, boolean server) {
        Path keys = TlsStores.path("tlsKeyStore", keyStore);
        if (keys == null && server) {
            throw new IllegalArgumentException("tlsKeyStore: missing; a TLS server (tls=true) needs the PKCS12 file"
                    + " with its key");
        }
        Path trust = TlsStores.path("tlsTrustStore", trustStore);
        ClientAuth asked = ClientAuth.parse(clientAuth);
        // A client asks no one for a certificate: its file may be a server's copied, trust store and all or not.
        ClientAuth auth = server ? asked : ClientAuth.NONE;
        if (auth != ClientAuth.NONE && trust == null) {
            throw new IllegalArgumentException("tlsTrustStore: missing; tlsClientAuth=" + clientAuth.trim()
                    + " checks client certificates against it");
        }
        return new TlsSpec(keys, keyStorePassword, trust, trustStorePassword, auth, null);
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

    /**
     * Reads the key store, as opening an endpoint does.
     *
     * @return its key managers, or null if there is no key store
     * @throws IllegalArgumentException naming the key and the file, if the store cannot be read with
     *     its password or holds no private key
     */
    public KeyManagerFactory keyManagers() {
        return keyStore == null ? null : TlsStores.keyManagers(keyStore, keyStorePassword);
    }

    /**
     * Reads the trust store, as opening an endpoint does.
     *
     * @return its trust managers, or null if there is no trust store
     * @throws IllegalArgumentException naming the key and the file, if the store cannot be read with
     *     its password or holds no certificate
     */
    public TrustManagerFactory trustManagers() {
        return trustStore == null ? null : TlsStores.trustManagers(trustStore, trustStorePassword);
    }

    /**
     * Checks everything opening an endpoint with this spec would: reads the stores and makes a TLS
     * engine with the protocols. A change of settings can so be refused while the old endpoint
     * still serves its connections.
     *
     * @throws IllegalArgumentException naming the key and the file (or the protocol) that cannot be used
     */
    public void check() {
        KeyManagerFactory keys = keyManagers();
        TrustManagerFactory trust = trustManagers();
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(),
                    null);
            context.createSSLEngine().setEnabledProtocols(protocols.toArray(new String[0]));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("TLS cannot be set up with " + this + ": " + e.getMessage(), e);
        }
    }

    /** The stores and settings; passwords are shown only as set or not. */
    @Override
    public String toString() {
        return "TlsSpec[keyStore=" + keyStore + (keyStorePassword.isEmpty() ? "" : " (password set)")
                + ", trustStore=" + trustStore + (trustStorePassword.isEmpty() ? "" : " (password set)")
                + ", clientAuth=" + clientAuth + ", protocols=" + protocols + "]";
    }
}
