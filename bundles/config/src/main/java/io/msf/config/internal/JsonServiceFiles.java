package io.msf.config.internal;

import io.msf.config.api.ConfigProblem;
import io.msf.files.properties.ConfigFileBytes;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The {@code .json} files of the watched folder, which FileInstall 3.7.4 does not read: service
 * configurations and libmsf process configurations (see {@link JsonConfigs}). A file is checked as a
 * whole (syntax, then every key against Metatype); a valid one becomes one {@code msf.service}
 * factory configuration per service, marked with {@value #MARK} so that a changed or deleted file
 * changes or deletes exactly its own.
 */
final class JsonServiceFiles {

    /** Property naming the JSON file a configuration came from (FileInstall's own mark is for .cfg files it saves). */
    static final String MARK = "msf.config.file";

    /**
     * The outcome of checking one version of a file: its services, or why it is refused.
     *
     * @param otherFile a file that configures one of its services already, if any: the file, refused
     *                  for that, may be applied once that one is gone
     */
    record Check(List<JsonConfigs.Entry> entries, List<ConfigProblem> problems, Optional<Path> otherFile) {

        /**
         * The problems for which the gate refuses the file: all of them while it checks files; with
         * it disabled only what keeps the file from being read at all (no service read from it).
         */
        List<ConfigProblem> refusal(boolean gateEnabled) {
            return gateEnabled || entries.isEmpty() ? problems : List.of();
        }
    }

    private final ConfigurationAdmin configAdmin;
    private final Function<String, Optional<Description>> descriptions;
    private final Clock clock;
    private final Function<String, String> shownUri;
    private final List<Path> watchedDirs;

    /**
     * @param shownUri turns a file's URI into the name operators know it by, e.g. {@code etc/x.cfg}
     * @param watchedDirs FileInstall's folders of configuration files ({@link WatchedFolders})
     */
    JsonServiceFiles(ConfigurationAdmin configAdmin, Function<String, Optional<Description>> descriptions, Clock clock,
            Function<String, String> shownUri, List<Path> watchedDirs) {
        this.watchedDirs = List.copyOf(watchedDirs);
        this.configAdmin = configAdmin;
        this.descriptions = descriptions;
        this.clock = clock;
        this.shownUri = shownUri;
    }

    static boolean handles(File file) {
        return file.getName().endsWith(".json");
    }

    Check check(Path file, String shown) {
        JsonReader.Document document;
        try {
            byte[] bytes = ConfigFileBytes.read(file);
            Optional<ConfigProblem> notUtf8 = notUtf8(bytes, shown);
            if (notUtf8.isPresent()) {
                return refused(notUtf8.get());
            }
            String text = new String(bytes, StandardCharsets.UTF_8);
            // RFC 8259 lets a parser ignore a byte order mark, which some editors write
            document = JsonReader.read(text.startsWith("\uFEFF") ? text.substring(1) : text);
        } catch (NoSuchFileException e) {
            return refused(problem(shown, "", "", 0, FileCheck.GONE));
        } catch (IOException e) {
            return refused(problem(shown, "", "", 0, FileCheck.cannotBeRead(e)));
        } catch (JsonReader.JsonException e) {
            if (JsonConfigs.isParameter(e.path) && !e.withoutText.equals(e.getMessage())) {
                // the message quotes the value, which may be a password: named by its member instead
                return refused(problem(shown, "", JsonReader.shown(e.path), e.line, "is not valid JSON: "
                        + e.withoutText + " (not repeated: a parameter may be a password)"));
            }
            return refused(problem(shown, "", "", e.line, "is not valid JSON: " + e.getMessage()));
        }
        JsonConfigs.Result result = JsonConfigs.read(file.getFileName().toString(), document);
        List<ConfigProblem> problems = new ArrayList<>();
        result.problems().forEach(p -> problems.add(problem(shown, pid(p.service()), p.key(), p.line(), p.reason())));
        Optional<Description> described = descriptions.apply(ServiceParams.SERVICE_FACTORY_PID);
        String key = NamedFactoryConfigs.fileKey(file.toFile());
        List<Path> otherFiles = new ArrayList<>();
        for (JsonConfigs.Entry entry : result.entries()) {
            described.ifPresent(d -> ServiceParams.validate(ServiceParams.SERVICE_FACTORY_PID, entry.name(),
                    entry.values(), d, descriptions).forEach(p -> problems.add(problem(shown, pid(entry.name()),
                    p.key(), entry.lines().getOrDefault(p.key(), 0), p.reason()))));
            otherSource(entry.name(), key).ifPresent(other -> {
                problems.add(problem(shown, pid(entry.name()), "", 0, "service '" + entry.name() + "' is configured by "
                        + (other.isEmpty() ? "Config Admin" : shownUri.apply(other)) + " already"));
                Optional.ofNullable(ConfigOrigins.fileOf(other)).ifPresent(otherFiles::add);
            });
        }
        problems.sort(Comparator.comparingInt(ConfigProblem::line));
        return new Check(result.entries(), problems, otherFiles.stream().findFirst());
    }

    /**
     * The first byte of {@code bytes} that is not UTF-8, by line and its place in the line (a byte
     * such as 0xe9, an editor's Latin-1 {@code é}, or a character cut at the end of the file), so
     * that the refusal says where to look, as for etc/config.properties; empty for UTF-8 text.
     */
    private Optional<ConfigProblem> notUtf8(byte[] bytes, String shown) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length); // UTF-8 never gives more chars than bytes
        if (!StandardCharsets.UTF_8.newDecoder().decode(in, out, true).isError()) {
            return Optional.empty();
        }
        int at = in.position(); // where the decoder stopped: the first byte it could not take
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < at; i++) {
            if (endsLine(bytes, i)) {
                line++;
                lineStart = i + 1;
            }
        }
        return Optional.of(problem(shown, "", "", line, String.format("is not UTF-8 text: byte 0x%02x at byte %d of"
                + " the line; save the file as UTF-8 (a character past ASCII may also be written \\uXXXX in a"
                + " JSON string)", bytes[at] & 0xff, at - lineStart + 1)));
    }

    /**
     * Whether byte {@code i} ends a line: a LF, or a CR not followed by one, as {@link JsonReader} counts
     * lines and the launcher's reading of etc/config.properties does. Counting LFs alone put the byte
     * of a file with CR line ends on line 1.
     */
    private static boolean endsLine(byte[] bytes, int i) {
        return bytes[i] == '\n' || bytes[i] == '\r' && (i + 1 == bytes.length || bytes[i + 1] != '\n');
    }

    /** Creates or updates the file's services, and deletes those it no longer has. */
    void apply(File file, List<JsonConfigs.Entry> entries) throws IOException {
        String key = NamedFactoryConfigs.fileKey(file);
        List<String> names = new ArrayList<>();
        for (JsonConfigs.Entry entry : entries) {
            names.add(entry.name());
            Configuration configuration = configAdmin.getFactoryConfiguration(ServiceParams.SERVICE_FACTORY_PID,
                    entry.name(), "?");
            Hashtable<String, Object> properties = new Hashtable<>(entry.values());
            properties.put(MARK, key);
            Dictionary<String, Object> current = configuration.getProperties();
            if (current == null || !ConfigValues.same(ConfigValues.own(current), properties)) {
                configuration.update(properties);
            }
        }
        for (Configuration configuration : ownedBy(key)) {
            if (!names.contains(nameOf(configuration))) {
                configuration.delete();
            }
        }
    }

    void remove(File file) throws IOException {
        for (Configuration configuration : ownedBy(NamedFactoryConfigs.fileKey(file))) {
            configuration.delete();
        }
    }

    boolean existsFor(File file) throws IOException {
        return !ownedBy(NamedFactoryConfigs.fileKey(file)).isEmpty();
    }

    /**
     * Where a service of that name is configured, if not by this file: the key of the other file
     * (FileInstall's or this class's mark), or the empty string for a configuration of no file. A
     * file that lies outside every watched folder now is none: FileInstall does not read it again,
     * nor sees it deleted.
     */
    private Optional<String> otherSource(String name, String fileKey) {
        try {
            Configuration[] found = configAdmin.listConfigurations("(service.pid=" + pid(name) + ")");
            if (found == null) {
                return Optional.empty();
            }
            Dictionary<String, Object> properties = found[0].getProperties();
            Object json = properties.get(MARK);
            if (fileKey.equals(json)) {
                return Optional.empty();
            }
            Object cfg = properties.get(NamedFactoryConfigs.FILENAME);
            Object other = json != null ? json : cfg;
            if (other == null) {
                return Optional.of("");
            }
            Path file = ConfigOrigins.fileOf(other);
            return file != null && !WatchedFolders.holds(watchedDirs, file) ? Optional.empty()
                    : Optional.of(other.toString());
        } catch (IOException | InvalidSyntaxException e) {
            return Optional.empty();
        }
    }

    private List<Configuration> ownedBy(String fileKey) throws IOException {
        try {
            Configuration[] found = configAdmin.listConfigurations("(" + MARK + "=" + NamedFactoryConfigs.escape(fileKey)
                    + ")");
            return found == null ? List.of() : List.of(found);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("filter for " + fileKey + " rejected", e);
        }
    }

    private static String nameOf(Configuration configuration) {
        return Pids.name(configuration.getPid()); // made by this class: always msf.service~<name>
    }

    private static String pid(String service) {
        return service.isEmpty() ? ServiceParams.SERVICE_FACTORY_PID : ServiceParams.SERVICE_FACTORY_PID + "~" + service;
    }

    private static Check refused(ConfigProblem problem) {
        return new Check(List.of(), List.of(problem), Optional.empty());
    }

    private ConfigProblem problem(String shown, String pid, String key, int line, String reason) {
        return new ConfigProblem(shown, pid.isEmpty() ? ServiceParams.SERVICE_FACTORY_PID : pid, key, line, reason,
                clock.instant());
    }
}
