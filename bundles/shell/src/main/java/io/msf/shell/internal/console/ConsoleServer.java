package io.msf.shell.internal.console;

import io.msf.files.DataFolder;
import io.msf.settings.ConfigValues;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.IntSupplier;
import org.apache.felix.service.command.CommandProcessor;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The remote console, as Karaf's {@code bin/client} attaches to Karaf: a Unix domain socket in
 * the data directory on which {@code bin/msf exec} and {@code bin/msf console} run Gogo
 * commands (protocol: {@link io.msf.shell.protocol}). A configuration change rebinds it. Its
 * path is written to {@code <msf.data>/msf.sock.path} for bin/msf ({@link SocketPathFile}).
 */
@Component(configurationPid = ConsoleServer.PID, immediate = true, service = {})
@Designate(ocd = ConsoleConfiguration.class)
public final class ConsoleServer {

    static final String PID = "msf.console";

    private final ConsoleListener listener;
    private final Path dataDir;
    private final Logger log;

    /**
     * @throws IOException if the socket cannot be bound owner-only, or the data folder is refused
     *     ({@link DataFolder}: msf.data unset and its default unsafe); the message names the path
     *     and what to change (DS logs it and the component stays unsatisfied until the next
     *     configuration)
     */
    @Activate
    public ConsoleServer(ConsoleConfiguration configured, BundleContext context, @Reference CommandProcessor processor,
            @Reference(service = LoggerFactory.class) Logger log) throws IOException {
        ConsoleConfiguration config = ConfigValues.naming(ConsoleConfiguration.class, configured, "msf.console");
        this.log = log;
        DataFolder folder = DataFolder.of(context::getProperty);
        if (!config.enabled()) {
            dataDir = folder.path();
            // A disabled console makes nothing. bin/msf reads msf.sock.path only in the msf.data it
            // sets, so the default folder, which a disabled console need not even check, is left alone.
            if (!folder.isDefault()) {
                SocketPathFile.remove(dataDir, log);
            }
            log.info("console disabled (msf.console enabled=false): bin/msf exec and console cannot attach");
            listener = null;
            return;
        }
        try {
            dataDir = folder.prepare();
        } catch (IOException e) {
            log.error("console not started: {}", e.getMessage());
            throw e;
        }
        SocketPathFile.remove(dataDir, log);
        if (config.socket() == null || config.socket().isBlank()) {
            throw new IllegalArgumentException("msf.console socket must name a file, it is empty");
        }
        int maxClients = number("maxClients", config::maxClients, 1, 64);
        int maxLineBytes = number("maxLineBytes", config::maxLineBytes, 256, 1_048_576);
        int outputTimeoutMillis = number("outputTimeoutMillis", config::outputTimeoutMillis, 1000, 600_000);
        Path socket = dataDir.resolve(config.socket()).toAbsolutePath().normalize();
        listener = ConsoleListener.open(socket, dataDir, maxClients, maxLineBytes,
                Duration.ofMillis(outputTimeoutMillis), processor, log);
        try {
            SocketPathFile.write(dataDir, socket, log);
        } catch (IOException e) {
            // The console works; bin/msf looks for it at the default path then, or where it is told.
            log.warn("could not write {}: {}; bin/msf looks for the console at {} unless MSF_CONSOLE_SOCKET names {}",
                    dataDir.resolve(SocketPathFile.NAME), e.toString(), dataDir.resolve("msf.sock"), socket);
        }
        log.info("console listening on {} (maxClients={}, maxLineBytes={}, outputTimeoutMillis={})", socket,
                maxClients, maxLineBytes, outputTimeoutMillis);
    }

    /**
     * The value of one key, within the bounds its Metatype declares: the config gate checks the files
     * in etc/, but a configuration set through Config Admin directly reaches the component as it is
     * (a maxLineBytes of 2 GiB, say).
     */
    private static int number(String key, IntSupplier value, int min, int max) {
        int read = value.getAsInt();
        if (read < min || read > max) {
            throw new IllegalArgumentException("msf.console " + key + " must be in " + min + ".." + max + ", not "
                    + read);
        }
        return read;
    }

    @Deactivate
    void stop() {
        if (listener != null) {
            SocketPathFile.remove(dataDir, log);
            listener.close();
        }
    }
}
