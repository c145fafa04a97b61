package io.msf.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** PKCS12 key material for localhost / 127.0.0.1, made by the JDK's keytool as an operator would. */
public final class TestKeyStores {

    private TestKeyStores() {
    }

    /** A new key pair in {@code keyStore}, and a trust store with its certificate, both under {@code password}. */
    public static void make(Path keyStore, Path trustStore, String password) throws Exception {
        makeKey(keyStore, password);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            keys.load(in, password.toCharArray());
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("msf", keys.getCertificate("msf"));
        try (OutputStream out = Files.newOutputStream(trustStore)) {
            trust.store(out, password.toCharArray());
        }
    }

    /** A new key pair for localhost / 127.0.0.1 in {@code keyStore} (replaced), under {@code password}. */
    public static void makeKey(Path keyStore, String password) throws Exception {
        Files.deleteIfExists(keyStore);
        keytool("-genkeypair", "-alias", "msf", "-keyalg", "EC", "-groupname", "secp256r1", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", password, "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2");
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue("keytool " + command + ": " + output, process.waitFor(60, TimeUnit.SECONDS));
        assertEquals("keytool " + command + ": " + output, 0, process.exitValue());
    }
}
