package io.msf.config.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The files of the watched folders a configuration is made from, found by its PID: the names
 * FileInstall 3.7.4 (its ConfigInstaller.parsePid) or the gate ({@link ConfigFileName}) read that
 * PID from. For when the file's mark in the configuration cannot be read any more: Config Admin
 * tells of a deletion once the configuration is gone.
 */
final class PidFiles {

    private static final List<String> KINDS = List.of(".cfg", ".config");

    private PidFiles() {
    }

    /** The existing {@code .cfg} and {@code .config} files directly in {@code watchedDirs} that make {@code pid}. */
    static List<Path> of(List<Path> watchedDirs, String pid) {
        List<String> names = new ArrayList<>();
        String factoryName = Pids.name(pid);
        for (String kind : KINDS) {
            names.add(pid + kind);
            if (factoryName != null) {
                names.add(Pids.base(pid) + "-" + factoryName + kind); // FileInstall's name
            }
        }
        List<Path> files = new ArrayList<>();
        for (Path dir : watchedDirs) {
            for (String name : names) {
                if (pid.equals(pidOf(name).orElse(null))) {
                    resolved(dir, name).filter(Files::isRegularFile).filter(file -> isNew(files, file))
                            .ifPresent(files::add);
                }
            }
        }
        return files;
    }

    /**
     * The PID a file of this name makes: the gate's reading for msf's files, FileInstall's for the
     * others (the first {@code '-'} separates factory PID and name; a {@code '~'} is part of a plain PID).
     */
    static Optional<String> pidOf(String fileName) {
        Optional<ConfigFileName> msf = ConfigFileName.of(fileName);
        if (msf.isPresent()) {
            return Optional.of(msf.get().configurationPid());
        }
        int dot = fileName.lastIndexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        String base = fileName.substring(0, dot);
        int dash = base.indexOf('-');
        return Optional.of(dash > 0 ? base.substring(0, dash) + "~" + base.substring(dash + 1) : base);
    }

    /** Whether {@code file} is none of {@code files} (a folder listed twice, or through a link, is one folder). */
    private static boolean isNew(List<Path> files, Path file) {
        for (Path other : files) {
            try {
                if (Files.isSameFile(other, file)) {
                    return false;
                }
            } catch (IOException e) {
                // gone meanwhile: not the same
            }
        }
        return true;
    }

    /** The file of that name in {@code dir}; none for a PID that is no file name (a targeted PID holds '/'). */
    private static Optional<Path> resolved(Path dir, String name) {
        try {
            Path file = dir.resolve(name);
            return file.getFileName().toString().equals(name) && dir.equals(file.getParent()) ? Optional.of(file)
                    : Optional.empty();
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }
}
