package io.msf.event.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import io.netty.channel.nio.NioIoHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ContainerLoopGroupTest {

    /**
     * Netty's group constructor shuts down the loops it made when a later one cannot be made (no
     * file descriptor left for its selector, say). Those loops must let it: refusing made the
     * constructor fail with "shared by the whole container" instead of the real cause, and left
     * the selectors of the loops made before open.
     */
    @Test
    void aGroupWhoseLoopCannotBeMadeFailsWithTheCauseAndClosesTheLoopsItMade() {
        IoHandlerFactory nio = NioIoHandler.newFactory();
        AtomicInteger made = new AtomicInteger();
        List<IoHandler> handlers = new ArrayList<>();
        AtomicInteger destroyed = new AtomicInteger();
        IoHandlerFactory secondFails = executor -> {
            if (made.incrementAndGet() == 2) {
                throw new IllegalStateException("Too many open files");
            }
            IoHandler real = nio.newHandler(executor);
            IoHandler counted = new IoHandler() {
                @Override
                public void initialize() {
                    real.initialize();
                }

                @Override
                public int run(IoHandlerContext context) {
                    return real.run(context);
                }

                @Override
                public void prepareToDestroy() {
                    real.prepareToDestroy();
                }

                @Override
                public void destroy() {
                    destroyed.incrementAndGet();
                    real.destroy();
                }

                @Override
                public IoRegistration register(IoHandle handle) throws Exception {
                    return real.register(handle);
                }

                @Override
                public void wakeup() {
                    real.wakeup();
                }

                @Override
                public boolean isCompatible(Class<? extends IoHandle> handleType) {
                    return real.isCompatible(handleType);
                }
            };
            handlers.add(counted);
            return counted;
        };

        assertThatThrownBy(() -> new ContainerLoopGroup("test", 2, new LoopThreadFactory("test"), secondFails))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("failed to create a child event loop")
                .hasRootCauseMessage("Too many open files");
        assertThat(handlers).hasSize(1);
        assertThat(destroyed).as("the loop made before the failure was shut down").hasValue(1);
    }
}
