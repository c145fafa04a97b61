package io.msf.launcher;

import io.msf.launcher.StartLevelLayout.BundleFile;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.CRC32;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;

/**
 * {@code msf.cache.keep=true}: starts on the framework cache of the previous run instead of a
 * wiped one when nothing it was built from has changed, which saves installing every bundle
 * again (a supervised child container restarts faster; bench/supervisor).
 *
 * <p>Correctness before speed: the cache is kept only if a fingerprint of everything it was
 * built from equals the one written by the previous run: the resolved framework properties
 * (profile included), every file of {@code lib/} (Felix itself), every planned and console jar,
 * and every file below the folders of {@code msf.cache.watch} (etc/ and deploy/: a configuration
 * or a dropped jar that changed while the container was down). Jars are compared by path, size
 * and modification time, as FileInstall and the supervisor's copies do; other files (the small
 * configuration files) by path and content, since FileInstall rewrites them unchanged at every
 * start. Anything else wipes the cache as {@code onFirstInit} does. Bundles the launcher did not install itself (FileInstall's from
 * deploy/, the deployer's services, the console of bundle/console/) are uninstalled before the
 * framework starts: they come back from their source exactly as after a wipe, so a service whose
 * artifact changed in a repository is never run from a stale copy.
 *
 * <p>The fingerprint is deleted at every start and written again only once the container is
 * ready: a run that dies before leaves none, and the next start wipes. A keep=false run leaves
 * none either, since it may rebuild the cache from other files. A fingerprint or watched file
 * that cannot be read is reported and wipes the cache; it never stops the container.
 *
 * <p>The fingerprint describes the files at launch, but the cache keeps what the container made of
 * them while it ran. A configuration file added while it runs and deleted while it is down would
 * leave its configuration in a cache the next start finds current: FileInstall removes the
 * configuration of a deleted file only when it sees the deletion. So the fingerprint is written at
 * ready only if the files still match it, and deleted as soon as they stop matching afterwards
 * ({@link CacheSourcesWatch}): after such a change the next start wipes, even after a kill.
 * Files rewritten unchanged (FileInstall's write-back) keep the record.
 */
final class KeptCache {

    static final String KEEP = "msf.cache.keep";
    static final String WATCH = "msf.cache.watch";
    static final String STORAGE = Constants.FRAMEWORK_STORAGE;
    static final String CLEAN = Constants.FRAMEWORK_STORAGE_CLEAN;

    private final Path fingerprintFile;
    private final String fingerprint;
    private final boolean reused;
    /** Recomputes the fingerprint from the files as they are now. */
    private final FingerprintSource source;
    private final List<Path> watchedFolders;
    private boolean readyOnce;
    private boolean closed;
    private CacheSourcesWatch watch;

    /** The fingerprint of the files as they are now. */
    @FunctionalInterface
    interface FingerprintSource {
        String now() throws IOException;
    }

    private KeptCache(Path fingerprintFile, String fingerprint, boolean reused, FingerprintSource source,
            List<Path> watchedFolders) {
        this.fingerprintFile = fingerprintFile;
        this.fingerprint = fingerprint;
        this.reused = reused;
        this.source = source;
        this.watchedFolders = watchedFolders;
    }

    private static KeptCache notKept() {
        return new KeptCache(null, null, false, null, List.of());
    }

    /**
     * Decides whether the previous cache can be used. Never stops the container from starting:
     * a fingerprint or watched file that cannot be read is reported to {@code problems} and the
     * cache wiped. The old fingerprint is deleted in every case (a keep=false run may rebuild the
     * cache from other files; a reused one gets it back only once ready, see {@link #ready}).
     *
     * @throws IllegalArgumentException {@code msf.cache.keep} is neither true nor false
     */
    static KeptCache decide(LauncherConfig config, List<BundleFile> plan, List<Path> consoleJars, PrintStream problems) {
        Map<String, String> properties = config.properties();
        String keep = properties.getOrDefault(KEEP, "false").trim();
        if (!keep.equalsIgnoreCase("true") && !keep.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(config.source(KEEP) + ": " + KEEP + " must be true or false, not '"
                    + keep + "'");
        }
        String storage = properties.get(STORAGE);
        if (storage == null || storage.isBlank()) {
            return notKept();
        }
        Path cache;
        try {
            cache = Path.of(storage.trim());
        } catch (InvalidPathException e) {
            return notKept(); // Felix itself reports the bad storage path
        }
        Path file = cache.resolveSibling(cache.getFileName() + ".fingerprint");
        if (!Boolean.parseBoolean(keep)) {
            delete(file, problems);
            return notKept();
        }
        FingerprintSource source = () -> fingerprint(config, plan, consoleJars);
        String current;
        boolean same;
        try {
            current = source.now();
            same = Files.isDirectory(cache) && Files.isRegularFile(file)
                    && current.equals(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException | UncheckedIOException | InvalidPathException e) {
            problems.println("msf: cannot tell whether the kept cache " + cache + " is current (it is wiped): " + e);
            delete(file, problems);
            return notKept();
        }
        delete(file, problems);
        return new KeptCache(file, current, same, source, watchedFolders(config));
    }

    private static void delete(Path fingerprintFile, PrintStream problems) {
        try {
            Files.deleteIfExists(fingerprintFile);
        } catch (IOException e) {
            problems.println("msf: cannot delete " + fingerprintFile + ": " + e);
        }
    }

    /** Whether this start runs on the previous cache. */
    boolean reused() {
        return reused;
    }

    /** {@code properties} with the cache cleaning this decision needs. */
    Map<String, String> frameworkProperties(Map<String, String> properties) {
        if (fingerprintFile == null) {
            return properties;
        }
        Map<String, String> decided = new TreeMap<>(properties);
        decided.put(CLEAN, reused ? "none" : Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        return decided;
    }

    /**
     * On a reused cache, uninstalls every bundle that is not one of {@code plan}'s, before the
     * framework starts (see the class comment).
     */
    void dropUnplanned(BundleContext context, List<BundleFile> plan, PrintStream problems) {
        if (!reused) {
            return;
        }
        Set<String> planned = new HashSet<>();
        for (BundleFile entry : plan) {
            planned.add(BundleInstaller.location(entry.file()));
        }
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getBundleId() != 0 && !planned.contains(bundle.getLocation())) {
                try {
                    bundle.uninstall();
                } catch (BundleException | RuntimeException e) {
                    problems.println("msf: cannot uninstall " + bundle.getLocation() + " from the kept cache: " + e.getMessage());
                }
            }
        }
    }

