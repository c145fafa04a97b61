package io.msf.agent.internal;

import io.msf.agent.internal.broker.BrokerSettings;
import io.msf.protocol.api.Protocol;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "msf agent",
        description = "The message broker: listens on a Unix domain socket in the data dir (and on TCP once"
                + " tcpPort is set), routes requests, replies, notifications and publications (docs/protocol.md)."
                + " A change is applied"
                + " live: listeners are reopened only when their own keys change; frame limit and heartbeat"
                + " apply to new connections, timeouts and token at once.")
@interface AgentConfiguration {

    @AttributeDefinition(name = "Unix domain socket",
            description = "Listen on ${msf.data}/agent.sock (owner-only, 0600); true or false.")
    boolean unixSocket() default true;

    @AttributeDefinition(name = "TCP host",
            description = "The address the TCP listener binds. Anything but a loopback address requires a token.")
    String tcpHost() default "127.0.0.1";

    @AttributeDefinition(name = "TCP port", min = "-1", max = "" + ListenerSettings.LARGEST_PORT,
            description = "The TCP port; -1 (the default) turns TCP off; 0 binds an ephemeral port (the log names"
                    + " it). To turn TCP on, set 7420 and a token: every local user can reach a loopback port,"
                    + " where the Unix socket is owner-only.")
    int tcpPort() default -1;

    @AttributeDefinition(name = "Token", type = AttributeType.PASSWORD, required = false,
            description = "Shared secret every HELLO must carry (at most 255 UTF-8 bytes); empty = none. Required"
                    + " when tcpHost is not a loopback address. Compared in constant time, never logged.")
    String token() default "";

    @AttributeDefinition(name = "TLS", required = false,
            description = "The TCP listener speaks TLS (JDK provider, TLS 1.3 and 1.2); true or false. The Unix"
                    + " socket stays plain (owner-only). TLS encrypts; it authenticates clients only with"
                    + " tlsClientAuth=require, so beyond loopback the token is still required otherwise.")
    boolean tls() default false;

    @AttributeDefinition(name = "TLS key store", required = false,
            description = "Absolute path of the PKCS12 file (keytool -storetype PKCS12) with the agent's private"
                    + " key and certificate; required with tls=true. Read again when a TCP or tls key changes; one that"
                    + " cannot be read leaves the TCP listener with its previous settings and connections.")
    String tlsKeyStore() default "";

    @AttributeDefinition(name = "TLS key store password", type = AttributeType.PASSWORD, required = false,
            description = "Password of tlsKeyStore and of its key; never logged.")
    String tlsKeyStorePassword() default "";

    @AttributeDefinition(name = "TLS trust store", required = false,
            description = "Absolute path of a PKCS12 file with the client certificates to accept (tlsClientAuth"
                    + " optional or require); empty = none.")
    String tlsTrustStore() default "";

    @AttributeDefinition(name = "TLS trust store password", type = AttributeType.PASSWORD, required = false,
            description = "Password of tlsTrustStore; never logged.")
    String tlsTrustStorePassword() default "";

    // No Metatype options: they would be matched exactly, where the agent reads the word in any case;
    // AgentCheck tells the config gate what the agent takes.
    @AttributeDefinition(name = "TLS client authentication", required = false,
            description = "Whether TLS clients must present a certificate trusted by tlsTrustStore: none, optional"
                    + " (asked for; a client without one is accepted) or require (a client without a trusted"
                    + " certificate is refused), in any case. With require, a tcpHost beyond loopback needs no"
                    + " token: the certificate authenticates the client.")
    String tlsClientAuth() default "none";

    @AttributeDefinition(name = "Largest frame (bytes)", min = "" + Protocol.SMALLEST_FRAME_LIMIT,
            max = "" + BrokerSettings.LARGEST_FRAME_LIMIT,
            description = "The largest frame accepted from a peer, header included (announced in the agent's"
                    + " HELLO); a larger one closes its connection with TOO_LARGE. New connections only.")
    int maxFrameBytes() default 1048576;

    @AttributeDefinition(name = "Heartbeat interval (ms)", min = "0",
            max = "" + BrokerSettings.LONGEST_HEARTBEAT_MILLIS,
            description = "The agent PINGs every peer this often; 0 = no heartbeats. New connections only.")
    int heartbeatMillis() default 5000;

    @AttributeDefinition(name = "Missed heartbeats", min = "1", max = "" + BrokerSettings.MOST_HEARTBEAT_MISSES,
            description = "PONGs a peer may miss in a row; at the next heartbeat it is evicted.")
    int heartbeatMisses() default 3;

    @AttributeDefinition(name = "Default request timeout (ms)", min = "1", max = "2147483647",
            description = "The timeout of a request that names none (timeout field 0).")
    int defaultTimeoutMillis() default 5000;

