package io.msf.config.internal;

import io.msf.config.api.ConfigProblem;
import io.msf.files.properties.ConfigFileBytes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** Decides what becomes of one version of a configuration file: read it, find its description, check it. */
final class FileCheck {

    /** A file deleted between FileInstall's scan and its reading here: FileInstall's removal of it comes next. */
    static final String GONE = "was deleted as it was read: nothing of it is applied";

    private final ConfigFileReader reader;
    private final Function<String, Optional<Description>> descriptions;
    private final Clock clock;

    /**
     * @param descriptions finds the Metatype description of a PID or factory PID
     */
    FileCheck(ConfigFileReader reader, Function<String, Optional<Description>> descriptions, Clock clock) {
        this.reader = reader;
        this.descriptions = descriptions;
        this.clock = clock;
    }

    /**
     * @param shown how the file is named in problems, e.g. {@code etc/msf.log.cfg}
     */
    Verdict check(Path file, String shown, ConfigFileName name) {
        String pid = name.configurationPid();
        if (name.isFactory() && name.name().isEmpty()) {
            return reject(shown, pid, "the factory configuration has no name: call the file " + name.pid()
                    + "-<name>" + extension(file));
        }
        byte[] content;
        ParsedConfig config;
        try {
            content = ConfigFileBytes.read(file);
            if (content.length == 0) {
                return reject(shown, pid, "the file is empty: one being written, or emptied by a write that failed"
                        + " (a full disk), is not applied; for every key's default, write a comment in it");
            }
            config = read(content, file.getFileName().toString(), name);
        } catch (ConfigFileReader.LineException e) {
            return new Verdict(Verdict.Kind.REJECT, List.of(problem(shown, pid, e.key, e.line,
                    "cannot be read: " + e.getMessage())), null);
        } catch (NoSuchFileException e) {
            return reject(shown, pid, GONE); // its message is only the path
        } catch (IOException e) {
            return reject(shown, pid, cannotBeRead(e));
        } catch (UncheckedIOException | IllegalArgumentException e) {
            return reject(shown, pid, "cannot be read: " + e.getMessage());
        } catch (StackOverflowError e) {
            // FileInstall catches only Exceptions around an install: an Error would end its scan, leave
            // the other files of it unread and come back at every poll, the file never named
            return reject(shown, pid, "cannot be read: a value too complex to check (reading it overflowed the"
                    + " stack): write it shorter, or split it");
        }
        List<ConfigProblem> problems = new ArrayList<>();
        config.unreadable().forEach(u -> problems.add(problem(shown, pid, u.key(), config.line(u.key()), u.reason())));
        Optional<Description> description = descriptions.apply(name.pid());
        if (description.isPresent()) {
            Description described = description.get();
            if (described.factory() != name.isFactory()) {
                return reject(shown, pid, formMismatch(described, file));
            }
            Set<String> unread = config.unreadable().stream().map(ParsedConfig.Unreadable::key)
                    .collect(Collectors.toCollection(HashSet::new));
            // the typed lines beside a line that is not: not wrong, though FileInstall reads them as text
            unread.addAll(config.typedReadAsText());
            ServiceParams.validate(name.pid(), name.name(), config.values(), described, descriptions).stream()
                    .filter(p -> !unread.contains(p.key()))
                    .forEach(p -> problems.add(problem(shown, pid, p.key(), config.line(p.key()), p.reason())));
        }
        if (!problems.isEmpty()) {
            problems.sort(Comparator.comparingInt(ConfigProblem::line));
            return new Verdict(Verdict.Kind.REJECT, problems, config);
        }
        return new Verdict(description.isPresent() ? Verdict.Kind.APPLY : Verdict.Kind.APPLY_UNDESCRIBED, List.of(), config,
                content);
    }

    /**
     * Why a file cannot be read, for people. A file the container's user may not read ({@code sudo cp}
     * made it root's, rw-------) fails with an AccessDeniedException whose message is its path alone:
     * the refusal said {@code cannot be read: /opt/msf/etc/msf.agent.cfg}, and not why.
     */
    static String cannotBeRead(IOException e) {
        if (e instanceof AccessDeniedException && ((AccessDeniedException) e).getReason() == null) {
            return "cannot be read: permission denied to user '" + System.getProperty("user.name") + "', whom the"
                    + " container runs as: make the file (and the folders above it) readable to that user";
        }
        return "cannot be read: " + e.getMessage();
    }

    /**
     * The file read as {@link #check} reads it, unchecked: its problems, and a failure to read it, are told
     * without the values of its passwords.
     */
    ParsedConfig read(Path file, ConfigFileName name) throws IOException {
        return read(ConfigFileBytes.read(file), file.getFileName().toString(), name);
    }

    /** The file's content read, its problems told without the values of its passwords. */
    private ParsedConfig read(byte[] bytes, String fileName, ConfigFileName name) throws IOException {
        ParsedConfig config;
        try {
            config = reader.read(bytes, fileName);
        } catch (ConfigFileReader.LineException e) {
            if (e.key.isEmpty()) {
                throw e;
            }
            // a value that stops the reader (an escape) may be a password's: the values as written say which
            return reader.read(bytes, fileName, secretKeys(name, reader.written(bytes)));
        }
        if (config.unreadable().isEmpty()) {
            return config;
        }
        return reader.read(bytes, fileName, secretKeys(name, config.values()));
    }

    /**
     * Which keys are passwords, by the values read: a service configuration's pid key names the PID whose
     * description its param.* keys have.
     */
    private Predicate<String> secretKeys(ConfigFileName name, Map<String, ?> values) {
        return SecretKeys.of(name.pid(), name.name(), values, descriptions.apply(name.pid()), descriptions);
    }

    /**
     * The problems of a configuration's properties as the configuration {@code pid} ({@code
     * factoryPid~name} for a factory one), checked as a file of them would be; none when the PID has no
     * description. Keys Config Admin and FileInstall add themselves ({@code service.pid}, ...) pass.
     */
    List<ConfigProblem> checkValues(String pid, Map<String, ?> properties) {
        String basePid = Pids.base(pid);
        String name = Pids.name(pid);
        Optional<Description> description = descriptions.apply(basePid);
        if (description.isEmpty()) {
            return List.of();
        }
        Map<String, Object> values = new LinkedHashMap<>(properties);
        List<ConfigProblem> problems = new ArrayList<>();
        ServiceParams.validate(basePid, name, values, description.get(), descriptions)
                .forEach(p -> problems.add(problem("", pid, p.key(), 0, p.reason())));
        return problems;
    }

    private static String formMismatch(Description described, Path file) {
        String ext = extension(file);
        return described.factory()
                ? described.pid() + " is a factory PID (one configuration per instance): call the file "
                        + described.pid() + "-<name>" + ext
                : described.pid() + " is not a factory PID: call the file " + described.pid() + ext;
    }

    private static String extension(Path file) {
        String fileName = file.getFileName().toString();
        return fileName.substring(fileName.lastIndexOf('.'));
    }

    private Verdict reject(String shown, String pid, String reason) {
        return new Verdict(Verdict.Kind.REJECT, List.of(problem(shown, pid, "", 0, reason)), null);
    }

    private ConfigProblem problem(String shown, String pid, String key, int line, String reason) {
        return new ConfigProblem(shown, pid, key, line, reason, clock.instant());
    }
}
