package io.msf.net.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.net.testing.TestPorts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The ports tests choose for themselves stay out of the kernel's ephemeral range and never repeat in
 * a JVM. Every FakeAgent was once on port 1 or 2: the range was read with Files.readString, which of
 * a sysctl file gets its first byte alone, "3", so test JVMs side by side took each other's port.
 */
class TestPortsTest {

    @Test
    void portsAreFreeBelowTheEphemeralRangeAndEachOnlyOnce() throws IOException {
        int ephemeralStart = Integer.parseInt(new String(
                new ProcessBuilder("cat", "/proc/sys/net/ipv4/ip_local_port_range").start().getInputStream()
                        .readAllBytes()).trim().split("\\s+")[0]);
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            int port = TestPorts.free();
            assertThat(port).isBetween(ephemeralStart / 2, ephemeralStart - 1);
            assertThat(ports.add(port)).as("port %d handed out twice", port).isTrue();
            try (ServerSocket server = new ServerSocket()) {
                server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            }
        }
    }
}
