package io.msf.config.internal;

import java.io.File;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The files applied unchecked because no installed bundle described their PID when they were read:
 * a service's own PID, whose bundle the deployer installs later, or a misspelt file name. A bundle's
 * descriptions come with it, once it is resolved; the files of the PIDs it describes are then
 * checked, so that a value it refuses is told, if late.
 */
final class UndescribedFiles {

    private final Map<File, ConfigFileName> files = new ConcurrentHashMap<>();

    void add(File file, ConfigFileName name) {
        files.put(file, name);
    }

    void remove(File file) {
        files.remove(file);
    }

    /** The files whose PID has a description now, forgotten here. */
    Map<File, ConfigFileName> describedNow(Function<String, Optional<Description>> descriptions) {
        Map<File, ConfigFileName> described = new LinkedHashMap<>();
        files.forEach((file, name) -> {
            if (descriptions.apply(name.pid()).isPresent() && files.remove(file, name)) {
                described.put(file, name);
            }
        });
        return described;
    }
}
