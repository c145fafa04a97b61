package io.msf.supervisor.internal;

import io.msf.supervisor.api.ProcessType;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Whether the files a configuration names are there: its program and the folders a start reads.
 * A new configuration naming a program or folder that is not there would stop the running process
 * and put a crash loop in its place; checked first, it is refused and the last good one keeps
 * running. One that goes missing later is still a failed start, restarted by the policy.
 */
final class LaunchCheck {

    private LaunchCheck() {
    }

    /**
     * @param layout the process's own folders ({@code data/children/<name>})
     * @throws IllegalArgumentException what is missing, naming the key
     */
    static void check(ProcessSpec spec, ChildLayout layout) {
        Path directory = layout.root();
        if (spec.type() == ProcessType.COMMAND && spec.directory() != null) {
            directory = spec.directory();
            folder("directory", directory);
        }
        if (spec.type() == ProcessType.CONTAINER) {
            if (spec.etcSource() != null && !Files.isDirectory(layout.etc())) {
                folder("etcSource", spec.etcSource()); // read at the first start only
            }
            if (spec.deploySource() != null) {
                folder("deploySource", spec.deploySource());
            }
        }
        String command = spec.command();
        try {
            if (command.contains(File.separator)) {
                Path program = directory.resolve(command); // as the JDK runs it: relative to the working folder
                if (!executable(program)) {
                    throw new IllegalArgumentException("command: " + program + " is not an executable file");
                }
            } else if (!onPath(command)) {
                throw new IllegalArgumentException("command: '" + command + "' is not an executable file in any"
                        + " folder of the PATH (" + System.getenv("PATH") + ")");
            }
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("command: '" + command + "' is not a valid path", e);
        }
    }

    private static void folder(String key, Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException(key + ": " + folder + " is not a folder");
        }
    }

    /** A bare name is looked up on this container's PATH, as the JDK looks it up for the child. */
    private static boolean onPath(String name) {
        String path = System.getenv("PATH");
        for (String folder : path == null ? new String[0] : path.split(File.pathSeparator)) {
            if (executable(Path.of(folder.isEmpty() ? "." : folder, name))) {
                return true;
            }
        }
        return false;
    }

    private static boolean executable(Path program) {
        return Files.isRegularFile(program) && Files.isExecutable(program);
    }
}
