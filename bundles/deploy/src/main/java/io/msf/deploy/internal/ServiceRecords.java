package io.msf.deploy.internal;

import io.msf.files.OwnerOnly;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.zip.CRC32;
import org.osgi.service.log.Logger;

/**
 * Keeps each service's {@link ServiceRecord} in a file of its own, {@code <name>.record} in the
 * deployer's folder of the data folder ({@code data/deploy/last-good/}), owner-only. A record is
 * written whole to a temporary file that then replaces it, and ends with a checksum of what it
 * holds: a record that does not read back whole (cut short, edited, of another format) is ignored
 * with a WARN, as if there were none, and the deployer goes on as without it.
 */
final class ServiceRecords {

    private static final String FORMAT = "1";
    private static final String CHECKSUM = "checksum=";
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final Path folder;
    private final Logger log;

    /** @param folder where the records are; made owner-only at the first write */
    ServiceRecords(Path folder, Logger log) {
        this.folder = folder;
        this.log = log;
    }

    /** The service's record; empty if there is none or it cannot be read (then logged). */
    Optional<ServiceRecord> read(String name) {
        Path file = file(name);
        String text;
        try {
            // bytes that are not UTF-8 become replacement characters, which the checksum then refuses
            text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            log.warn("{}: last good state not read from {}, ignored: {}", name, file, e.toString());
            return Optional.empty();
        }
        try {
            return Optional.of(parse(name, text));
        } catch (IOException | RuntimeException e) {
            log.warn("{}: last good state in {} is damaged, ignored: {}", name, file, e.getMessage());
            return Optional.empty();
        }
    }

    /** Replaces the service's record; a record that cannot be written is logged, the service goes on. */
    void write(ServiceRecord record) {
        String name = record.good().name();
        Path file = file(name);
        Path temporary = folder.resolve(name + ".record.tmp");
        try {
            String body = format(record);
            OwnerOnly.createDirectories(folder);
            Files.deleteIfExists(temporary);
            if (OwnerOnly.isPosix(folder)) {
                Files.createFile(temporary, PosixFilePermissions.asFileAttribute(OwnerOnly.FILE));
            }
            Files.writeString(temporary, body + CHECKSUM + checksum(body) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE,
                    StandardOpenOption.SYNC);
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | IllegalArgumentException e) {
            log.warn("{}: last good state not kept in {} (a restart installs what is configured): {}", name, file,
                    e.getMessage());
            try {
                // the record before it would no longer say what served last
                Files.deleteIfExists(temporary);
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the next write replaces them
            }
        }
    }

    /** Forgets the service: it is no longer deployed. */
    void delete(String name) {
        try {
            Files.deleteIfExists(file(name));
        } catch (IOException e) {
            log.warn("{}: last good state {} not deleted: {}", name, file(name), e.getMessage());
        }
    }

    private Path file(String name) {
        return folder.resolve(name + ".record");
    }

    private static String format(ServiceRecord record) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        entries.put("format", FORMAT);
        put(entries, "good.", record.good());
        if (record.failed() != null) {
            put(entries, "failed.", record.failed().spec());
            entries.put("failed.what", record.failed().what());
            entries.put("failed.reason", record.failed().reason());
        }
        // Not Properties.store: it writes the date first, and formatting that loads the JDK's time zone
        // names, tens of milliseconds the first time, which the deployer's first install at a
        // container's start would pay. The entries sorted, so that the same record is the same text.
        StringBuilder text = new StringBuilder("# the last good state of service ").append(record.good().name())
                .append(", kept by msf-deploy\n");
        entries.forEach((key, value) -> text.append(escaped(key, true)).append('=').append(escaped(value, false))
                .append('\n'));
        return text.toString();
    }

    /** {@code text} as a key or value of a properties line, as {@link Properties#load} reads it back. */
    static String escaped(String text, boolean key) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\f' -> out.append("\\f");
                case '=', ':', '#', '!' -> out.append('\\').append(c);
                case ' ' -> out.append(key || i == 0 ? "\\ " : " ");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append("\\u").append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF]).append(HEX[c >> 4 & 0xF])
                                .append(HEX[c & 0xF]);
                    } else {
                        out.append(c); // the record is UTF-8, and read back as such
                    }
                }
            }
        }
        return out.toString();
    }

    private static void put(Map<String, String> entries, String prefix, ServiceSpec spec) {
        entries.put(prefix + "name", spec.name());
        entries.put(prefix + "location", String.join(",", spec.locations()));
        entries.put(prefix + "version", spec.version());
        entries.put(prefix + "startLevel", Integer.toString(spec.startLevel()));
        entries.put(prefix + "pid", spec.pid());
        entries.put(prefix + "healthTimeoutMillis", Long.toString(spec.healthTimeout().toMillis()));
        entries.put(prefix + "drainTimeoutMillis", Long.toString(spec.drainTimeout().toMillis()));
        spec.params().forEach((key, value) -> entries.put(prefix + "param." + key, TypedValues.encode(value)));
    }

    private static ServiceRecord parse(String name, String text) throws IOException {
        int last = text.lastIndexOf(CHECKSUM);
        if (last < 0 || (last > 0 && text.charAt(last - 1) != '\n')) {
            throw new IllegalArgumentException("no checksum line: cut short?");
        }
        String body = text.substring(0, last);
        if (!text.substring(last + CHECKSUM.length()).strip().equals(checksum(body))) {
            throw new IllegalArgumentException("its checksum does not match what it holds");
        }
        Properties properties = new Properties();
        properties.load(new StringReader(body));
        if (!FORMAT.equals(properties.getProperty("format"))) {
            throw new IllegalArgumentException("format " + properties.getProperty("format") + " is not " + FORMAT);
        }
        ServiceSpec good = spec(properties, "good.");
        if (!good.name().equals(name)) {
            throw new IllegalArgumentException("it is the record of " + good.name());
        }
        ServiceRecord.Failure failed = properties.containsKey("failed.name")
                ? new ServiceRecord.Failure(spec(properties, "failed."), required(properties, "failed.what"),
                        required(properties, "failed.reason"))
                : null;
        return new ServiceRecord(good, failed);
    }

    private static ServiceSpec spec(Properties properties, String prefix) {
        Map<String, Object> params = new TreeMap<>();
        String paramPrefix = prefix + "param.";
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith(paramPrefix)) {
                params.put(key.substring(paramPrefix.length()), TypedValues.decode(properties.getProperty(key)));
            }
        }
        List<String> locations = ServiceSpecs.splitLocations(required(properties, prefix + "location"));
        if (locations.isEmpty()) {
            throw new IllegalArgumentException("key '" + prefix + "location' is empty");
        }
        return new ServiceSpec(required(properties, prefix + "name"), locations,
                required(properties, prefix + "version"), Integer.parseInt(required(properties, prefix + "startLevel")),
                true, required(properties, prefix + "pid"),
                Duration.ofMillis(Long.parseLong(required(properties, prefix + "healthTimeoutMillis"))),
                Duration.ofMillis(Long.parseLong(required(properties, prefix + "drainTimeoutMillis"))), params);
    }

    private static String required(Properties properties, String key) {
        String value = properties.getProperty(key);
        if (value == null) {
            throw new IllegalArgumentException("key '" + key + "' is missing");
        }
        return value;
    }

    private static String checksum(String body) {
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.UTF_8));
        return Long.toHexString(crc.getValue());
    }
}
