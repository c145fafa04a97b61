package io.msf.deploy.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the jar a location names: {@code mvn:group/artifact[/version[/type[/classifier]]]} in the
 * repositories (Maven layout: the assembly's {@code repository/} folder, then the local Maven
 * repository), {@code file:<path>}, or a path relative to the first repository. No network: a
 * service's bundles come from this machine.
 */
final class Locations {

    private final List<Path> repositories;

    /** @param repositories Maven-layout folders, searched in order; the first also holds plain paths */
    Locations(List<Path> repositories) {
        this.repositories = List.copyOf(repositories);
    }

    /**
     * @param version the service's {@code version} key, used by an mvn: location without a version
     * @throws IllegalArgumentException if the location is malformed or names no readable file
     */
    Path resolve(String location, String version) {
        Path found = named(location, version);
        if (!Files.isRegularFile(found) || !Files.isReadable(found)) {
            throw new IllegalArgumentException(notReadable(location, found));
        }
        return found;
    }

    /**
     * A relative file: path is the container's working folder's, which the user typing it in another
     * folder does not see: the message says where it was looked for. An mvn: jar found in a relative
     * repository folder (msf.deploy.repositories) but not readable is no matter of the location's own
     * path: it gets the full path alone.
     */
    static String notReadable(String location, Path found) {
        String where = found.isAbsolute() ? found.toString()
                : !location.startsWith("file:") ? found.toAbsolutePath().toString()
                : found + " (taken from the container's working folder: " + found.toAbsolutePath()
                        + "; give file: an absolute path)";
        return "location '" + location + "': " + where + " is not a readable file";
    }

    /**
     * The files a location may be read from, there or not, for {@link JarStamps}: the one file of a
     * {@code file:} location or of a path in the repository folder; for an {@code mvn:} location, its
     * place in each repository up to the first that has it (in all of them while none has): a jar
     * that appears in one of those is what the location names from then on. Empty if the location
     * names none (malformed, another scheme, an {@code mvn:} one without a version).
     */
    List<Path> files(String location, String version) {
        try {
            if (!location.startsWith("mvn:")) {
                return List.of(named(location, version));
            }
            String relative = mavenPath(location, version);
            List<Path> candidates = new ArrayList<>();
            for (Path repository : repositories) {
                Path candidate = repository.resolve(relative);
                candidates.add(candidate);
                if (Files.isRegularFile(candidate)) {
                    break;
                }
            }
            return List.copyOf(candidates);
        } catch (IllegalArgumentException | FileSystemNotFoundException e) {
            return List.of();
        }
    }

    private Path named(String location, String version) {
        Path found;
        if (location.startsWith("mvn:")) {
            found = maven(location, version);
        } else if (location.startsWith("file:")) {
            String path = location.substring("file:".length());
            found = path.startsWith("//") ? Path.of(URI.create(location)) : Path.of(path);
        } else if (location.matches("[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
            throw new IllegalArgumentException("location '" + location + "': only mvn:, file: or a path in the"
                    + " repository folder can be installed (no network sources)");
        } else {
            found = inRepository(location);
        }
        return found;
    }

    /**
     * The version an {@code mvn:} location names itself, or null: then the service's {@code version}
     * key says which one it stands for.
     */
    static String mavenVersion(String location) {
        if (!location.startsWith("mvn:")) {
            return null;
        }
        String[] parts = location.substring(4).split("/", -1);
        return parts.length > 2 && !parts[2].isBlank() ? parts[2] : null;
    }

    private Path maven(String location, String version) {
        String relative = mavenPath(location, version);
        for (Path repository : repositories) {
            Path candidate = repository.resolve(relative);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("location '" + location + "': " + relative + " is in none of the"
                + " repositories " + repositories);
    }

    /** Where an {@code mvn:} location's jar is in a Maven-layout repository. */
    private static String mavenPath(String location, String version) {
        String[] parts = location.substring(4).split("/", -1);
        if (parts.length < 2 || parts.length > 5 || parts[0].isBlank() || parts[1].isBlank()) {
            throw new IllegalArgumentException("location '" + location
                    + "': expected mvn:group/artifact[/version[/type[/classifier]]]");
        }
        String named = mavenVersion(location);
        String v = named != null ? named : version;
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("location '" + location + "' has no version and the key 'version'"
                    + " is empty: say which version to install");
        }
        String type = parts.length > 3 && !parts[3].isBlank() ? parts[3] : "jar";
        String classifier = parts.length > 4 && !parts[4].isBlank() ? "-" + parts[4] : "";
        return parts[0].replace('.', '/') + "/" + parts[1] + "/" + v + "/" + parts[1] + "-" + v + classifier + "."
                + type;
    }

    private Path inRepository(String location) {
        if (repositories.isEmpty()) {
            throw new IllegalArgumentException("location '" + location + "': no repository folder is configured");
        }
        Path root = repositories.get(0).toAbsolutePath().normalize();
        Path path = root.resolve(location).normalize();
        if (!path.startsWith(root)) {
            // an absolute path is most likely meant as it is, as a shell takes it
            String hint = Path.of(location).isAbsolute()
                    ? ": a path is taken in that folder; file:" + location + " names the file as it is" : "";
            throw new IllegalArgumentException("location '" + location + "' leaves the repository folder " + root
                    + hint);
        }
        return path;
    }

    /** The path shown for a resolved jar: its real target when it is a symlink. */
    static String shown(Path jar) {
        try {
            Path real = jar.toRealPath();
            return real.equals(jar.toAbsolutePath()) ? jar.toString() : jar + " -> " + real;
        } catch (IOException e) {
            return jar.toString();
        }
    }
}
