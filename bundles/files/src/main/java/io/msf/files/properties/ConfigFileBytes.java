package io.msf.files.properties;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads a configuration file whole, if it is no larger than a configuration file has reason to be. A file
 * of tens of megabytes put in a watched folder by mistake (a log or a dump named {@code *.cfg}) was read
 * whole and parsed into a map of its keys and their lines, which ran the container out of heap; it then
 * stopped at once ({@code -XX:+ExitOnOutOfMemoryError}), and again at every start, as the file stayed.
 * Every reader of a watched configuration file (the config gate's, and a bundle naming a key's line in
 * a refusal of its own) reads through this, so that no file there is read whole before its size is known.
 */
public final class ConfigFileBytes {

    /** 1 MiB: hundreds of times a configuration with a certificate pasted into it. */
    public static final int MAX_BYTES = 1 << 20;

    private ConfigFileBytes() {
    }

    /**
     * The file's bytes.
     *
     * @throws TooLargeException if it holds more than {@link #MAX_BYTES}, having read no more than that
     * @throws IOException if it cannot be read, or is no regular file (a link to one is read)
     */
    public static byte[] read(Path file) throws IOException {
        // Following links: a link to a configuration file is read. FileInstall passes over a fifo or a
        // device, but the readers that take a file by its name (the write-back of a setting, a bundle
        // naming a key's line) waited on a fifo until something wrote into it, and refused a link to
        // /dev/zero as a file of 0 bytes larger than 1 MiB.
        BasicFileAttributes kind = Files.readAttributes(file, BasicFileAttributes.class);
        if (kind.isDirectory()) {
            throw new IOException("it is a folder, not a file");
        }
        if (!kind.isRegularFile()) {
            throw new IOException("it is not a regular file (a fifo, a device or a socket): a configuration is read"
                    + " only from a regular file");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1); // a file that grows while it is read is bounded all the same
        }
        if (bytes.length > MAX_BYTES) {
            throw new TooLargeException(sizeOf(file));
        }
        return bytes;
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return MAX_BYTES + 1L; // gone meanwhile: it was larger when read
        }
    }

    /** A file larger than {@link #MAX_BYTES}; its message says so, with the size, for people. */
    public static final class TooLargeException extends IOException {

        private static final long serialVersionUID = 1L;

        TooLargeException(long size) {
            super("the file holds " + size + " bytes, more than the " + MAX_BYTES + " (1 MiB) a configuration file"
                    + " may hold: not read (a log or another file put here by mistake?)");
        }
    }
}
