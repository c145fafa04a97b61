package io.msf.deploy.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

/**
 * Takes a jar dropped into the deploy folder: follows a symlink to a regular file, copies the jar
 * aside, checks that the copy is a complete jar (its zip directory and every entry read back, a
 * bundle manifest) and that the original did not change while it was copied. What is installed is
 * that checked copy, so a jar overwritten in place later cannot change a running bundle.
 */
final class DeployFolder {

    /** A checked copy of a dropped jar. */
    record Snapshot(String symbolicName, String version, Path copy) {
    }

    /** How the name of a copy being taken starts and ends ({@link DeployLeftovers} removes what a crash left). */
    static final String COPY_PREFIX = ".copy-";
    static final String COPY_SUFFIX = ".jar";
    private static final int KEPT = 3;
    /** An OSGi version as the framework reads it: major[.minor[.micro[.qualifier]]]. */
    private static final Pattern OSGI_VERSION = Pattern.compile("[0-9]+(\\.[0-9]+(\\.[0-9]+(\\.[A-Za-z0-9_-]+)?)?)?");
    /** What follows {@code <name>-} in the name of a copy: {@code <version>-<checksum>.jar}. */
    private static final Pattern COPY_REST = Pattern.compile(OSGI_VERSION.pattern() + "-[0-9a-f]+\\.jar");

