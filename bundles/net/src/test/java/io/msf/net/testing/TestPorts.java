package io.msf.net.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Loopback TCP ports for tests that choose the port a server binds: one stopped and started again
 * on its port, an endpoint moved to a port its configuration gives. In the test-jar of msf-net for
 * the other modules' tests.
 *
 * <p>A port the kernel hands out (bind to port 0, then close) is an ephemeral one: until the test
 * binds it, the local end of any connection made meanwhile, in this JVM or another, may take it, and
 * while a server is stopped, a client reconnecting to it may find another test's server there. These
 * ports are below the kernel's ephemeral range, which it never hands out, and in this test JVM's
 * share of that range ({@code msf.test.jvm}: its number and how many, which the build sets), so
 * that a test JVM running beside it ({@code -Dmsf.test.forks=2}) never picks the same one. Within a
 * JVM they are handed out in turn, so two tests never get the same one either.
 */
public final class TestPorts {

    private static final int FIRST;
    private static final int COUNT;
    private static final AtomicInteger NEXT;

    static {
        // "<number>/<how many>", as the build sets it; one JVM alone otherwise (a test run from an IDE)
        String[] jvm = System.getProperty("msf.test.jvm", "1/1").split("/");
        int forks = Math.max(Integer.parseInt(jvm[1]), 1);
        int fork = Math.min(Math.max(Integer.parseInt(jvm[0]), 1), forks);
        int below = ephemeralRangeStart();
        COUNT = (below - below / 2) / forks;
        FIRST = below / 2 + COUNT * (fork - 1);
        NEXT = new AtomicInteger(ThreadLocalRandom.current().nextInt(COUNT));
    }

    private TestPorts() {
    }

    /** A port of this JVM's share that no socket holds now. */
    public static int free() {
        for (int attempt = 1; attempt <= 100; attempt++) {
            int port = FIRST + Math.floorMod(NEXT.getAndIncrement(), COUNT);
            try (ServerSocket probe = new ServerSocket()) {
                probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return port;
            } catch (IOException taken) {
                // held by some process outside the tests: the next one
            }
        }
        throw new IllegalStateException("no free loopback port in " + FIRST + ".." + (FIRST + COUNT - 1)
                + " in 100 attempts");
    }

    /**
     * Read as lines: a sysctl file such as this one reads as empty from any offset but 0, and
     * Files.readString reads its first byte alone first ("3" for "32768 60999").
     */
    private static int ephemeralRangeStart() {
        try {
            return Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0)
                    .trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException notLinux) {
            return 32768; // Linux's default, and below the IANA range other systems use
        }
    }
}
