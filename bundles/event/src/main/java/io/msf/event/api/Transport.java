package io.msf.event.api;

/** The I/O mechanism behind the event loops. */
public enum Transport {
    /** Linux epoll through Netty's native transport; also offers Unix domain sockets. */
    EPOLL,
    /** Java NIO; portable, and Unix domain sockets on JDK 16 and later. */
    NIO
}
