package io.msf.net.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.util.Collections;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The reading behind {@link TlsSpec}: the configuration keys and the PKCS12 files. Every error
 * starts with the configuration key to fix, the same words wherever the keys are read.
 */
final class TlsStores {

    private TlsStores() {
    }

    /** A store's path: absolute, since nothing says what a relative one would be relative to; null if empty. */
    static Path path(String key, String value) {
        String given = value == null ? "" : value.trim();
        if (given.isEmpty()) {
            return null;
        }
        try {
            Path path = Path.of(given);
            if (path.isAbsolute()) {
                return path;
            }
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(key + ": '" + given + "' is not a path: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException(key + ": '" + given + "' is not an absolute path (in a .cfg file,"
                + " ${msf.home}/etc/<file>.p12 names one in the container's etc directory)");
    }

    static KeyManagerFactory keyManagers(Path file, String password) {
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

    static TrustManagerFactory trustManagers(Path file, String password) {
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
}