    @AttributeDefinition(name = "Outbound high-water mark (bytes)",
            min = "" + BrokerSettings.SMALLEST_HIGH_WATER_BYTES, max = "" + BrokerSettings.LARGEST_HIGH_WATER_BYTES,
            description = "Bytes queued for one peer (or one in-container subscription) beyond which it is cut"
                    + " off with OVERLOADED (an in-container subscription drops publications instead, logged when"
                    + " it begins and with the count once its listener is down to half of this).")
    int outboundHighWaterBytes() default 8388608;

    @AttributeDefinition(name = "Most bytes queued for all peers", min = "" + BrokerSettings.SMALLEST_MAX_QUEUED_BYTES,
            max = "2147483647",
            description = "Bytes queued for all connections together (each under its own outboundHighWaterBytes)"
                    + " beyond which the one with the largest queue is cut off with OVERLOADED, and the agent's health"
                    + " is WARN until they are down to half of it. They are direct memory, which every bundle"
                    + " allocates from: keep this well under -XX:MaxDirectMemorySize (by default the heap's -Xmx).")
    int maxQueuedBytes() default BrokerSettings.DEFAULT_MAX_QUEUED_BYTES;

    @AttributeDefinition(name = "Most connections", min = "1", max = "" + ListenerSettings.MOST_CONNECTIONS,
            description = "The most connections each listener (Unix socket, TCP) keeps; more are closed at once. A"
                    + " change keeps the listeners and their connections, also those over a lowered limit; new ones"
                    + " are refused until fewer are open.")
    int maxConnections() default 1024;

    @AttributeDefinition(name = "HELLO timeout (ms)", min = "" + BrokerSettings.SHORTEST_HELLO_TIMEOUT_MILLIS,
            max = "" + BrokerSettings.LONGEST_HELLO_TIMEOUT_MILLIS,
            description = "How long a new connection may take to send its HELLO before it is closed (UNAUTHORIZED).")
    int helloTimeoutMillis() default 10000;

    @AttributeDefinition(name = "Parent agent", required = false,
            description = "The agent of the parent container this (child) container joins: the absolute path of its"
                    + " Unix socket, or tcp://host:port. Empty: the framework property msf.agent.parent, which the"
                    + " supervisor sets for a child container; neither set: no parent. Local names and ids are"
                    + " registered there, and requests to names unknown here go there. A change reconnects at once."
                    + " A parent that is this container itself, or a cycle of parents, is refused (ERROR).")
    String parent() default "";

    @AttributeDefinition(name = "Parent agent's token", type = AttributeType.PASSWORD, required = false,
            description = "The shared secret the parent agent requires (its key 'token'; at most 255 UTF-8 bytes);"
                    + " empty = none. Never logged.")
    String parentToken() default "";

    @AttributeDefinition(name = "Parent agent's TLS trust store", required = false,
            description = "Absolute path of a PKCS12 trust store with the certificate (or its authority) of the"
                    + " parent agent's TCP listener (its tls=true): set, the connections to a tcp:// parent speak"
                    + " TLS and check that the certificate names the parent's host. Empty = plain, which is"
                    + " refused for a parent beyond loopback (the token would cross the network in clear).")
    String parentTlsTrustStore() default "";

    @AttributeDefinition(name = "Parent agent's TLS trust store password", type = AttributeType.PASSWORD,
            required = false, description = "Password of parentTlsTrustStore; never logged.")
    String parentTlsTrustStorePassword() default "";

    @AttributeDefinition(name = "Most exports to the parent", min = "0", max = "100000",
            description = "How many local names and ids are registered in the parent agent at most, each over a"
                    + " connection of its own; the others stay reachable here only (logged once, and counted in"
                    + " agent:peers).")
    int maxExports() default 64;

    @AttributeDefinition(name = "Parent agent's connect timeout (ms)", min = "1", max = "600000", required = false,
            description = "How long one attempt to connect to the parent agent and register there may take before"
                    + " it fails and is tried again after a wait, for each connection to it; 1 to 600000"
                    + " (10 minutes), as a net endpoint's connectTimeoutMillis. A change reconnects at once.")
    int parentConnectTimeoutMillis() default 5000;

    @AttributeDefinition(name = "Parent agent's TLS handshake timeout (ms)", min = "1", max = "600000",
            required = false, description = "How long the TLS handshake of a connection to a tcp:// parent"
                    + " (parentTlsTrustStore set) may take; a slower one fails that attempt. 1 to 600000 (10 minutes),"
                    + " as a net endpoint's tlsHandshakeTimeoutMillis. A change reconnects at once.")
    int parentTlsHandshakeTimeoutMillis() default 10000;
}
