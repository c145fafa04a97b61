package io.msf.launcher;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * A comma-separated list of jar file-name globs from {@code etc/config.properties} (or a {@code -D}), such as
 * {@code msf-supervisor-*.jar, msf-log-*.jar}, matched against a jar's file name. Words that are
 * no globs (such as {@code console} in a profile) are the caller's: {@link #words} keeps them.
 *
 * @param globs the file-name globs
 * @param words the entries taken as words, not globs
 */
record JarGlobs(List<PathMatcher> globs, List<String> words) {

    /**
     * @param source   where the value was given ({@link LauncherConfig#source(String)}), for the error
     * @param key      the key the value came from, for the error
     * @param reserved entries that are words, not globs
     * @throws IllegalArgumentException an entry is not a valid glob
     */
    static JarGlobs parse(String source, String key, String value, String... reserved) {
        List<PathMatcher> globs = new ArrayList<>();
        List<String> words = new ArrayList<>();
        for (String entry : value.split(",")) {
            String glob = entry.trim();
            if (List.of(reserved).contains(glob)) {
                words.add(glob);
            } else if (!glob.isEmpty()) {
                try {
                    globs.add(FileSystems.getDefault().getPathMatcher("glob:" + glob));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(source + ": " + key + ": '" + glob
                            + "' is not a file-name glob: " + e.getMessage(), e);
                }
            }
        }
        return new JarGlobs(List.copyOf(globs), List.copyOf(words));
    }

    boolean matches(Path jar) {
        Path fileName = jar.getFileName();
        for (PathMatcher glob : globs) {
            if (glob.matches(fileName)) {
                return true;
            }
        }
        return false;
    }
}
