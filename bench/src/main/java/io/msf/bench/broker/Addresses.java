package io.msf.bench.broker;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/** Agent addresses on the command line: {@code uds:<socket file>} or {@code tcp:<port>} (loopback). */
final class Addresses {

    private Addresses() {
    }

    static SocketAddress parse(String text) {
        if (text.startsWith("uds:")) {
            return UnixDomainSocketAddress.of(Path.of(text.substring(4)));
        }
        if (text.startsWith("tcp:")) {
            return new InetSocketAddress("127.0.0.1", Integer.parseInt(text.substring(4)));
        }
        throw new IllegalArgumentException("address '" + text + "': expected uds:<file> or tcp:<port>");
    }

    static String format(SocketAddress address) {
        return address instanceof UnixDomainSocketAddress uds
                ? "uds:" + uds.getPath()
                : "tcp:" + ((InetSocketAddress) address).getPort();
    }
}
