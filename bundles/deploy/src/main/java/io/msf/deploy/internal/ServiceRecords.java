package io.msf.deploy.internal;

import io.msf.files.OwnerOnly;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.apache.felix.cm.file.ConfigurationHandler;
import org.osgi.service.log.Logger;

/**
 * Keeps each service's {@link ServiceRecord} in a file of its own, {@code <name>.record} in the
 * deployer's folder of the data folder ({@code data/deploy/last-good/}), owner-only. A record is
 * written whole to a temporary file that then replaces it, and ends with a checksum of what it
 * holds: a record that does not read back whole (cut short, edited, of another format) is ignored
 * with a WARN, as if there were none, and the deployer goes on as without it.
 */
final class ServiceRecords {

    /** 2: Config Admin's file format (1, a format of its own, is read as damaged and ignored). */
    private static final String FORMAT = "2";
    /** How the name of a record being written ends ({@link DeployLeftovers} removes what a crash left). */
    static final String TEMPORARY_SUFFIX = ".record.tmp";
    /** The types Config Admin keeps, alone, in arrays and in collections. */
    private static final Set<Class<?>> SCALARS = Set.of(String.class, Integer.class, Long.class, Short.class,
            Byte.class, Double.class, Float.class, Boolean.class, Character.class);
    private static final String CHECKSUM = "checksum=";

    private final Path folder;
    private final Logger log;
    private final DiskSync sync;

    /** @param folder where the records are; made owner-only at the first write */
    ServiceRecords(Path folder, Logger log) {
        this(folder, log, DiskSync.FOLDER);
    }