    /**
     * Once the container is ready: records what its cache was built from, if the files still are
     * what they were at launch, and from then on deletes the record as soon as they no longer are.
     * A run that dies before leaves no fingerprint, so the next start wipes. If writing fails, the
     * next start wipes the cache again, which is slower but right: reported, not fatal.
     */
    synchronized void ready(PrintStream problems) {
        if (fingerprintFile == null || readyOnce || closed) {
            return;
        }
        readyOnce = true;
        // Watched before the files are compared: a change after the comparison is then seen too.
        watch = CacheSourcesWatch.start(watchedFolders, () -> checkSources(problems), () -> unwatched(problems),
                problems);
        if (watch == null || !sourcesUnchanged(problems)) {
            return; // unwatched, or changed since launch: the cache may hold what they were meanwhile
        }
        Path partial = fingerprintFile.resolveSibling(fingerprintFile.getFileName() + ".tmp");
        try {
            Files.writeString(partial, fingerprint, StandardCharsets.UTF_8);
            Files.move(partial, fingerprintFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            problems.println("msf: cannot write " + fingerprintFile + " (the next start wipes the cache again): " + e);
        }
    }

    /** Stops watching the files (the framework has stopped). */
    synchronized void close() {
        closed = true;
        if (watch != null) {
            watch.close();
        }
    }

    /** A watched folder changed: the record goes if the files no longer match it. */
    private synchronized void checkSources(PrintStream problems) {
        if (!sourcesUnchanged(problems)) {
            delete(fingerprintFile, problems);
            watch.close();
        }
    }

    /** The watch failed: changes may go unseen from now on, so the record goes. */
    private synchronized void unwatched(PrintStream problems) {
        delete(fingerprintFile, problems);
    }

    private boolean sourcesUnchanged(PrintStream problems) {
        try {
            return fingerprint.equals(source.now());
        } catch (IOException | UncheckedIOException | InvalidPathException e) {
            problems.println("msf: cannot tell whether the files the cache was built from changed (the next start"
                    + " wipes it): " + e);
            return false;
        }
    }

    private static String fingerprint(LauncherConfig config, List<BundleFile> plan, List<Path> consoleJars)
            throws IOException {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, String> property : config.properties().entrySet()) {
            text.append("property ").append(property.getKey()).append('=').append(property.getValue()).append('\n');
        }
        List<Path> files = new ArrayList<>();
        for (BundleFile entry : plan) {
            files.add(entry.file());
        }
        files.addAll(consoleJars);
        collect(config.home().resolve("lib"), files);
        for (Path folder : watchedFolders(config)) {
            collect(folder, files);
        }
        for (Path file : files) {
            try {
                append(text, file);
            } catch (IOException e) { // the file's own error may not name it (EIO, EACCES)
                throw new IOException("cannot read " + file + ": " + e, e);
            }
        }
        return text.toString();
    }

    private static List<Path> watchedFolders(LauncherConfig config) {
        List<Path> folders = new ArrayList<>();
        for (String folder : config.properties().getOrDefault(WATCH, "").split(",")) {
            if (!folder.isBlank()) {
                folders.add(Path.of(folder.trim()));
            }
        }
        return folders;
    }

    private static void append(StringBuilder text, Path file) throws IOException {
        if (!Files.exists(file)) {
            text.append("file ").append(file).append(" absent\n");
            return;
        }
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        text.append("file ").append(file).append(' ').append(attributes.size()).append(' ');
        if (file.getFileName().toString().endsWith(".jar")) {
            text.append(attributes.lastModifiedTime().toMillis());
        } else {
            CRC32 content = new CRC32();
            content.update(Files.readAllBytes(file));
            text.append("crc ").append(Long.toHexString(content.getValue()));
        }
        text.append('\n');
    }

    /**
     * Every regular file below {@code folder} (links followed), in a stable order; the folder
     * itself, recorded as absent, if it does not exist.
     */
    private static void collect(Path folder, List<Path> files) throws IOException {
        if (!Files.isDirectory(folder)) {
            files.add(folder); // recorded as absent: its appearance changes the fingerprint
            return;
        }
        List<Path> found = new ArrayList<>();
        // a named visitor, not Files.walk with lambdas: this runs before the framework starts
        // links followed: a linked configuration whose target changes must change the fingerprint
        Files.walkFileTree(folder, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                if (Files.isRegularFile(file)) {
                    found.add(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof FileSystemLoopException) {
                    return FileVisitResult.CONTINUE; // the looping link adds no file of its own
                }
                // unreadable, or vanished during the walk: the caller wipes the cache
                throw new IOException("cannot read " + file + ": " + e, e);
            }
        });
        found.sort(null);
        files.addAll(found);
    }
}
