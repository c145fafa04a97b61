package io.msf.shell.internal.console;

import static io.msf.shell.internal.console.SocketFiles.shown;

import io.msf.files.DataFolder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.felix.service.command.CommandProcessor;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The remote console, as Karaf's {@code bin/client} attaches to Karaf: a Unix domain socket in
 * the data directory on which {@code bin/msf exec} and {@code bin/msf console} run Gogo
 * commands (protocol: {@link io.msf.shell.protocol}). Its path is written to
 * {@code <msf.data>/msf.sock.path} for bin/msf ({@link SocketPathFile}).
 *
 * <p>A change of the output timeout or of the bound on nested commands applies in place; one of the socket or
 * of a client limit binds a new listener, and the one it replaces serves the clients it has until they leave. A
 * new socket is bound before the old one goes: a path that cannot be used (a folder others may enter, say) is one
 * ERROR line, and the console goes on listening where it did, as the project keeps the last good state.
 *
 * <p>A configuration refused ({@link ConsoleSettings}: a value out of its bounds, say) is one ERROR
 * line naming the key: a change refused leaves the console as it was; refused at start, the console
 * does not listen until a good configuration comes. Failing the component instead left the key in
 * the cause of SCR's stack trace, and a running console closed for a typo.
 */
@Component(configurationPid = ConsoleServer.PID, immediate = true, service = {})
@Designate(ocd = ConsoleConfiguration.class)
public final class ConsoleServer {

    static final String PID = "msf.console";
    /**
     * How often the console looks whether its socket file is still there (a file attribute read); the
     * socket is made again at the second look in a row that misses it.
     */
    static final long SOCKET_CHECK_MILLIS = 2000;
    /** The framework property under which Gogo JLine, and so this console, finds etc/gosh_profile. */
    static final String GOSH_HOME = "gosh.home";

    private final CommandProcessor processor;
    private final SessionProfile profile;
    private final Logger log;
    private final DataFolder folder;
    private ConsoleSettings settings; // guarded by this; null: none in force (refused at start)
    private Path dataDir; // guarded by this
    private Path socket; // guarded by this
    private ConsoleListener listener; // guarded by this; null: not listening
    private Object socketPathFile; // guarded by this; the identity of the msf.sock.path written, null: none
    /** Listeners whose socket file was lost, serving the clients they had until the console stops. Guarded by this. */
    private final List<ConsoleListener> retired = new ArrayList<>();

    /**
     * @throws IOException if the socket cannot be bound owner-only, or the data folder is refused
     *     ({@link DataFolder}: msf.data unset and its default unsafe); the message names the path
     *     and what to change (DS logs it and the component stays unsatisfied until the next
     *     configuration)
     */
    @Activate
    public ConsoleServer(ConsoleConfiguration configured, BundleContext context, @Reference CommandProcessor processor,
            @Reference(service = LoggerFactory.class) Logger log) throws IOException {
        this.processor = processor;
        // the BundleContext as .context: the profile's `addcommand context ${.context}` makes its
        // methods commands (context:bundles, ...), as the profile says
        this.profile = SessionProfile.under(context.getProperty(GOSH_HOME), context);
        this.log = log;
        this.folder = DataFolder.of(context::getProperty);
        ConsoleSettings wanted;
        try {
            wanted = ConsoleSettings.of(configured);
        } catch (IllegalArgumentException e) {
            log.error("{}; the console is not started: bin/msf exec and console cannot attach until a good"
                    + " configuration comes", shown(e.getMessage()));
            return;
        }
        synchronized (this) {
            start(wanted);
        }
    }

    /**
     * A good configuration is applied in place when the listener can keep its socket and client limits, else
     * the console is bound again ({@link #rebind}); one refused leaves it as it was.
     */
    @Modified
    synchronized void modified(ConsoleConfiguration configured) {
        ConsoleSettings wanted;
        try {
            wanted = ConsoleSettings.of(configured);
        } catch (IllegalArgumentException e) {
            log.error("{}; {}", shown(e.getMessage()), listener != null ? "the console stays as it was, listening on "
                    + shown(socket) : "the console stays as it was, not listening");
            return;
        }
        if (wanted.equals(settings) && (listener != null || !wanted.enabled())) {
            return;
        }
        if (listener == null || !wanted.enabled()) {
            if (!wanted.enabled()) {
                stopListening(); // the clients of a console disabled go with it
            }
            try {
                start(wanted);
            } catch (IOException e) {
                log.error("console not started: {}", shown(e.getMessage()));
            }
        } else if (keepsListener(wanted)) {
            listener.tune(Duration.ofMillis(wanted.outputTimeoutMillis()), wanted.maxNestedCommands());
            settings = wanted;
            log.info("console on {} now has outputTimeoutMillis={}, maxNestedCommands={}, its clients connected",
                    shown(socket), wanted.outputTimeoutMillis(), wanted.maxNestedCommands());
        } else {
            rebind(wanted);
        }
    }

    /**
     * Whether the listener in force can take {@code wanted} as it is: same socket and client limits (maxLineBytes
     * is what each client was greeted with).
     */
    private boolean keepsListener(ConsoleSettings wanted) {
        return socketOf(wanted).equals(socket) && wanted.maxClients() == settings.maxClients()
                && wanted.maxLineBytes() == settings.maxLineBytes();
    }

    private Path socketOf(ConsoleSettings wanted) {
        return dataDir.resolve(wanted.socket()).toAbsolutePath().normalize();
    }

