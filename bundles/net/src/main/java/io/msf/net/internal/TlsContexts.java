package io.msf.net.internal;

import io.msf.net.api.EndpointSpec;
import io.msf.net.api.NetTransport;
import io.msf.net.api.TlsSpec;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * Reads an endpoint's key and trust stores (through {@link TlsSpec}) into a Netty {@link SslContext}
 * (JDK provider, no native library). Errors name the store and the configuration key it comes
 * from, so that a configured endpoint can say exactly what is wrong.
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
        KeyManagerFactory keys = tls.keyManagers();
        TrustManagerFactory trust = tls.trustManagers();
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
