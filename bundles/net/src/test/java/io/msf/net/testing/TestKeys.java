package io.msf.net.testing;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Key material made at test time (none is committed): PKCS12 key stores made by the JDK's keytool
 * for a server (CN=localhost, valid for localhost and 127.0.0.1), a client and a stranger whose
 * certificate nobody trusts, and a PKCS12 trust store holding each one's certificate. In the
 * test-jar of msf-net for the other modules' TLS tests.
 */
public final class TestKeys {

    public static final String PASSWORD = "test-secret";

    public final Path server;
    public final Path serverTrust;
    public final Path client;
    public final Path clientTrust;
    public final Path stranger;
    public final Path strangerTrust;

    private TestKeys(Path dir) throws IOException, InterruptedException {
        server = identity(dir, "server", "CN=localhost", "SAN=dns:localhost,ip:127.0.0.1");
        serverTrust = trustStore(dir, "server");
        client = identity(dir, "client", "CN=msf-test-client", null);
        clientTrust = trustStore(dir, "client");
        stranger = identity(dir, "stranger", "CN=localhost,O=Stranger", "SAN=dns:localhost,ip:127.0.0.1");
        strangerTrust = trustStore(dir, "stranger");
    }

    public static TestKeys in(Path dir) throws IOException, InterruptedException {
        return new TestKeys(dir);
    }

    /** A server context (as the agent's) presenting the key in {@code keyStore}. */
    public static SslContext server(Path keyStore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD.toCharArray());
        return SslContextBuilder.forServer(keys).sslProvider(SslProvider.JDK).build();
    }

    /** A JDK client context trusting only {@code trustStore}. */
    public static SSLContext trusting(Path trustStore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(trustStore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static Path identity(Path dir, String name, String dname, String san)
            throws IOException, InterruptedException {
        Path store = dir.resolve(name + ".p12");
        List<String> args = new ArrayList<>(List.of("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname",
                "secp256r1", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", PASSWORD,
                "-dname", dname, "-validity", "2"));
        if (san != null) {
            args.addAll(List.of("-ext", san));
        }
        keytool(args);
        return store;
    }

    /** A PKCS12 trust store holding the certificate of {@code name}'s key, written in process (keytool is slow to start). */
    private static Path trustStore(Path dir, String name) throws IOException {
        Path store = dir.resolve(name + "-trust.p12");
        try (InputStream in = Files.newInputStream(dir.resolve(name + ".p12"));
                OutputStream out = Files.newOutputStream(store)) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(in, PASSWORD.toCharArray());
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry(name, keys.getCertificate(name));
            trust.store(out, PASSWORD.toCharArray());
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot make the trust store " + store, e);
        }
        return store;
    }

    private static void keytool(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool " + args + " failed: " + new String(output));
        }
    }
}
