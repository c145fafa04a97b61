package io.msf.client.internal;

import io.msf.concurrent.DetachedThreads;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.InetNameResolver;
import io.netty.resolver.InetSocketAddressResolver;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Looks the agent's host name up at each connection attempt, so that an agent whose address
 * changed (a restarted host or container) is found again; the connection's {@code Bootstrap}
 * asks for it. The JDK's lookup blocks (up to the resolver's timeouts when a DNS server is gone),
 * so it runs on a thread of its own, never on the event loop, which may be shared with other
 * connections ({@code ClientOptions.ioThreads}). A host that does not resolve fails the attempt
 * like a refused connection, naming the host; the next attempt comes after the backoff.
 */
final class HostLookups extends AddressResolverGroup<InetSocketAddress> {

    /** The JDK's lookup, or a test's. */
    @FunctionalInterface
    interface Lookup {
        InetAddress[] allByName(String host) throws UnknownHostException;
    }

    /** The JDK's lookup (its cache included), for every client. */
    static final HostLookups JDK = new HostLookups(InetAddress::getAllByName);

    /** At most this many lookups at a time, for all clients; the others wait their turn. */
    private static final int THREAD_COUNT = 4;
    /** How long a lookup thread with nothing to do lives. */
    private static final long IDLE_SECONDS = 10;

    private final Lookup lookup;
    /**
     * Threads that live while there are lookups to do. A client looks up once per attempt, so the
     * queue holds at most one lookup per client; its threads are bounded, so that many clients
     * reconnecting while DNS is slow do not each get a thread.
     */
    private final ThreadPoolExecutor threads;

    private static ThreadPoolExecutor lookupThreads() {
        ThreadPoolExecutor threads = new ThreadPoolExecutor(THREAD_COUNT, THREAD_COUNT, IDLE_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), HostLookups::newThread);
        threads.allowCoreThreadTimeOut(true);
        return threads;
    }

    /**
     * A lookup thread is made by whichever client's lookup finds none free, on a stack that leads back
     * to the bundle that made the client (its I/O thread inherits from it), and lives while lookups of
     * any client keep coming. Privileged: a thread inherits (on Java 17) the protection domains of every
     * class on its creator's stack, each with its class loader, which would stay in memory after that
     * bundle is updated or uninstalled; and no inheritable thread locals or context class loader, whose
     * values may be a bundle's.
     */
    private static Thread newThread(Runnable task) {
        return DetachedThreads.newThread(task, "msf-client-lookup");
    }

    /** With threads of its own: the JDK's instance is the one every client shares. */
    HostLookups(Lookup lookup) {
        this.lookup = lookup;
        this.threads = lookupThreads();
    }

    /** How many lookup threads live now. */
    int threadCount() {
        return threads.getPoolSize();
    }

    /** Ends the lookup threads too, once their lookups are done. */
    @Override
    public void close() {
        super.close();
        threads.shutdown();
    }

    @Override
    protected AddressResolver<InetSocketAddress> newResolver(EventExecutor loop) {
        return new InetSocketAddressResolver(loop, new InetNameResolver(loop) {
            @Override
            protected void doResolve(String host, Promise<InetAddress> promise) {
                threads.execute(() -> {
                    try {
                        promise.trySuccess(allByName(host)[0]);
                    } catch (UnknownHostException | RuntimeException e) {
                        promise.tryFailure(e);
                    }
                });
            }

            @Override
            protected void doResolveAll(String host, Promise<List<InetAddress>> promise) {
                threads.execute(() -> {
                    try {
                        promise.trySuccess(List.of(allByName(host)));
                    } catch (UnknownHostException | RuntimeException e) {
                        promise.tryFailure(e);
                    }
                });
            }
        });
    }

    /** The addresses of {@code host}; the failure names it as the agent's host. */
    private InetAddress[] allByName(String host) throws UnknownHostException {
        try {
            InetAddress[] addresses = lookup.allByName(host);
            if (addresses.length == 0) {
                throw new UnknownHostException("no address");
            }
            return addresses;
        } catch (UnknownHostException e) {
            UnknownHostException named = new UnknownHostException("the agent's host " + host
                    + " could not be looked up" + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
            named.initCause(e);
            throw named;
        }
    }
}
