package io.msf.itests;

import static org.junit.Assert.assertArrayEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Echo endpoints as configuration ({@code msf.net.endpoint~<name>}, handled by the network
 * bundle's built-in {@code echo} handler unless told otherwise) and the checks made on them over
 * real sockets.
 */
public final class EchoEndpoints {

    public static final String FACTORY_PID = "msf.net.endpoint";

    /** The network bundle's own echo handler. */
    public static final String BUILT_IN_ECHO = "echo";

    private EchoEndpoints() {
    }

    /** Config Admin properties of a framed TCP echo server on loopback. */
    public static Object[] tcp(int port, Object... more) {
        return with(more, "transport", "tcp-server", "host", "127.0.0.1", "port", port);
    }

    /** Config Admin properties of a framed TCP client of loopback that echoes what its server sends. */
    public static Object[] tcpClient(int port, Object... more) {
        return with(more, "transport", "tcp-client", "host", "127.0.0.1", "port", port);
    }

    /** Config Admin properties of a framed echo server on a Unix domain socket. */
    public static Object[] uds(Path path, Object... more) {
        return with(more, "transport", "uds-server", "path", path.toString());
    }

    /** The lines of a {@code .cfg} file configuring a framed TCP echo server on loopback. */
    public static String[] tcpFile(int port) {
        return new String[] {
            "# framed TCP echo for an integration test",
            "transport = tcp-server",
            "host = 127.0.0.1",
            "port = " + port,
            "handler = " + BUILT_IN_ECHO};
    }

    public static SocketAddress loopback(int port) {
        return new InetSocketAddress("127.0.0.1", port);
    }

    public static SocketAddress socketFile(Path path) {
        return UnixDomainSocketAddress.of(path);
    }

    /** Waits until a frame sent to {@code address} comes back unchanged. */
    public static void awaitEcho(SocketAddress address) {
        Await.until("echo from " + address, () -> echoes(address));
    }

    /** Waits until nothing accepts connections at {@code address} any more. */
    public static void awaitRefused(SocketAddress address) {
        Await.until(address + " refuses connections", () -> FramedClient.refuses(address));
    }

    /** Sends one frame and checks the reply; false if no connection could be made. */
    public static boolean echoes(SocketAddress address) {
        FramedClient client;
        try {
            client = FramedClient.connect(address);
        } catch (IOException notYetListening) {
            return false;
        }
        try (client) {
            assertEcho(client, "hello " + address);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("echo from " + address, e);
        }
    }

    /** Sends {@code text} as a frame and asserts that the same bytes come back as one frame. */
    public static void assertEcho(FramedClient client, String text) throws IOException {
        byte[] sent = text.getBytes(StandardCharsets.UTF_8);
        assertArrayEquals("echoed frame", sent, client.echo(sent));
    }

    /** {@code more} comes last, so that it may override the handler. */
    private static Object[] with(Object[] more, Object... base) {
        List<Object> all = new ArrayList<>(List.of(base));
        all.add("handler");
        all.add(BUILT_IN_ECHO);
        all.addAll(List.of(more));
        return all.toArray();
    }
}
