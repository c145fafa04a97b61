package io.msf.client.internal;

import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/** TLS to the agent's TCP port: the engine of each connection, and failures told plainly. */
final class Tls {

    /** TLS 1.3 and 1.2, those of them the JDK offers; older versions have known weaknesses. */
    private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private Tls() {
    }

    /**
     * The handler for one connection, verifying that the agent's certificate names {@code agent}'s
     * host, and failing a handshake that takes longer than {@code handshakeTimeoutMillis}.
     */
    static SslHandler handler(SSLContext context, InetSocketAddress agent, long handshakeTimeoutMillis) {
        SSLEngine engine = context.createSSLEngine(agent.getHostString(), agent.getPort());
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        List<String> supported = Arrays.asList(engine.getSupportedProtocols());
        parameters.setProtocols(PROTOCOLS.stream().filter(supported::contains).toArray(String[]::new));
        engine.setSSLParameters(parameters);
        SslHandler handler = new SslHandler(engine);
        handler.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
        return handler;
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
