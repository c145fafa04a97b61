package io.msf.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.Channel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.Socket;
import io.netty.util.NetUtil;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChannelTypesTest {

    @TempDir
    Path dir;

    /** A socket bound and listening, whose channel cannot be made, is closed: no descriptor left listening. */
    @Test
    void aBoundSocketWhoseChannelCannotBeMadeIsClosed() throws Exception {
        Epoll.ensureAvailability();
        Path path = dir.resolve("s.sock");
        Socket socket = Socket.newSocketDomain();
        socket.bind(new DomainSocketAddress(path.toFile()));
        socket.listen(NetUtil.SOMAXCONN);

        assertThatThrownBy(() -> ChannelTypes.<Channel>adopt(socket, fd -> {
            throw new IllegalStateException("no channel for " + fd);
        })).isInstanceOf(IllegalStateException.class).hasMessageStartingWith("no channel for ");

        assertThat(socket.isOpen()).isFalse();
        try (SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            assertThatThrownBy(() -> client.connect(UnixDomainSocketAddress.of(path)))
                    .isInstanceOf(IOException.class).hasMessageContaining("Connection refused");
        }
    }
}
