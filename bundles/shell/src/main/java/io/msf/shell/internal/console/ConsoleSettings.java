package io.msf.shell.internal.console;

import io.msf.settings.ConfigValues;
import java.util.function.IntSupplier;

/**
 * The console's configuration, checked: the config gate checks the files in etc/, but a
 * configuration set through Config Admin directly reaches the component as it is (a maxLineBytes of
 * 2 GiB, say), so the bounds its Metatype declares are checked again here.
 */
record ConsoleSettings(boolean enabled, String socket, int maxClients, int maxLineBytes, int outputTimeoutMillis,
        int maxNestedCommands) {

    static final ConsoleSettings DISABLED = new ConsoleSettings(false, "", 0, 0, 0, 0);

    /**
     * @throws IllegalArgumentException naming the PID, the key and why, as {@link ConfigValues} does
     *     for a value it cannot read: {@code msf.console: maxClients: 65 is not in 1..64}
     */
    static ConsoleSettings of(ConsoleConfiguration configured) {
        ConsoleConfiguration config = ConfigValues.naming(ConsoleConfiguration.class, configured, ConsoleServer.PID);
        if (!config.enabled()) {
            return DISABLED;
        }
        if (config.socket() == null || config.socket().isBlank()) {
            throw new IllegalArgumentException(ConsoleServer.PID + ": socket: empty; name the socket file (default"
                    + " msf.sock, in the data folder)");
        }
        return new ConsoleSettings(true, config.socket(), number("maxClients", config::maxClients, 1, 64),
                number("maxLineBytes", config::maxLineBytes, 256, 1_048_576),
                number("outputTimeoutMillis", config::outputTimeoutMillis, 1000, 600_000),
                maxNestedCommands(config));
    }

    /**
     * The bound on nested commands, which the local console's sessions take too, whether the socket listens or not.
     *
     * @throws IllegalArgumentException as {@link #of}
     */
    static int maxNestedCommands(ConsoleConfiguration configured) {
        ConsoleConfiguration config = ConfigValues.naming(ConsoleConfiguration.class, configured, ConsoleServer.PID);
        return number("maxNestedCommands", config::maxNestedCommands, 10, 10_000);
    }

    private static int number(String key, IntSupplier value, int min, int max) {
        int read = value.getAsInt();
        if (read < min || read > max) {
            throw new IllegalArgumentException(ConsoleServer.PID + ": " + key + ": " + read + " is not in " + min
                    + ".." + max);
        }
        return read;
    }
}
