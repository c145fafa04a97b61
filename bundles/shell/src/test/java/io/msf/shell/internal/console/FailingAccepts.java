package io.msf.shell.internal.console;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Unix server channel whose first accepts fail as accept(2) does when the process is out of file
 * descriptors; the ones after accept as the channel it wraps does.
 */
final class FailingAccepts extends ServerSocketChannel {

    static final String TOO_MANY_OPEN_FILES = "Too many open files";

    private final ServerSocketChannel real;
    private final AtomicInteger failuresLeft;

    FailingAccepts(ServerSocketChannel real, int failures) {
        super(real.provider());
        this.real = real;
        this.failuresLeft = new AtomicInteger(failures);
    }

    @Override
    public SocketChannel accept() throws IOException {
        if (failuresLeft.getAndDecrement() > 0) {
            throw new IOException(TOO_MANY_OPEN_FILES);
        }
        return real.accept();
    }

    @Override
    public ServerSocketChannel bind(SocketAddress local, int backlog) throws IOException {
        real.bind(local, backlog);
        return this;
    }

    @Override
    public <T> ServerSocketChannel setOption(SocketOption<T> name, T value) throws IOException {
        real.setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return real.getOption(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return real.supportedOptions();
    }

    @Override
    public ServerSocket socket() {
        return real.socket();
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        return real.getLocalAddress();
    }

    @Override
    protected void implCloseSelectableChannel() throws IOException {
        real.close(); // an accept blocked in it ends, as the listener's close expects
    }

    @Override
    protected void implConfigureBlocking(boolean block) throws IOException {
        real.configureBlocking(block);
    }
}
