package io.msf.event.internal;

import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SingleThreadIoEventLoop;
import io.netty.util.concurrent.Future;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * A container event-loop group whose loops cannot be shut down one at a time. Bundles reach the
 * loops themselves ({@code group.next()}, {@code channel.eventLoop()}), and they are not wrapped:
 * Netty and the agent compare them by identity. A loop shut down on its own would stay in the group,
 * and every channel later placed on it would fail. So a loop ends only with its group, which msf
 * alone shuts down ({@link #shutDownForContainer}); bundles get the group through
 * {@link SharedLoopGroup}, and the group itself through a loop's {@code parent()}, whose shutdown
 * methods refuse as well.
 */
final class ContainerLoopGroup extends MultiThreadIoEventLoopGroup {

    private final String name;
    private volatile boolean shuttingDown;
    /**
     * Set once the constructor has made every loop. Before, Netty's constructor shuts down the loops
     * it made when a later one cannot be made (no file descriptor for its selector, say): they must
     * let it, or that failure would read as a refused shutdown and their selectors stay open.
     */
    private volatile boolean made;

    ContainerLoopGroup(String name, int threads, ThreadFactory threadFactory, IoHandlerFactory ioHandlerFactory) {
        super(threads, threadFactory, ioHandlerFactory);
        this.name = name;
        this.made = true;
    }

    @Override
    protected IoEventLoop newChild(Executor executor, IoHandlerFactory ioHandlerFactory, Object... args) {
        return new ContainerLoop(this, executor, ioHandlerFactory);
    }

    /** msf's own shutdown of the group (msf.event changed, or the event bundle stops); the loops follow. */
    Future<?> shutDownForContainer(long quietPeriod, long timeout, TimeUnit unit) {
        shuttingDown = true;
        return super.shutdownGracefully(quietPeriod, timeout, unit);
    }

    /** Refused: a bundle reaches the group as a loop's {@code parent()}. */
    @Override
    public Future<?> shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit) {
        checkShutDownByContainer();
        return super.shutdownGracefully(quietPeriod, timeout, unit);
    }

    /** Refused, as {@link #shutdownGracefully(long, long, TimeUnit)}; so is {@code shutdownNow()}, which calls it. */
    @Override
    @Deprecated
    public void shutdown() {
        checkShutDownByContainer();
        super.shutdown();
    }

    private void checkShutDownByContainer() {
        if (!shuttingDown) {
            throw new UnsupportedOperationException("the event-loop group '" + name + "' is shared by the whole"
                    + " container and is shut down by msf, not by a bundle");
        }
    }

    /** One loop of the group: it follows the group's shutdown and refuses one of its own. */
    private static final class ContainerLoop extends SingleThreadIoEventLoop {

        private final ContainerLoopGroup group;

        ContainerLoop(ContainerLoopGroup group, Executor executor, IoHandlerFactory ioHandlerFactory) {
            super(group, executor, ioHandlerFactory);
            this.group = group;
        }

        private void checkGroupShutsDown() {
            if (group.made && !group.shuttingDown) {
                throw new UnsupportedOperationException("a loop of the event-loop group '" + group.name
                        + "' is shared by the whole container and stops with its group, which msf shuts down");
            }
        }

        @Override
        public Future<?> shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit) {
            checkGroupShutsDown();
            return super.shutdownGracefully(quietPeriod, timeout, unit);
        }

        @Override
        @Deprecated
        public void shutdown() {
            checkGroupShutsDown();
            super.shutdown();
        }
    }
}
