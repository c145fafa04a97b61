package io.msf.deploy.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The size and modification time of the jars a version is installed from, where an operator may
 * still be writing them, or is yet to: a {@code file:} location, a path in the repository folder,
 * or an {@code mvn:} one's place in the repositories ({@link Locations#files}). A failed install or
 * swap keeps those it read, and the deployer tries the configuration again once one of them has
 * changed and then stayed the same from one look to the next, as FileInstall takes a jar of its
 * folders: a jar still being copied when it was tried fails, and is tried again once the copy is
 * complete; one missing then is tried once it has appeared, complete. Only the files of failed
 * versions are looked at, a few stat calls each poll.
 */
final class JarStamps {

    /** What a look at a file saw; {@link #MISSING} for a file that is not there or cannot be read. */
    record Stamp(long size, long modifiedMillis) {

        static final Stamp MISSING = new Stamp(-1, -1);
    }

    /** Stamps nothing: no location is watched. */
    static final JarStamps NONE = new JarStamps((location, version) -> List.of());

    private final BiFunction<String, String, List<Path>> files;

    /** @param files the files a location may be read from, given the service's {@code version} key; none if none is watched */
    JarStamps(BiFunction<String, String, List<Path>> files) {
        this.files = files;
    }

    /** The watched files of the spec's locations as they are now; empty if none is watched. */
    Map<Path, Stamp> of(ServiceSpec spec) {
        Map<Path, Stamp> stamps = new LinkedHashMap<>();
        for (String location : spec.locations()) {
            files.apply(location, spec.version()).forEach(file -> stamps.put(file, look(file)));
        }
        return Map.copyOf(stamps);
    }

    /** The files as they are now. */
    static Map<Path, Stamp> look(Collection<Path> files) {
        Map<Path, Stamp> stamps = new LinkedHashMap<>();
        files.forEach(file -> stamps.put(file, look(file)));
        return Map.copyOf(stamps);
    }

    private static Stamp look(Path file) {
        try {
            return new Stamp(Files.size(file), Files.getLastModifiedTime(file).toMillis());
        } catch (IOException e) {
            return Stamp.MISSING;
        }
    }
}
