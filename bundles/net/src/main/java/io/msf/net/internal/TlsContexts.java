package io.msf.net.internal;

import io.msf.net.api.EndpointSpec;
import io.msf.net.api.NetTransport;
import io.msf.net.api.TlsSpec;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.util.Collections;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * Reads an endpoint's key and trust stores into a Netty {@link SslContext} (JDK provider, no
 * native library). Errors name the store and the configuration key it comes from, so that a
 * configured endpoint can say exactly what is wrong.
 */
final class TlsContexts {

    private TlsContexts() {
    }

    /**
     * @return the context for the endpoint, or null if it is plain
     * @throws IllegalArgumentException naming the file and the key when a store cannot be used
     */
    static SslContext of(EndpointSpec spec) {
        TlsSpec tls = spec.tls();
        if (tls == null) {
            return null;
        }
        boolean server = spec.transport() == NetTransport.TCP_SERVER;
        KeyManagerFactory keys = tls.keyStore() == null ? null : keyManagers(tls.keyStore(), tls.keyStorePassword());
        TrustManagerFactory trust = tls.trustStore() == null ? null
                : trustManagers(tls.trustStore(), tls.trustStorePassword());
        SslContextBuilder builder = server ? SslContextBuilder.forServer(keys).clientAuth(clientAuth(tls.clientAuth()))
                : SslContextBuilder.forClient().keyManager(keys).endpointIdentificationAlgorithm("HTTPS");
        try {
            SslContext context = builder.sslProvider(SslProvider.JDK).trustManager(trust)
                    .protocols(tls.protocols().toArray(new String[0])).build();
            // The protocols are checked only when an engine is made: make one now, not at the first connection.
            context.newEngine(ByteBufAllocator.DEFAULT);
            return context;
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("TLS cannot be set up with " + tls + ": " + e.getMessage(), e);
        }
    }

    private static KeyManagerFactory keyManagers(Path file, String password) {
        KeyStore store = load(file, password, "tlsKeyStore", "tlsKeyStorePassword");
        try {
            if (Collections.list(store.aliases()).stream().noneMatch(alias -> isKey(store, alias))) {
                throw new IllegalArgumentException("tlsKeyStore: " + file + " holds no private key");
            }
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, password.toCharArray());
            return factory;
        } catch (UnrecoverableKeyException e) {
            throw new IllegalArgumentException("tlsKeyStorePassword: the key in " + file
                    + " cannot be read with the store's password (" + e.getMessage() + ")", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("tlsKeyStore: " + file + " cannot be used: " + e, e);
        }
    }

    private static TrustManagerFactory trustManagers(Path file, String password) {
        KeyStore store = load(file, password, "tlsTrustStore", "tlsTrustStorePassword");
        try {
            if (store.size() == 0) {
                throw new IllegalArgumentException("tlsTrustStore: " + file + " holds no certificate");
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("tlsTrustStore: " + file + " cannot be used: " + e, e);
        }
    }

    private static KeyStore load(Path file, String password, String fileKey, String passwordKey) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            return store;
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(fileKey + ": " + file + " does not exist", e);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new IllegalArgumentException(passwordKey + ": wrong password for " + file, e);
            }
            throw new IllegalArgumentException(fileKey + ": " + file + " cannot be read as a PKCS12 store: " + e, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(fileKey + ": " + file + " cannot be read as a PKCS12 store: " + e, e);
        }
    }

    private static boolean isKey(KeyStore store, String alias) {
        try {
            return store.isKeyEntry(alias);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static ClientAuth clientAuth(TlsSpec.ClientAuth clientAuth) {
        switch (clientAuth) {
            case REQUIRE:
                return ClientAuth.REQUIRE;
            case OPTIONAL:
                return ClientAuth.OPTIONAL;
            default:
                return ClientAuth.NONE;
        }
    }
}
