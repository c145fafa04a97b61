package io.msf.event.internal;

import io.msf.event.api.Transport;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import java.util.Locale;

/** Turns the {@code transport} key (auto, epoll, nio) into a transport and its I/O handler factory. */
final class TransportChoice {

    private TransportChoice() {
    }

    static Transport select(String configured) {
        return select(configured, Epoll.isAvailable(), Epoll.isAvailable() ? null : Epoll.unavailabilityCause());
    }

    /** The decision, given whether epoll is available (and why not), so both outcomes can be tested. */
    static Transport select(String configured, boolean epollAvailable, Throwable epollCause) {
        String value = configured == null ? "" : configured.trim().toLowerCase(Locale.ROOT);
        switch (value) {
            case "auto":
                return epollAvailable ? Transport.EPOLL : Transport.NIO;
            case "nio":
                return Transport.NIO;
            case "epoll":
                if (!epollAvailable) {
                    throw new IllegalStateException("transport=epoll: epoll is not available"
                            + " on this machine (" + epollCause + "); use transport=auto or nio", epollCause);
                }
                return Transport.EPOLL;
            default:
                throw new IllegalArgumentException("transport: '" + configured
                        + "' is not one of auto, epoll, nio");
        }
    }

    static IoHandlerFactory ioHandlerFactory(Transport transport) {
        return transport == Transport.EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }
}
