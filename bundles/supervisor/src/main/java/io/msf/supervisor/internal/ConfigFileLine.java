package io.msf.supervisor.internal;

import io.msf.files.properties.ConfigFileBytes;
import io.msf.files.properties.KeyLines;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where a configuration FileInstall applied comes from, as the config gate names it: the file
 * (relative to the assembly folder when inside it) and the line of a key, {@code etc/msf.process~web.cfg:3}.
 * A refusal the gate cannot make (a program that is not there) then names the file to fix too. The
 * line is found by the gate's own reader (msf-files' KeyLines, FileInstall's parser), so both name the same.
 */
final class ConfigFileLine {

    /** FileInstall's mark of the file a configuration came from: the file's URL. */
    static final String FILE_PROPERTY = "felix.fileinstall.filename";

    private ConfigFileLine() {
    }

    /**
     * @param file the configuration's {@value #FILE_PROPERTY}, or null (a configuration set through Config Admin)
     * @param keys the keys whose line is wanted, best first: the line of the first the file sets; without a
     *     line if it sets none of them
     * @return the file and line, or empty if the configuration has no file
     */
    static Optional<String> of(Object file, Path home, List<String> keys) {
        if (file == null) {
            return Optional.empty();
        }
        Path path;
        try {
            path = Path.of(URI.create(file.toString())).normalize();
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return Optional.of(file.toString());
        }
        Path base = home.toAbsolutePath().normalize();
        String shown = path.startsWith(base) ? base.relativize(path).toString() : path.toString();
        if (keys.isEmpty()) {
            return Optional.of(shown);
        }
        try {
            // ISO-8859-1 reads any byte: the key is ASCII, whatever the file's charset. Read as the gate reads it:
            // a file over its bound (replaced by a huge one since the gate applied it) is named without a line.
            String text = new String(ConfigFileBytes.read(path), StandardCharsets.ISO_8859_1);
            for (String key : keys) {
                Optional<Integer> line = KeyLines.lineOf(text, key);
                if (line.isPresent()) {
                    return Optional.of(shown + ":" + line.get());
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone, unreadable or too large meanwhile, or not readable as properties (the gate says why): the file
            // without a line
        }
        return Optional.of(shown);
    }
}