    /** @param sync forces the folder to the disk after a rename (a test's may fail) */
    ServiceRecords(Path folder, Logger log, DiskSync sync) {
        this.folder = folder;
        this.log = log;
        this.sync = sync;
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
        Path temporary = temporary(name);
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
            return;
        }
        try {
            sync.sync(folder); // the rename on the disk too, not only the record's text
        } catch (IOException e) {
            // the record in place is the new one, whole: deleted, a restart would lose what served last
            // even without a crash; kept, only a crash before the folder reaches the disk can undo it
            log.warn("{}: last good state written to {}, but a crash before the disk catches up may bring back the"
                    + " one before it: {}", name, file, e.getMessage());
        }
    }

    /** Forgets the service: it is no longer deployed. */
    void delete(String name) {
        delete(name, null);
    }

    /**
     * Forgets the service, with a record a write cut short left beside it; says why in an INFO
     * line if it had a record and {@code why} is given.
     */
    void delete(String name, String why) {
        try {
            Files.deleteIfExists(temporary(name));
            if (Files.deleteIfExists(file(name)) && why != null) {
                log.info("{}: last good state {} deleted: {}", name, file(name), why);
            }
        } catch (IOException e) {
            log.warn("{}: last good state {} not deleted: {}", name, file(name), e.getMessage());
        }
    }

    /** The services that have a record (read back whole or not). */
    Set<String> names() throws IOException {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.list(folder)) {
            files.map(file -> file.getFileName().toString()).filter(file -> file.endsWith(".record"))
                    .forEach(file -> names.add(file.substring(0, file.length() - ".record".length())));
        } catch (NoSuchFileException e) {
            // none written yet
        }
        return names;
    }

    /**
     * The service whose last good state was taken from {@code droppedJar}, a jar of the deploy folder
     * as messages name it; empty if none (records that cannot be read count as none).
     */
    Optional<String> takenFrom(String droppedJar) {
        try {
            for (String name : names()) {
                if (read(name).filter(record -> record.droppedJar().equals(droppedJar)).isPresent()) {
                    return Optional.of(name);
                }
            }
        } catch (IOException e) {
            log.warn("deployer: the last good states were not listed, none is tied to {}: {}", droppedJar,
                    e.toString());
        }
        return Optional.empty();
    }

    /**
     * Keeps in the service's record that its good state was taken from {@code droppedJar}, if it was
     * that jar's: its good state has {@code taken}'s bundles, the copy in the data folder named by the
     * jar's content. A record of an earlier deployer, which did not keep the jar's file, is so tied to it
     * once a deployer has seen the jar, and a restart with that jar no longer read still brings the
     * service back from its copy.
     */
    void tieToDroppedJar(ServiceSpec taken, String droppedJar) {
        read(taken.name()).filter(record -> record.good().sameBundles(taken) && !record.droppedJar().equals(droppedJar))
                .ifPresent(record -> write(new ServiceRecord(record.good(), record.failed(), droppedJar)));
    }

    private Path file(String name) {
        return folder.resolve(name + ".record");
    }

    /** Where a record is written before it replaces the record in one rename. */
    private Path temporary(String name) {
        return folder.resolve(name + TEMPORARY_SUFFIX);
    }

    private static String format(ServiceRecord record) throws IOException {
        Hashtable<String, Object> entries = new Hashtable<>();
        entries.put("format", FORMAT);
        put(entries, "good.", record.good());
        if (!record.droppedJar().isEmpty()) {
            entries.put("droppedJar", record.droppedJar()); // a key an earlier deployer ignores
        }
        if (record.failed() != null) {
            put(entries, "failed.", record.failed().spec());
            entries.put("failed.what", record.failed().what());
            entries.put("failed.reason", record.failed().reason());
            int index = 0;
            for (Map.Entry<Path, JarStamps.Stamp> jar : new TreeMap<>(record.failed().jars()).entrySet()) {
                entries.put("failed.jar." + index + ".path", jar.getKey().toString());
                entries.put("failed.jar." + index + ".size", jar.getValue().size());
                entries.put("failed.jar." + index + ".modifiedMillis", jar.getValue().modifiedMillis());
                index++;
            }
        }
        // Config Admin's own file format (a .config file): every type a configuration may hold, read
        // back as it was; keys sorted, so that the same record is the same text
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ConfigurationHandler.write(out, entries);
        return "# the last good state of service " + record.good().name() + ", kept by msf-deploy\n"
                + out.toString(StandardCharsets.UTF_8);
    }

    private static void put(Map<String, Object> entries, String prefix, ServiceSpec spec) {
        entries.put(prefix + "name", spec.name());
        entries.put(prefix + "location", String.join(",", spec.locations()));
        entries.put(prefix + "version", spec.version());
        entries.put(prefix + "startLevel", spec.startLevel());
        entries.put(prefix + "pid", spec.pid());
        entries.put(prefix + "healthTimeoutMillis", spec.healthTimeout().toMillis());
        entries.put(prefix + "drainTimeoutMillis", spec.drainTimeout().toMillis());
        // a parameter's name as a value, not as a key: the format would trim a key's trailing spaces
        int index = 0;
        for (Map.Entry<String, Object> param : new TreeMap<>(spec.params()).entrySet()) {
            entries.put(prefix + "param." + index + ".name", param.getKey());
            entries.put(prefix + "param." + index + ".value", kept(param.getValue()));
            index++;
        }
    }

    /**
     * {@code value}, if the format reads it back as it was: a type Config Admin keeps (a scalar, an
     * array of scalars or primitives, a collection of one scalar type). ConfigurationHandler would
     * write another type as its toString() and a collection of mixed types it cannot read back.
     *
     * @throws IllegalArgumentException otherwise
     */
    private static Object kept(Object value) {
        if (value == null) {
            throw new IllegalArgumentException("a null value cannot be kept");
        }
        if (value instanceof Collection<?> collection) {
            Class<?> first = collection.isEmpty() ? String.class : classOf(collection.iterator().next());
            for (Object element : collection) {
                if (!SCALARS.contains(first) || classOf(element) != first) {
                    throw new IllegalArgumentException("a collection of " + collection.stream()
                            .map(e -> classOf(e).getSimpleName()).distinct().toList() + " cannot be kept");
                }
            }
            return value;
        }
        Class<?> type = value.getClass().isArray() ? value.getClass().getComponentType() : value.getClass();
        if (!SCALARS.contains(type) && !(type.isPrimitive() && value.getClass().isArray())) {
            throw new IllegalArgumentException("a value of type " + value.getClass().getSimpleName() + " cannot be kept");
        }
        return value;
    }

    private static Class<?> classOf(Object value) {
        return value == null ? Void.class : value.getClass();
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
        Dictionary<String, Object> entries = ConfigurationHandler.read(
                new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
        if (!FORMAT.equals(entries.get("format"))) {
            throw new IllegalArgumentException("format " + entries.get("format") + " is not " + FORMAT);
        }
        ServiceSpec good = spec(entries, "good.");
        if (!good.name().equals(name)) {
            throw new IllegalArgumentException("it is the record of " + good.name());
        }
        ServiceRecord.Failure failed = entries.get("failed.name") != null
                ? new ServiceRecord.Failure(spec(entries, "failed."), required(entries, "failed.what", String.class),
                        required(entries, "failed.reason", String.class), jars(entries, "failed.jar."))
                : null;
        Object droppedJar = entries.get("droppedJar"); // none in a record of an earlier deployer
        return new ServiceRecord(good, failed, droppedJar instanceof String jar ? jar : "");
    }

    private static ServiceSpec spec(Dictionary<String, Object> entries, String prefix) {
        Map<String, Object> params = new TreeMap<>();
        for (int index = 0; entries.get(prefix + "param." + index + ".name") != null; index++) {
            params.put(required(entries, prefix + "param." + index + ".name", String.class),
                    required(entries, prefix + "param." + index + ".value", Object.class));
        }
        List<String> locations = ServiceSpecs.splitLocations(required(entries, prefix + "location", String.class));
        if (locations.isEmpty()) {
            throw new IllegalArgumentException("key '" + prefix + "location' is empty");
        }
        return new ServiceSpec(required(entries, prefix + "name", String.class), locations,
                required(entries, prefix + "version", String.class),
                required(entries, prefix + "startLevel", Integer.class), true,
                required(entries, prefix + "pid", String.class),
                Duration.ofMillis(required(entries, prefix + "healthTimeoutMillis", Long.class)),
                Duration.ofMillis(required(entries, prefix + "drainTimeoutMillis", Long.class)), params);
    }

    /** The jar stamps kept under {@code prefix}; none in a record written before they were kept. */
    private static Map<Path, JarStamps.Stamp> jars(Dictionary<String, Object> entries, String prefix) {
        Map<Path, JarStamps.Stamp> jars = new TreeMap<>();
        for (int index = 0; entries.get(prefix + index + ".path") != null; index++) {
            jars.put(Path.of(required(entries, prefix + index + ".path", String.class)),
                    new JarStamps.Stamp(required(entries, prefix + index + ".size", Long.class),
                            required(entries, prefix + index + ".modifiedMillis", Long.class)));
        }
        return jars;
    }

    private static <T> T required(Dictionary<String, Object> entries, String key, Class<T> type) {
        Object value = entries.get(key);
        if (!type.isInstance(value)) {
            throw new IllegalArgumentException("key '" + key + "' is " + (value == null ? "missing"
                    : "a " + value.getClass().getSimpleName() + ", not a " + type.getSimpleName()));
        }
        return type.cast(value);
    }

    private static String checksum(String body) {
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.UTF_8));
        return Long.toHexString(crc.getValue());
    }
}
