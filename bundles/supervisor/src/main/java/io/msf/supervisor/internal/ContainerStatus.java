package io.msf.supervisor.internal;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * What a child container says about itself in its status file: the launcher of a child (started
 * with {@code -Dmsf.status.file=<file>}) rewrites it every second as Java properties
 * {@code ready} (true once it printed its ready line), {@code readyMillis}, {@code heapUsed},
 * {@code heapCommitted} and {@code heapMax} (bytes). Reading it costs a small file read instead
 * of a JMX connection to the child.
 *
 * @param ready       the child reported ready
 * @param readyMillis milliseconds from its start (a promoted spare's: from being told) to ready, or
 *                    -1 if not ready or unknown
 * @param heapUsed    heap in use, bytes, or -1 if unknown
 */
record ContainerStatus(boolean ready, long readyMillis, long heapUsed) {

    static final ContainerStatus UNKNOWN = new ContainerStatus(false, -1, -1);

    /** The file's content, or {@link #UNKNOWN} when there is none yet or it cannot be read. */
    static ContainerStatus read(Path file) {
        Properties status = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            status.load(in);
        } catch (IOException | IllegalArgumentException e) {
            return UNKNOWN;
        }
        return new ContainerStatus(Boolean.parseBoolean(status.getProperty("ready")), number(status, "readyMillis"),
                number(status, "heapUsed"));
    }

    private static long number(Properties status, String key) {
        try {
            return Long.parseLong(status.getProperty(key, "-1").trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
