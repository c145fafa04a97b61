package io.msf.shell.internal.console;

import static io.msf.shell.internal.console.SocketFiles.shown;

import io.msf.files.OwnerOnly;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.osgi.service.log.Logger;

/**
 * {@code <msf.data>/msf.sock.path}: one line, the absolute path of the console socket while the
 * console listens, so that {@code bin/msf exec} and {@code console} find a socket configured
 * elsewhere (msf.console {@code socket}). Only the container knows that path: bin/msf cannot read
 * the configuration (a child container's etc/ is not its parent's, Config Admin may have changed
 * it, a relative path is resolved against msf.data), but it knows msf.data.
 *
 * <p>Written owner-only, in the data directory made owner-only, and whole: a temporary file renamed
 * over the old one, so a reader never sees half a path. Removed when the console starts (before it
 * listens): one left by a container that was killed, or by a configuration whose socket is now
 * disabled or cannot be bound, would send bin/msf to a path that may by then be another container's
 * socket. Removed when the console stops too, if it is still the file this console wrote: with the
 * data folder deleted under it, the container stops while a new one may have written its own.
 */
final class SocketPathFile {

    static final String NAME = "msf.sock.path";

    private SocketPathFile() {
    }

    /**
     * @return the identity of the file written, for {@link #removeIfWritten}; null if none was written
     *     or the file system gives files no identity
     */
    static Object write(Path dataDir, Path socket, Logger log) throws IOException {
        String path = socket.toString();
        if (path.indexOf('\n') >= 0 || path.indexOf('\r') >= 0) {
            log.warn("console socket {} has a line break in its path: it is not written to {} and bin/msf finds it "
                    + "only through MSF_CONSOLE_SOCKET", shown(socket), shown(dataDir.resolve(NAME)));
            return null;
        }
        // Whoever may write in msf.data could put another socket's path here: owner-only first.
        SocketFiles.ownerOnlyDataDirectory(dataDir, log);
        Path temporary = Files.createTempFile(dataDir, NAME + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(OwnerOnly.FILE));
        try {
            Files.writeString(temporary, path + "\n", StandardCharsets.UTF_8);
            Object written = SocketFiles.fileKey(temporary); // a rename keeps it
            Files.move(temporary, dataDir.resolve(NAME), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            return written;
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Removes the file if it is still the one {@link #write} made ({@code written}); never throws. */
    static void removeIfWritten(Path dataDir, Object written, Logger log) {
        try {
            if (written != null && written.equals(SocketFiles.fileKey(dataDir.resolve(NAME)))) {
                remove(dataDir, log);
            }
        } catch (NoSuchFileException e) {
            // removed already
        } catch (IOException e) {
            log.warn("could not remove {}: {}", shown(dataDir.resolve(NAME)), shown(e));
        }
    }

    /** Never throws: a failure is logged. */
    static void remove(Path dataDir, Logger log) {
        try {
            Files.deleteIfExists(dataDir.resolve(NAME));
        } catch (IOException e) {
            log.warn("could not remove {}: {}", shown(dataDir.resolve(NAME)), shown(e));
        }
    }
}
