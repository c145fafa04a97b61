package io.msf.config.internal;

import io.msf.files.FileInstallFolders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Whether a file is one of those FileInstall watches: of a folder it watches ({@link FileInstallFolders}). */
final class WatchedFolders {

    private WatchedFolders() {
    }

    /**
     * Whether {@code file} lies directly in one of the watched folders, however either path is
     * spelled, as the file system resolves the file's folder: not normalized first, since
     * {@code link/..} is the folder above the link's target, not the watched folder (FileInstall's own
     * file keys are canonical).
     */
    static boolean holds(List<Path> watchedDirs, Path file) {
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null) {
            return false;
        }
        for (Path watched : watchedDirs) {
            try {
                if (Files.isDirectory(watched) && Files.isSameFile(dir, watched)) {
                    return true;
                }
            } catch (IOException e) {
                // the file's folder is gone or cannot be read: it is not that watched folder
            }
        }
        return false;
    }
}
