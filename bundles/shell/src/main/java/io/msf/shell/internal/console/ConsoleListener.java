package io.msf.shell.internal.console;

import io.msf.shell.protocol.Frame;
import io.msf.shell.protocol.FrameWriter;
import java.io.IOException;
import java.net.BindException;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.felix.service.command.CommandProcessor;
import org.osgi.service.log.Logger;

/**
 * Listens on the console socket and serves each client on its own thread, at most
 * {@code maxClients} at a time; one more is told so and closed. Plain JDK blocking sockets: the
 * console must work when the network service does not. A blocking write has no timeout of its
 * own, so one watcher thread looks at every client for output left unread past the output timeout.
 */
final class ConsoleListener implements AutoCloseable {

    private static final long ACCEPT_RETRY_MILLIS = 1000;
    /**
     * The longest path the JDK binds a Unix socket at on Linux: the kernel's sun_path holds 108 bytes,
     * and the JDK keeps two of them back (MAX_UNIX_DOMAIN_PATH_LEN: a NUL at the end, and one at the
     * start of an abstract name), refusing 107 with "path too long" where a native server (the network
     * service's, Netty's) still binds it. On macOS sun_path holds 104: 102.
     */
    static final int JDK_MAX_PATH_BYTES = 106;
    private static final long STOP_WAIT_MILLIS = 2000;

    private final Path socket;
    /** As the log lines show it ({@link SocketFiles#shown}). */
    private final String shownSocket;
    private final int maxClients;
    private final int maxLineBytes;
    private volatile Duration outputTimeout;
    private final NestedCommands nestedCommands;
    private final CommandProcessor processor;
    private final SessionProfile profile;
    private final Logger log;
    private final ServerSocketChannel server;
    private final Object socketFileKey;
    private final Semaphore slots;
    private final Map<ConsoleConnection, Thread> clients = new ConcurrentHashMap<>();
    private final AtomicInteger lastClientId = new AtomicInteger();
    private final Thread acceptor;
    /** The acceptor's failures, told once a minute; its thread's alone. */
    private final AcceptFailureLog acceptFailures;
    private final ScheduledExecutorService watcher;
    private volatile boolean socketGivenUp;
    private ScheduledFuture<?> cutting; // guarded by this; the look for clients that do not read

    private ConsoleListener(Path socket, int maxClients, int maxLineBytes, Duration outputTimeout,
            NestedCommands nestedCommands, CommandProcessor processor, SessionProfile profile, Logger log,
            ServerSocketChannel server, Object socketFileKey) {
        this.socket = socket;
        this.shownSocket = SocketFiles.shown(socket);
        this.maxClients = maxClients;
        this.maxLineBytes = maxLineBytes;
        this.outputTimeout = outputTimeout;
        this.nestedCommands = nestedCommands;
        this.processor = processor;
        this.profile = profile;
        this.log = log;
        this.server = server;
        this.socketFileKey = socketFileKey;
        this.slots = new Semaphore(maxClients);
        this.acceptFailures = new AcceptFailureLog(socket, log, System::nanoTime);
        this.acceptor = new Thread(this::acceptClients, "msf-console-accept");
        acceptor.setDaemon(true);
        this.watcher = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "msf-console-watch");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Binds the socket (owner-only, replacing a stale one) and starts accepting clients.
     *
     * @param socket absolute path of the socket file
     * @param dataDir the container's data directory, made owner-only when the socket is in it
     * @param outputTimeout how long a client may leave a frame of output unread before it is cut
     * @param maxNestedCommands nested commands the running command lines may have under way, all clients together
     *     ({@link NestedCommands})
     * @param profile what each client's session starts with
     */
    static ConsoleListener open(Path socket, Path dataDir, int maxClients, int maxLineBytes, Duration outputTimeout,
            int maxNestedCommands, CommandProcessor processor, SessionProfile profile, Logger log) throws IOException {
        return open(socket, dataDir, maxClients, maxLineBytes, outputTimeout, maxNestedCommands, processor, profile,
                log, () -> ServerSocketChannel.open(StandardProtocolFamily.UNIX));
    }

