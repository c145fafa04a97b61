package io.msf.files;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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
     * nothing to remove.
     *
     * @throws IOException the folder cannot be listed, or a file removed (those removed before stay removed)
     */
    public static void remove(Path dir, Predicate<String> ours, Instant before, List<Path> removed) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, f -> ours.test(f.getFileName().toString()))) {
            for (Path file : files) {
                if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                        && Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(before)) {
                    try {
                        Files.delete(file);
                        removed.add(file);
                    } catch (NoSuchFileException e) {
                        // removed meanwhile: by another container starting on the same folder
                    }
                }
            }
        }
    }
}
