package io.msf.agent.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.net.api.EndpointSpec;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Unix-socket peer is named by the socket path the operator configured: on NIO, in a folder others may
 * enter, the socket is bound in a private folder and then linked under its name, and each connection's
 * own local address keeps naming that first, since removed, path.
 */
class UnixOriginTest {

    @TempDir
    Path dataDir;
    private NetworkAgent agent;

    @AfterEach
    void stop() {
        agent.close();
    }

    @Test
    void aUnixSocketPeerIsNamedByThePathItConnectedTo() throws Exception {
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        agent = new NetworkAgent(dataDir, 60_000);
        agent.open(EndpointSpec.udsServer("agent-uds", "agent.sock"));
        Path socket = dataDir.resolve("agent.sock");

        TestPeer peer = agent.connect(UnixDomainSocketAddress.of(socket)).register(0, "local");

        assertThat(agent.peer(peer.id).origin).startsWith("unix " + socket + " #");
    }
}