    /** How the listener's server channel is made: a Unix one, but in tests whose accepts fail. */
    @FunctionalInterface
    interface ServerChannels {
        ServerSocketChannel open() throws IOException;
    }

    /**
     * As {@link #open(Path, Path, int, int, Duration, int, CommandProcessor, SessionProfile, Logger)}, the server
     * channel made by {@code channels}.
     */
    static ConsoleListener open(Path socket, Path dataDir, int maxClients, int maxLineBytes, Duration outputTimeout,
            int maxNestedCommands, CommandProcessor processor, SessionProfile profile, Logger log,
            ServerChannels channels) throws IOException {
        if (maxClients < 1) {
            throw new IllegalArgumentException("msf.console: maxClients: " + maxClients + " is below 1");
        }
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("msf.console: maxLineBytes: " + maxLineBytes + " is below 1");
        }
        if (outputTimeout.isNegative() || outputTimeout.isZero()) {
            throw new IllegalArgumentException("msf.console: outputTimeoutMillis: " + outputTimeout.toMillis()
                    + " is not positive");
        }
        NestedCommands nestedCommands = new NestedCommands(maxNestedCommands);
        Objects.requireNonNull(processor, "processor");
        Objects.requireNonNull(profile, "profile");
        SocketFiles.secureDirectory(socket, dataDir, log);
        SocketFiles.removeStale(socket, log);
        ServerSocketChannel server = channels.open();
        Object created = null;
        ConsoleListener listener = null;
        try {
            bind(server, socket, maxClients);
            created = SocketFiles.fileKey(socket);
            SocketFiles.ownerOnlySocket(socket);
            SocketFiles.requireOwnDirectories(socket, dataDir);
            listener = new ConsoleListener(socket, maxClients, maxLineBytes, outputTimeout, nestedCommands, processor,
                    profile, log, server, created);
            listener.watchOutput();
            listener.acceptor.start();
            return listener;
        } catch (IOException | RuntimeException e) {
            if (listener != null) {
                listener.watcher.shutdownNow();
            }
            server.close();
            // Only the file our bind made: when the bind failed, what is there is another
            // process's (one that bound the path after the check for a stale socket), live.
            if (created != null) {
                SocketFiles.removeOwn(socket, created, log);
            }
            throw e;
        }
    }

    private static void bind(ServerSocketChannel server, Path socket, int backlog) throws IOException {
        try {
            server.bind(UnixDomainSocketAddress.of(socket), backlog);
        } catch (SocketException e) {
            throw new IOException("cannot bind console socket " + socket + ": " + e.getMessage() + "; "
                    + bindHint(socket, e), e);
        }
    }

    /**
     * What to change, by the cause. The JDK checks the length itself before binding ("Unix domain
     * path too long"; the kernel would say "File name too long"), so the message tells a path
     * that is too long from the rest: a hint about the length on a refused permission or a path
     * in use sends the operator the wrong way.
     */
    private static String bindHint(Path socket, SocketException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("too long")) {
            return "the path is " + socket.toString().getBytes(StandardCharsets.UTF_8).length + " bytes, and the JDK"
                    + " binds a Unix socket at a path of at most " + JDK_MAX_PATH_BYTES + " bytes on Linux (102 on"
                    + " macOS): use a shorter msf.data or an absolute msf.console socket";
        }
        if (e instanceof BindException && message.contains("in use")) {
            // The stale check found the path free: something bound it in the meantime.
            return "another process bound it after the check for a stale socket: is another container "
                    + "starting with the same msf.console socket?";
        }
        return "check that the user running the container can create a file in " + socket.getParent();
    }

    /** Looks at every client for output left unread, often enough to cut one at most 10 % late. */
    private synchronized void watchOutput() {
        long period = Math.max(1, outputTimeout.toMillis() / 10);
        cutting = watcher.scheduleWithFixedDelay(this::cutClientsNotReading, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Takes a new output timeout and bound on nested commands without binding again: the clients connected keep
     * their connection, the timeout applies to output from the next look on, the bound to nested commands started
     * from now on.
     *
     * @throws IllegalArgumentException for a timeout that is not positive or a bound below 1
     */
    synchronized void tune(Duration outputTimeout, int maxNestedCommands) {
        if (outputTimeout.isNegative() || outputTimeout.isZero()) {
            throw new IllegalArgumentException("msf.console: outputTimeoutMillis: " + outputTimeout.toMillis()
                    + " is not positive");
        }
        nestedCommands.max(maxNestedCommands);
        if (!outputTimeout.equals(this.outputTimeout)) {
            this.outputTimeout = outputTimeout;
            // the look's period follows the timeout, so that a shorter one is not kept late by a long period
            cutting.cancel(false);
            watchOutput();
        }
    }

    /**
     * Calls {@code lost} once, from the watcher thread, when the socket file this listener bound is no
     * longer at its path (deleted, or replaced by another file) while its folder is still there: a client
     * could not connect any more, though the console listens. A folder gone is left to the launcher,
     * which stops the container when its data folder goes ({@code DataFolderWatch}); so that an
     * {@code rm -rf} of the folder caught half way is not taken for a socket deleted alone (a socket made
     * again there would fail the rm), the file must be missing at two looks in a row.
     */
    void onSocketLost(Runnable lost, long periodMillis) {
        watcher.scheduleWithFixedDelay(new Runnable() {
            private int missed;
            private boolean told;

            @Override
            public void run() {
                missed = socketLost() ? missed + 1 : 0;
                if (!told && missed >= 2) {
                    told = true;
                    try {
                        lost.run();
                    } catch (RuntimeException e) {
                        log.error("console {}: making its socket again failed: {}", shownSocket, SocketFiles.shown(e));
                    }
                }
            }
        }, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    private boolean socketLost() {
        if (!server.isOpen() || !Files.isDirectory(socket.getParent())) {
            return false;
        }
        try {
            return !Objects.equals(SocketFiles.fileKey(socket), socketFileKey);
        } catch (NoSuchFileException gone) {
            return true;
        } catch (IOException e) {
            return false; // cannot be told: leave it
        }
    }

    /**
     * Takes no more clients, its socket file lost ({@link #onSocketLost}); those connected are served on
     * until they leave or {@link #close}, which then leaves the path alone: what is there is not this
     * listener's.
     */
    void stopAccepting() {
        socketGivenUp = true;
        closeServer();
    }

    /**
     * Takes no more clients and removes its socket file (if still its own), so that a listener bound for a new
     * configuration may take the path; those connected are served on, with the settings they were greeted with,
     * until they leave or {@link #close}. Cutting them instead dropped a command under way without a word.
     */
    void retire() {
        stopAccepting();
        SocketFiles.removeOwn(socket, socketFileKey, log);
    }

    boolean hasClients() {
        return !clients.isEmpty();
    }

    private void cutClientsNotReading() {
        try {
            clients.forEach((connection, thread) -> {
                if (connection.cutIfOutputUnread(outputTimeout)) {
                    thread.interrupt(); // the command, which may go on printing into the closed channel
                }
            });
        } catch (RuntimeException e) {
            // A periodic task that throws is never run again: no client would be cut after it.
            log.error("console {}: looking for clients that do not read failed: {}", shownSocket,
                    SocketFiles.shown(e));
        }
    }

    private void acceptClients() {
        try {
            while (server.isOpen()) {
                SocketChannel client;
                try {
                    client = server.accept();
                } catch (ClosedChannelException stopping) {
                    return;
                } catch (IOException e) {
                    // Such as too many open files: say so, once a minute, and back off instead of spinning.
                    acceptFailures.failed(e.toString());
                    if (!pause()) {
                        return;
                    }
                    continue;
                }
                acceptFailures.accepted();
                serve(client, lastClientId.incrementAndGet());
            }
        } catch (RuntimeException | Error e) {
            // Nobody would accept after this thread: rather than leave the socket queueing
            // connections no one answers (each client waiting for its greeting until it gives
            // up), stop listening, so that clients are refused at once.
            log.error("console {}: stopped accepting clients: {}", shownSocket, SocketFiles.shown(e));
            closeServer();
            throw e;
        } finally {
            // closed within a minute of failures: its count would be told by nothing else
            acceptFailures.stopped();
        }
    }

    private void serve(SocketChannel client, int id) {
        if (!slots.tryAcquire()) {
            log.warn("console client #{} refused: {} clients are connected (msf.console maxClients)", id, maxClients);
            refuse(client, id, "too many console clients: " + maxClients
                    + " are connected (msf.console maxClients); try again later");
            return;
        }
        ConsoleConnection connection = null;
        try {
            connection = new ConsoleConnection(id, client, processor, profile, maxLineBytes, nestedCommands, log);
            Thread thread = clientThread(connection, id);
            clients.put(connection, thread);
            thread.start();
            log.debug("console client #{} connected", id);
        } catch (OutOfMemoryError | RuntimeException e) {
            // Most often no thread could be made or started ("unable to create native thread":
            // a process or memory limit). That is this client's loss, not the console's: its slot
            // goes back, it is told why, and the next client may find a thread again. Any other
            // Error (a broken VM) is not for the console to carry on after; it ends the acceptor.
            if (connection != null) {
                clients.remove(connection);
            }
            slots.release();
            refuse(client, id, "the container cannot serve a console client now: " + e.getMessage());
            log.error("console client #{}: cannot serve it: {}", id, e.toString());
        }
    }

    private Thread clientThread(ConsoleConnection connection, int id) {
        Thread thread = new Thread(() -> {
            try {
                connection.run();
            } finally {
                clients.remove(connection);
                slots.release();
            }
        }, "msf-console-client-" + id);
        thread.setDaemon(true);
        return thread;
    }

    /**
     * Tells a client why it is not served, instead of HELLO, and closes its connection. Telling
     * is a courtesy that may fail, out of memory too; the close is not.
     */
    private void refuse(SocketChannel client, int id, String reason) {
        try (client) {
            FrameWriter.ofServerFrames(client).write(Frame.fail(reason));
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            log.debug("console client #{}: could not tell it why: {}", id, e.toString());
        }
    }

    private static boolean pause() {
        try {
            Thread.sleep(ACCEPT_RETRY_MILLIS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Stops accepting, closes every client (a command still running is interrupted) and removes
     * the socket file, unless another process has put its own socket there in the meantime.
     */
    @Override
    public void close() {
        closeServer();
        // Not shutdownNow: a listener whose socket was lost is closed on its own watcher thread, which then
        // makes the socket again (onSocketLost), and the interrupt failed that (the look whether a
        // stale socket left at the path is live). Shutting down cancels the periodic looks all the same.
        watcher.shutdown();
        // First the acceptor, so that no client is added after the others were closed.
        awaitEnd(acceptor, STOP_WAIT_MILLIS);
        clients.forEach((connection, thread) -> {
            connection.close();
            thread.interrupt();
        });
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_WAIT_MILLIS);
        for (Thread thread : clients.values()) {
            awaitEnd(thread, Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        if (!socketGivenUp) {
            SocketFiles.removeOwn(socket, socketFileKey, log);
        }
    }

    private void closeServer() {
        try {
            server.close();
        } catch (IOException e) {
            log.debug("console {}: close failed: {}", shownSocket, SocketFiles.shown(e));
        }
    }

    private static void awaitEnd(Thread thread, long millis) {
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
