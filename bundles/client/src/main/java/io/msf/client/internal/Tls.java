package io.msf.client.internal;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/** TLS to the agent's TCP port: the engine of each connection, trust stores, and failures told plainly. */
public final class Tls {

    /** TLS 1.3 and 1.2, those of them the JDK offers; older versions have known weaknesses. */
    private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private Tls() {
    }

    /**
     * A context trusting the certificates in a PKCS12 store.
     *
     * @throws IllegalArgumentException naming the file if it cannot be read or holds no certificate
     */
    public static SSLContext trusting(Path trustStore, char[] password) {
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

    /** The handler for one connection, verifying that the agent's certificate names {@code agent}'s host. */
    static SslHandler handler(SSLContext context, InetSocketAddress agent, ByteBufAllocator alloc) {
        SSLEngine engine = context.createSSLEngine(agent.getHostString(), agent.getPort());
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        List<String> supported = Arrays.asList(engine.getSupportedProtocols());
        parameters.setProtocols(PROTOCOLS.stream().filter(supported::contains).toArray(String[]::new));
        engine.setSSLParameters(parameters);
        return new SslHandler(engine);
    }

    /** The TLS failure within {@code cause}, or null if it is none. */
    static SSLException failure(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SSLException ssl) {
                return ssl;
            }
        }
        return null;
    }

    /** Why TLS failed, for people: a plain-text agent is named as such instead of by a hex dump. */
    static String reason(SSLException failure) {
        if (failure instanceof NotSslRecordException) {
            return "the agent does not speak TLS (is its key tls=true?)";
        }
        return failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    }
}
