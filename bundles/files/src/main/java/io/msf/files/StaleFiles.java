package io.msf.files;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/**
 * Removes what a writer killed halfway left under a temporary name: the config write-back's and the
 * deployer's leftovers. Only in one folder, not below it; only a regular file (never a link, which may
 * point at anybody's file); only one its writer would have touched since {@code before} if it were still
 * writing it.
 */
public final class StaleFiles {

    private StaleFiles() {
    }

    /**
     * Removes each regular file directly in {@code dir} whose name {@code ours} accepts and that was
     * last modified before {@code before}, adding it to {@code removed}. A folder that is not there has
     * nothing to remove; a file gone by the time it is looked at or removed (another container starting
     * on the same folder removed it) is not counted and does not stop the others.
     *
     * @throws IOException the folder cannot be listed, or a file removed (those removed before stay removed)
     */
    public static void remove(Path dir, Predicate<String> ours, Instant before, List<Path> removed) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, f -> ours.test(f.getFileName().toString()))) {
            for (Path file : files) {
                try {
                    if (isStale(file, before)) {
                        Files.delete(file);
                        removed.add(file);
                    }
                } catch (NoSuchFileException e) {
                    // removed meanwhile, at any step: by another container starting on the same folder
                }
            }
        } catch (DirectoryIteratorException e) {
            // the folder's entries could not be read once the listing began: unchecked in the JDK, an
            // IOException here, as the callers catch and report one
            throw e.getCause();
        }
    }

    /**
     * Whether {@code file} is a regular file last modified before {@code before}: kind and time read at
     * once, leaving no second look for the file to vanish before. One that cannot be looked at is not
     * stale, as {@link Files#isRegularFile} took it.
     *
     * @throws NoSuchFileException it is gone
     */
    private static boolean isStale(Path file, Instant before) throws NoSuchFileException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException gone) {
            throw gone;
        } catch (IOException cannotLook) {
            return false;
        }
        return attributes.isRegularFile() && attributes.lastModifiedTime().toInstant().isBefore(before);
    }
}
