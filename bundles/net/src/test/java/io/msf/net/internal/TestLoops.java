package io.msf.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.msf.event.api.EventLoopService;
import io.msf.event.api.EventLoopStats;
import io.msf.event.api.Transport;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** A stand-in for the event bundle: one small I/O group of the chosen transport. */
final class TestLoops implements EventLoopService, AutoCloseable {

    private final Transport transport;
    private final EventLoopGroup io;

    /**
     * Loops of {@code transport}; epoll only where its native library is a test dependency (Linux
     * x86_64), the test skipped elsewhere, and failing there if the library does not load.
     */
    static TestLoops of(Transport transport) {
        if (transport == Transport.EPOLL) {
            boolean linuxX64 = System.getProperty("os.name").startsWith("Linux")
                    && System.getProperty("os.arch").equals("amd64");
            assumeTrue(linuxX64, "epoll is tested on Linux x86_64, where its native library is a test dependency");
            assertThat(Epoll.isAvailable()).as("epoll native library").isTrue();
        }
        return new TestLoops(transport);
    }

    TestLoops(Transport transport) {
        this.transport = transport;
        this.io = new MultiThreadIoEventLoopGroup(2,
                transport == Transport.EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    @Override
    public EventLoopGroup group(String name) {
        if (!IO_GROUP.equals(name)) {
            throw new IllegalArgumentException("no event-loop group named '" + name + "'");
        }
        return io;
    }

    @Override
    public Set<String> groupNames() {
        return Set.of(IO_GROUP);
    }

    @Override
    public Transport transport() {
        return transport;
    }

    @Override
    public Future<?> submit(String group, Runnable task) {
        return group(group).submit(task);
    }

    @Override
    public ScheduledFuture<?> schedule(String group, Runnable task, long delay, TimeUnit unit) {
        return group(group).schedule(task, delay, unit);
    }

    @Override
    public List<EventLoopStats> stats() {
        return List.of();
    }

    @Override
    public void close() {
        io.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
