package io.msf.files;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Makes a rename in a folder reach the disk. A rename changes the folder, not the file: until the
 * folder's own entries are written out, a crash or a power loss can bring back the name as it was
 * before (the old file, or no file at all), though the new file's text was forced to the disk first.
 * Linux writes them with an fsync of the folder, which Java opens for reading; elsewhere a folder
 * may not be opened so (Windows refuses it, and has no such need), and the sync is skipped.
 */
public final class FolderSync {

    private static final boolean LINUX = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");

    private FolderSync() {
    }

    /**
     * Forces the entries of {@code folder} to the disk, where the platform allows it.
     *
     * @throws IOException on Linux, the folder cannot be opened or synced (elsewhere nothing is thrown)
     */
    public static void sync(Path folder) throws IOException {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            if (LINUX) {
                throw new IOException(folder + " cannot be synced to the disk (a crash now may undo its last rename): "
                        + e.getMessage(), e);
            }
        }
    }
}