    /** A zip's first entry starts with the bytes 'P' 'K' 3 4; a zip with no entry at all with 'P' 'K' 5 6. */
    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};
    private static final byte[] EMPTY_ZIP_MAGIC = {'P', 'K', 5, 6};
    private static final int HEAD = 64;
    private static final int SHOWN_TEXT = 20;

    private final Path snapshots;
    private final Supplier<Optional<Set<String>>> inUse;
    private final Consumer<String> warn;
    private final JarCopy jarCopy;
    private final AtomicLong lastStamp = new AtomicLong();

    /** Copies a dropped jar aside: {@link Files#copy}, or in tests a copy its writer interrupts. */
    @FunctionalInterface
    interface JarCopy {
        void copy(Path from, Path to) throws IOException;
    }

    /**
     * @param snapshots where the checked copies are kept (inside the owner-only data folder)
     * @param inUse the locations ({@code file:} URIs) of copies a service still needs, which are
     *     never pruned; empty if that cannot be told (then nothing is pruned)
     * @param warn told of older copies that could not be removed (the jar is taken all the same)
     */
    DeployFolder(Path snapshots, Supplier<Optional<Set<String>>> inUse, Consumer<String> warn) {
        this(snapshots, inUse, warn, (from, to) -> Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING));
    }

    DeployFolder(Path snapshots, Supplier<Optional<Set<String>>> inUse, Consumer<String> warn, JarCopy jarCopy) {
        this.snapshots = snapshots;
        this.inUse = inUse;
        this.warn = warn;
        this.jarCopy = jarCopy;
    }

    Snapshot take(File dropped) throws DeployException {
        Path path = dropped.toPath();
        Path real;
        try {
            real = path.toRealPath();
        } catch (NoSuchFileException e) {
            // removed between FileInstall's scan and here: it goes from the deployer once FileInstall sees it gone
            throw new DeployException(Files.isSymbolicLink(path) ? "is a symlink to nothing (" + e.getMessage() + ")"
                    : "was removed before it could be read");
        } catch (IOException e) {
            throw new DeployException("is a symlink to nothing readable (" + e.getMessage() + ")");
        }
        if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new DeployException((real.equals(path.toAbsolutePath()) ? "" : "points to " + real + ", which ")
                    + "is not a regular file");
        }
        try {
            Files.createDirectories(snapshots);
            long size = Files.size(real);
            FileTime modified = Files.getLastModifiedTime(real);
            Path copy = Files.createTempFile(snapshots, COPY_PREFIX, COPY_SUFFIX);
            try {
                jarCopy.copy(real, copy);
                // before the copy is checked: a jar rewritten while it was copied leaves a part in the copy,
                // which the check would refuse as 'not a complete jar', as it does a download that failed
                if (Files.size(real) != size || !Files.getLastModifiedTime(real).equals(modified)) {
                    throw new DeployException("changed while it was read: still being written? It is taken once"
                            + " it stays the same (copy under another name, then rename it into place)");
                }
                Manifest manifest = verify(copy);
                Attributes main = manifest.getMainAttributes();
                String bsn = main.getValue("Bundle-SymbolicName");
                if (bsn == null || bsn.isBlank()) {
                    throw new DeployException("is a jar but not an OSGi bundle: its manifest has no Bundle-SymbolicName");
                }
                String name = serviceName(bsn);
                if (!ServiceSpecs.isName(name)) {
                    // it names the copy and the last good state: a '/' or '..' would put them elsewhere
                    throw new DeployException("has Bundle-SymbolicName '" + name + "', which is no service name: "
                            + ServiceSpecs.NAME_RULE);
                }
                String version = main.getValue("Bundle-Version") == null ? "0.0.0" : main.getValue("Bundle-Version").trim();
                if (!OSGI_VERSION.matcher(version).matches()) {
                    // the framework would refuse it too; refused here, no copy is kept that prune could not tell apart
                    throw new DeployException("has Bundle-Version '" + version + "', which is not an OSGi version"
                            + " (major[.minor[.micro[.qualifier]]])");
                }
                Path kept = snapshots.resolve(name + "-" + version + "-" + Long.toHexString(checksum(copy)) + ".jar");
                Files.move(copy, kept, StandardCopyOption.REPLACE_EXISTING);
                // strictly increasing, so that copies taken within one millisecond still sort by age
                Files.setLastModifiedTime(kept, FileTime.fromMillis(
                        lastStamp.updateAndGet(last -> Math.max(last + 1, System.currentTimeMillis()))));
                pruneOrWarn(name);
                return new Snapshot(name, version, kept);
            } finally {
                Files.deleteIfExists(copy);
            }
        } catch (IOException e) {
            throw new DeployException(notTaken(e), e);
        }
    }

    /**
     * Why a jar could not be taken: reading it, or writing its copy into the data folder, failed. A full
     * disk under data/ is not the jar's fault, and was told as "cannot be read".
     */
    private String notTaken(IOException e) {
        if (e instanceof FileSystemException failed) {
            String written = failed.getOtherFile() != null ? failed.getOtherFile() : failed.getFile();
            if (written != null && Path.of(written).toAbsolutePath().startsWith(snapshots.toAbsolutePath())) {
                return "cannot be copied into " + snapshots + ": "
                        + (failed.getReason() != null ? failed.getReason() : failed.toString());
            }
        }
        return "cannot be read: " + e.getMessage();
    }

    /**
     * The service a jar would become, read from its manifest alone, without taking it; empty if it
     * cannot be read or is no bundle.
     */
    static Optional<String> symbolicName(Path jar) {
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            Manifest manifest = file.getManifest();
            String bsn = manifest == null ? null : manifest.getMainAttributes().getValue("Bundle-SymbolicName");
            return bsn == null || bsn.isBlank() ? Optional.empty() : Optional.of(serviceName(bsn));
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    /** The symbolic name without its directives ({@code singleton:=true}). */
    private static String serviceName(String bsnHeader) {
        return bsnHeader.split(";")[0].trim();
    }

    /** Older copies that stay for a failure (a disk error, a permission) cost space, not the jar just taken. */
    private void pruneOrWarn(String name) {
        try {
            prune(name);
        } catch (IOException e) {
            warn.accept("deploy folder: older copies of " + name + " in " + snapshots + " not removed: " + e);
        }
    }

    /**
     * Keeps the newest {@value #KEPT} copies of a service (the running one, the one a rollback
     * returns to, and one being swapped in, as long as none failed) and every copy still in use: the
     * one that serves and the last good one kept on disk, installed again after a restart, are older
     * than every copy that failed after them. The bundle cache holds its own copy of what is
     * installed, but only while it stays installed.
     */
    private void prune(String name) throws IOException {
        Optional<Set<String>> needed = inUse.get();
        if (needed.isEmpty()) {
            return;
        }
        List<Path> copies;
        try (Stream<Path> files = Files.list(snapshots)) {
            // <name>-<version>-<checksum>.jar. A symbolic name may go on with "-" and a digit ("echo-2"),
            // so what follows <name>- must be a whole OSGi version and a checksum, nothing more
            copies = files.filter(f -> f.getFileName().toString().startsWith(name + "-"))
                    .filter(f -> COPY_REST.matcher(f.getFileName().toString().substring(name.length() + 1)).matches())
                    .sorted(Comparator.comparing(DeployFolder::modified).reversed()).toList();
        }
        for (Path old : copies.subList(Math.min(KEPT, copies.size()), copies.size())) {
            if (needed.get().contains(old.toUri().toString())) {
                continue;
            }
            Files.deleteIfExists(old);
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException gone) {
            return FileTime.fromMillis(0);
        }
    }

    /** Reads the whole zip back, so a truncated or damaged jar is refused here and never half-installed. */
    private static Manifest verify(Path jar) throws DeployException {
        try (JarFile file = new JarFile(jar.toFile(), true)) {
            byte[] buffer = new byte[8192];
            for (Enumeration<? extends ZipEntry> entries = file.entries(); entries.hasMoreElements();) {
                ZipEntry entry = entries.nextElement();
                CRC32 crc = new CRC32();
                try (InputStream in = file.getInputStream(entry)) {
                    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                        crc.update(buffer, 0, n);
                    }
                } catch (IOException e) {
                    // the zip's directory read: the jar is whole, one entry's data is broken ("invalid block type")
                    throw new DeployException("is damaged: entry " + entry.getName() + " cannot be read ("
                            + e.getMessage() + "); nothing of it is installed");
                }
                // ZipFile checks sizes but not the CRC of a stored entry
                if (entry.getCrc() != -1 && entry.getCrc() != crc.getValue()) {
                    throw new DeployException("is damaged: entry " + entry.getName() + " does not match its checksum;"
                            + " nothing of it is installed");
                }
            }
            Manifest manifest = file.getManifest();
            if (manifest == null) {
                throw new DeployException("is a zip without META-INF/MANIFEST.MF, not a bundle");
            }
            return manifest;
        } catch (IOException | SecurityException e) {
            throw new DeployException(notComplete(jar, e));
        }
    }

    /**
     * Why a jar that cannot be read whole is refused; a configured location's jar is told the same.
     * The zip reader's own words ("zip END header not found") say the same of a jar still being
     * written and of a file that never was one (an HTML error page saved by a failed download): the
     * file's first bytes tell them apart.
     */
    static String notComplete(Path jar, Exception e) {
        byte[] start = new byte[HEAD];
        int read;
        try (InputStream in = Files.newInputStream(jar)) {
            read = in.readNBytes(start, 0, HEAD);
        } catch (IOException | SecurityException unreadable) {
            read = -1;
        }
        if (read == 0) {
            return "is empty: still being written? It is taken once complete; nothing of it is installed";
        }
        if (read >= ZIP_MAGIC.length && !Arrays.equals(start, 0, ZIP_MAGIC.length, ZIP_MAGIC, 0, ZIP_MAGIC.length)
                && !Arrays.equals(start, 0, EMPTY_ZIP_MAGIC.length, EMPTY_ZIP_MAGIC, 0, EMPTY_ZIP_MAGIC.length)) {
            return "is no jar: it does not start as a zip does (it starts " + shownStart(start, read)
                    + "); nothing of it is installed";
        }
        return "is not a complete jar (" + e.getMessage() + "); nothing of it is installed";
    }

    /** The start of a file as text if it is text, quoted, else its first four bytes in hex. */
    private static String shownStart(byte[] start, int read) {
        int text = 0;
        while (text < read && start[text] >= 0x20 && start[text] < 0x7f) {
            text++;
        }
        if (text >= ZIP_MAGIC.length) {
            String shown = new String(start, 0, Math.min(text, SHOWN_TEXT), StandardCharsets.US_ASCII).strip();
            return "'" + shown + "'" + (start[0] == '<' ? "; a download that saved an error page?" : "");
        }
        StringBuilder hex = new StringBuilder("0x");
        for (int i = 0; i < ZIP_MAGIC.length; i++) {
            hex.append(String.format("%02x", start[i] & 0xff));
        }
        return hex.toString();
    }

    /**
     * Read a buffer at a time: the container's heap is small (bin/msf gives it 256 MiB and ends it at
     * the first OutOfMemoryError), and a jar read whole into memory could be larger.
     */
    private static long checksum(Path file) throws IOException {
        CRC32 crc = new CRC32();
        byte[] buffer = new byte[8192];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                crc.update(buffer, 0, n);
            }
        }
        return crc.getValue();
    }
}