    /**
     * Moves the listening console to a new socket, or binds it again for new client limits. A new path is bound
     * before the listener in force is retired, so a path that cannot be used leaves the console where it was;
     * the same path can be bound only once the old listener has let it go, so its folder is checked first.
     * Either way the old listener serves its clients on ({@link ConsoleListener#retire}).
     */
    private void rebind(ConsoleSettings wanted) {
        Path wantedSocket = socketOf(wanted);
        boolean samePath = wantedSocket.equals(socket);
        ConsoleListener opened;
        try {
            dataDir = folder.prepare();
            if (samePath) {
                SocketFiles.secureDirectory(wantedSocket, dataDir, log);
                retire(listener);
            }
            opened = open(wantedSocket, wanted);
        } catch (IOException | RuntimeException e) {
            if (listener != null) {
                log.error("msf.console: socket: cannot listen on {}: {}; the console stays as it was, listening on {}"
                        + " (the next change of the configuration tries again)", shown(wantedSocket),
                        shown(e.getMessage()), shown(socket));
            } else {
                // the same path, refused past the checks made while the old listener still had it
                SocketPathFile.removeIfWritten(dataDir, socketPathFile, log);
                socketPathFile = null;
                log.error("console not started: {}; bin/msf exec and console cannot attach until the msf.console"
                        + " configuration changes or the container restarts", shown(e.getMessage()));
            }
            return;
        }
        if (!samePath) {
            retire(listener);
        }
        listen(opened, wantedSocket, wanted);
    }

    /**
     * Takes the listener out of service, its clients served on until they leave or the console stops. The path
     * written for bin/msf stays: the listener that follows writes its own over it.
     */
    private void retire(ConsoleListener old) {
        old.retire();
        keepForItsClients(old);
    }

    /** Keeps {@code old} for its clients; those retired whose clients have all left (it too) are closed. */
    private void keepForItsClients(ConsoleListener old) {
        retired.add(old);
        // so that a socket deleted or rebound again and again leaves no threads behind
        retired.removeIf(earlier -> {
            if (earlier.hasClients()) {
                return false;
            }
            earlier.close();
            return true;
        });
        listener = null;
    }

    private void start(ConsoleSettings wanted) throws IOException {
        settings = wanted;
        if (!wanted.enabled()) {
            dataDir = folder.path();
            // A disabled console makes nothing. bin/msf reads msf.sock.path only in the msf.data it
            // sets, so the default folder, which a disabled console need not even check, is left alone.
            if (!folder.isDefault()) {
                SocketPathFile.remove(dataDir, log);
            }
            log.info("console disabled (msf.console enabled=false): bin/msf exec and console cannot attach");
            return;
        }
        try {
            dataDir = folder.prepare();
        } catch (IOException e) {
            log.error("console not started: {}", shown(e.getMessage()));
            throw e;
        }
        SocketPathFile.remove(dataDir, log);
        Path wantedSocket = socketOf(wanted);
        listen(open(wantedSocket, wanted), wantedSocket, wanted);
    }

    private ConsoleListener open(Path at, ConsoleSettings wanted) throws IOException {
        return ConsoleListener.open(at, dataDir, wanted.maxClients(), wanted.maxLineBytes(),
                Duration.ofMillis(wanted.outputTimeoutMillis()), wanted.maxNestedCommands(), processor, profile, log);
    }

    /** Makes {@code opened} the console: watched for a lost socket, its path written for bin/msf, told at INFO. */
    private void listen(ConsoleListener opened, Path at, ConsoleSettings wanted) {
        settings = wanted;
        listener = opened;
        socket = at;
        opened.onSocketLost(() -> socketLost(opened), SOCKET_CHECK_MILLIS);
        try {
            socketPathFile = SocketPathFile.write(dataDir, socket, log);
        } catch (IOException e) {
            // The console works; bin/msf looks for it at the default path then, or where it is told.
            log.warn("could not write {}: {}; bin/msf looks for the console at {} unless MSF_CONSOLE_SOCKET names {}",
                    shown(dataDir.resolve(SocketPathFile.NAME)), shown(e), shown(dataDir.resolve("msf.sock")),
                    shown(socket));
        }
        log.info("console listening on {} (maxClients={}, maxLineBytes={}, outputTimeoutMillis={},"
                + " maxNestedCommands={})", shown(socket), wanted.maxClients(), wanted.maxLineBytes(),
                wanted.outputTimeoutMillis(), wanted.maxNestedCommands());
    }

    /**
     * The socket file was deleted (a clean-up, a slip of rm) or replaced while the console listened:
     * bin/msf exec and console found no console until a restart. The console listens there again; the
     * clients connected stay.
     */
    private synchronized void socketLost(ConsoleListener lost) {
        if (listener != lost) {
            return; // rebound or stopped meanwhile
        }
        log.warn("console socket {} was deleted or replaced while the console listened on it: bin/msf exec and"
                + " console could not reach it; listening there again", shown(socket));
        lost.stopAccepting();
        keepForItsClients(lost);
        try {
            start(settings);
        } catch (IOException | RuntimeException e) {
            log.error("console socket {} cannot be made again: {}; bin/msf exec and console cannot attach until the"
                    + " msf.console configuration changes or the container restarts", shown(socket),
                    shown(e.getMessage()));
        }
    }

    private void stopListening() {
        retired.forEach(ConsoleListener::close);
        retired.clear();
        if (listener != null) {
            SocketPathFile.removeIfWritten(dataDir, socketPathFile, log);
            socketPathFile = null;
            listener.close();
            listener = null;
        }
    }

    @Deactivate
    synchronized void stop() {
        stopListening();
    }
}
