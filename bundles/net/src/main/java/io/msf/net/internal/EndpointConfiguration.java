package io.msf.net.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(name = "msf network endpoint",
        description = "An endpoint opened from configuration (msf.net.endpoint~<name>) and handled by the"
                + " ChannelSetup service registered with msf.net.handler=<handler>. A change rebinds it live;"
                + " if the new address cannot be bound, the endpoint keeps serving on the old one.")
@interface EndpointConfiguration {

    @AttributeDefinition(name = "Name", required = false,
            description = "The endpoint's name in net:list; empty = the configuration's name (the part after"
                    + " '~' in msf.net.endpoint~<name>).")
    String name() default "";

    // No Metatype options for transport, framing and tlsClientAuth: they would be matched exactly, where the
    // endpoint reads these words in any case; EndpointCheck tells the config gate what the endpoint takes.
    @AttributeDefinition(name = "Transport",
            description = "TCP, UDP or Unix domain socket; server or client: tcp-server, tcp-client, udp, uds-server"
                    + " or uds-client, in any case.")
    String transport() default "tcp-server";

    @AttributeDefinition(name = "Host", required = false,
            description = "The address to bind (servers, udp) or connect to (tcp-client); loopback by default.")
    String host() default "127.0.0.1";

    @AttributeDefinition(name = "Port", min = "0", max = "65535", required = false,
            description = "The port (tcp, udp); 0 binds an ephemeral port. A tcp-client names its server's"
                    + " (1-65535): 0 is refused.")
    int port() default 0;

    @AttributeDefinition(name = "Socket path", required = false,
            description = "The socket file (uds-server, uds-client); a relative path is in the data dir"
                    + " (msf.data). At most 107 bytes once resolved, a uds-server's in a folder group or others may"
                    + " enter at most 95; a longer one is refused.")
    String path() default "";

    @AttributeDefinition(name = "Framing", required = false,
            description = "How a stream (tcp, uds) is cut into messages: length-field (each message preceded by its"
                    + " length) or none (bytes as they arrive), in any case; a UDP datagram is always one message.")
    String framing() default "length-field";

    @AttributeDefinition(name = "Length-field bytes", required = false,
            description = "The size of the big-endian length field, with length-field framing.",
            options = {
                @Option(value = "2", label = "2 bytes (frames up to 65535 bytes)"),
                @Option(value = "4", label = "4 bytes")
            })
    int lengthFieldBytes() default 4;

    @AttributeDefinition(name = "Largest frame (bytes)", min = "1", max = "67108864", required = false,
            description = "The largest inbound frame or datagram accepted; a larger frame closes its"
                    + " connection, a larger datagram is dropped; both count an error. At most 64 MiB.")
    int maxFrameBytes() default 1048576;

    @AttributeDefinition(name = "Most connections", min = "1", max = "1000000", required = false,
            description = "The most connections a server keeps open; more are closed at once. A change keeps the"
                    + " socket and its connections, also those over a lowered limit; new ones are refused until"
                    + " fewer are open.")
    int maxConnections() default 1024;

    @AttributeDefinition(name = "TLS", required = false,
            description = "Speak TLS (tcp-server, tcp-client only; JDK provider, TLS 1.3 and 1.2); true or false."
                    + " A server needs tlsKeyStore; a client verifies the server's certificate and host name.")
    boolean tls() default false;

    @AttributeDefinition(name = "TLS key store", required = false,
            description = "Absolute path of a PKCS12 file (keytool -storetype PKCS12) with the private key and"
                    + " certificate a server presents (or a client, for client authentication). Read again"
                    + " whenever this configuration changes, and by a server once the file is replaced"
                    + " (tlsStoreCheckMillis).")
    String tlsKeyStore() default "";

    @AttributeDefinition(name = "TLS key store password", type = AttributeType.PASSWORD, required = false,
            description = "Password of tlsKeyStore and of its key; never logged.")
    String tlsKeyStorePassword() default "";

