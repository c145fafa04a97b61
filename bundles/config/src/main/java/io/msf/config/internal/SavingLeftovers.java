package io.msf.config.internal;

import io.msf.files.StaleFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The text {@link ConfigFileSaver} wrote beside a file and never renamed over it: the container was
 * killed, or the machine lost power, in the middle of a write-back. FileInstall ignores such a file
 * (its name ends in neither .cfg nor .config), so nothing ever removed it, and they piled up in etc/.
 *
 * <p>Only a file named exactly as the saver names its text ({@code .<file>.cfg.<digits>.saving} or
 * {@code .config}), directly in a watched folder, a regular file (not a link), and last modified
 * {@link #MIN_AGE} ago or more: the cleaning runs on the write-back's own thread before its first save, so
 * none of its own writes is under way, and a write of another saver (a stopping container's, which
 * gives up its saves 10 s into the stop) touched its file within that time.
 */
final class SavingLeftovers {

    /** Far longer than a write-back takes from its first byte to its rename, or a stop waits for one. */
    static final Duration MIN_AGE = Duration.ofMinutes(1);

    /** The names {@link ConfigFileSaver#partialName} gives: Files.createTempFile puts an unsigned long in the middle. */
    private static final Pattern NAME = Pattern.compile("\\..+\\.(cfg|config)\\.[0-9]+"
            + Pattern.quote(ConfigFileSaver.PARTIAL_SUFFIX));

    private SavingLeftovers() {
    }

    static boolean isLeftoverName(String name) {
        return NAME.matcher(name).matches();
    }

    /**
     * Removes the leftovers of {@code watchedDirs} last modified before {@code now} minus {@link #MIN_AGE}.
     *
     * @return the files removed
     * @throws IOException a folder cannot be listed, or a leftover removed (those removed before stay removed)
     */
    static List<Path> remove(List<Path> watchedDirs, Instant now) throws IOException {
        List<Path> removed = new ArrayList<>();
        Instant before = now.minus(MIN_AGE);
        for (Path dir : watchedDirs) {
            // skips a watched folder that is not there: FileInstall warns of it
            StaleFiles.remove(dir, SavingLeftovers::isLeftoverName, before, removed);
        }
        return removed;
    }
}
