package io.msf.agent.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;

import io.msf.agent.internal.uplink.Uplink;
import io.msf.agent.internal.uplink.UplinkSettings;
import io.msf.net.testing.TestKeys;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;
import org.osgi.service.log.Logger;

/**
 * The uplink's attempts to join a parent that never answers give up after the configured
 * parentConnectTimeoutMillis and parentTlsHandshakeTimeoutMillis, not after fixed times.
 */
class UplinkTimeoutsTest {

    /** Well below the 5 s connect timeout and 10 s handshake timeout the uplink had fixed. */
    private static final Duration WITHIN = Duration.ofSeconds(3);

    private final Logger uplinkLog = mock(Logger.class);
    private AgentServer child;
    private Uplink uplink;

    @BeforeEach
    void start() throws Exception {
        child = new AgentServer(AgentServer.quiet());
    }

    @AfterEach
    void stop() throws Exception {
        if (uplink != null) {
            uplink.close();
        }
        child.close();
    }

    @Test
    void aSilentParentFailsAfterTheConfiguredConnectTimeout(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("silent.sock");
        // Bound and listening, never accepting: connected by the kernel, no HELLO ever answered.
        try (ServerSocketChannel silent = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            silent.bind(UnixDomainSocketAddress.of(socket));
            long start = System.nanoTime();
            uplink = new Uplink(UplinkSettings.of(socket.toString(), null, "", "", "",
                    UplinkSettings.DEFAULT_MAX_EXPORTS, 300, 10_000, null), child.broker, uplinkLog);

            assertThat(firstFailure()).contains("within 300 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(WITHIN);
        } finally {
            Files.deleteIfExists(socket);
        }
    }

    @Test
    void aParentThatNeverShakesHandsFailsAfterTheConfiguredHandshakeTimeout(@TempDir Path dir) throws Exception {
        TestKeys keys = TestKeys.in(dir);
        // Accepted by the kernel, never a byte back: the TLS handshake waits for the parent's hello.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            long start = System.nanoTime();
            uplink = new Uplink(UplinkSettings.of("tcp://127.0.0.1:" + silent.getLocalPort(), null, "",
                    keys.serverTrust.toString(), TestKeys.PASSWORD, UplinkSettings.DEFAULT_MAX_EXPORTS, 30_000, 300,
                    null), child.broker, uplinkLog);

            assertThat(firstFailure()).contains("handshake timed out after 300ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(WITHIN);
        }
    }

    /** The reason of the ERROR line the uplink logs when it first cannot join the parent. */
    private String firstFailure() {
        ArgumentCaptor<Object> reason = ArgumentCaptor.forClass(Object.class);
        verify(uplinkLog, timeout(WITHIN.toMillis())).error(contains("cannot join the parent agent"), any(),
                reason.capture());
        return String.valueOf(reason.getValue());
    }
}