    @AttributeDefinition(name = "TLS trust store", required = false,
            description = "Absolute path of a PKCS12 file with the certificates to trust: a client's view of"
                    + " servers (empty: the JDK's default authorities), a server's view of client certificates.")
    String tlsTrustStore() default "";

    @AttributeDefinition(name = "TLS trust store password", type = AttributeType.PASSWORD, required = false,
            description = "Password of tlsTrustStore; never logged.")
    String tlsTrustStorePassword() default "";

    @AttributeDefinition(name = "TLS store check (ms)", min = "0", max = "3600000", required = false,
            description = "How often a TLS server (tcp-server, tls=true) looks whether tlsKeyStore or tlsTrustStore"
                    + " was replaced on disk (its modification time, size or file changed) and then reads it again"
                    + " for the connections it accepts next, open ones keeping theirs; stores that cannot be used"
                    + " keep the last good ones (a WARN line, the reason as the endpoint's last error in net:list, and"
                    + " io.msf.net WARN in msf:health and /health, still 200, until good ones are there). 0: never,"
                    + " only a configuration change reads them again. 0 to 3600000 (an hour).")
    int tlsStoreCheckMillis() default 1000;

    @AttributeDefinition(name = "TLS client authentication", required = false,
            description = "Whether a TLS server asks clients for a certificate, checked against tlsTrustStore: none (no"
                    + " client certificate), optional (asked for; a client without one is accepted) or require (a"
                    + " client without a trusted certificate is refused), in any case. A client ignores it.")
    String tlsClientAuth() default "none";

    @AttributeDefinition(name = "Reconnect", required = false,
            description = "A client (tcp-client, uds-client) connects again, and again, while its server is not"
                    + " there and whenever its connection is lost, waiting reconnectMinMillis after the first"
                    + " failure, twice as long after each next one, up to reconnectMaxMillis (less a random part"
                    + " of at most half); false: one attempt, in the background too, and a client that cannot"
                    + " connect is FAILED, a lost connection CLOSED, until the configuration changes.")
    boolean reconnect() default true;

    @AttributeDefinition(name = "Shortest wait before reconnecting (ms)", min = "1", required = false,
            description = "The wait after the first failed attempt or a lost connection; at least 1.")
    int reconnectMinMillis() default 100;

    @AttributeDefinition(name = "Longest wait before reconnecting (ms)", min = "1", required = false,
            description = "The most a client waits between two attempts; at least reconnectMinMillis.")
    int reconnectMaxMillis() default 30000;

    @AttributeDefinition(name = "Connect timeout (ms)", min = "1", max = "600000", required = false,
            description = "How long a client (tcp-client, uds-client) waits for its connection to be made before"
                    + " the attempt fails (and, with reconnect, is tried again after its wait); 1 to 600000"
                    + " (10 minutes). A change connects anew with it.")
    int connectTimeoutMillis() default 5000;

    @AttributeDefinition(name = "TLS handshake timeout (ms)", min = "1", max = "600000", required = false,
            description = "How long a TLS handshake may take (tls=true): a client's with its server, a server's"
                    + " with each connection it accepts; a slower one closes that connection as failed. 1 to"
                    + " 600000 (10 minutes). A client connects anew with a new value; a server keeps its"
                    + " connections and gives it to new ones.")
    int tlsHandshakeTimeoutMillis() default 10000;

    @AttributeDefinition(name = "Idle timeout (ms)", min = "0", required = false,
            description = "How long a connection (tcp-server, tcp-client, uds-server, uds-client) may pass with"
                    + " nothing read or written before it is closed; 0: never (the default); udp ignores it. A"
                    + " client connects anew with a new value; a server keeps its connections and gives it to"
                    + " new ones.")
    int idleTimeoutMillis() default 0;

    @AttributeDefinition(name = "Handler",
            description = "The ChannelSetup service that handles the endpoint's channels, registered with"
                    + " msf.net.handler=<handler>; 'echo' is built in. The endpoint waits (WAITING) while the"
                    + " handler is missing.")
    String handler();
}
