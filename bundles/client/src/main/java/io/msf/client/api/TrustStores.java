package io.msf.client.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** {@link ClientOptions.Builder#tlsTrustStore}: a PKCS12 trust store read into a TLS context. */
final class TrustStores {

    private TrustStores() {
    }

    /**
     * A context trusting the certificates in a PKCS12 store.
     *
     * @throws IllegalArgumentException naming the file if it cannot be read or holds no certificate
     */
    static SSLContext trusting(Path trustStore, char[] password) {
        KeyStore store;
        try (InputStream in = Files.newInputStream(trustStore)) {
            store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("TLS trust store " + trustStore + " does not exist", e);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("TLS trust store " + trustStore + " cannot be read as PKCS12"
                    + (e.getCause() instanceof UnrecoverableKeyException ? ": wrong password" : ": " + e), e);
        }
        try {
            if (store.size() == 0) {
                throw new IllegalArgumentException("TLS trust store " + trustStore + " holds no certificate");
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("TLS trust store " + trustStore + " cannot be used: " + e, e);
        }
    }
}
