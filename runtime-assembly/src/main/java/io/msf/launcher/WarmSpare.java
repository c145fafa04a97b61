package io.msf.launcher;

import io.msf.launcher.StartLevelLayout.BundleFile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;

/**
 * Warm-spare mode ({@code -Dmsf.spare=true}, set by a parent's supervisor for a child container
 * with {@code warmSpare=true}): the JVM boots, the framework starts up to {@code msf.spare.level}
 * with every bundle installed and resolved, and the launcher then waits for the line
 * {@value #GO} on stdin, which the parent writes when the child this spare stands in for has
 * died. Only then does the spare claim the data folder (pid file, status file) and raise the
 * start level, so a restart costs the services' own activation instead of a JVM boot
 * (bench/supervisor).
 *
 * <p>Until then the spare leaves the data folder to the child that is still running: its
 * framework cache is its own ({@code spare-cache-<pid>}; the next spare removes those of ended
 * processes), and the jars of {@code msf.spare.defer} (the log bundle, which opens the log file as
 * soon as it starts) wait for the promotion. Stopping works as always: SIGTERM, or the parent's
 * end (its pipe or its pid, {@link ParentWatch}).
 */
final class WarmSpare {

    static final String SPARE = "msf.spare";
    static final String LEVEL = "msf.spare.level";
    static final String DEFER = "msf.spare.defer";
    static final String INIT = "msf.spare.init";
    /**
     * Framework property of a spare: the start level its promotion raises the framework to (its
     * beginning level is the spare level), for bundles that must wait for the running container
     * (the deployer's clean-up of what the container started without).
     */
    static final String PROMOTED_LEVEL = "msf.spare.promotedLevel";
    /** The line of the parent that promotes the spare. */
    static final String GO = "start";
    private static final String CACHE_PREFIX = "spare-cache-";
    private static final long STOP_POLL_MILLIS = 200;

    private final CountDownLatch promoted = new CountDownLatch(1);
    private volatile long promotedAtMillis;
    private int spareLevel;
    private int finalLevel;

    private WarmSpare() {
    }

    /**
     * The spare this launcher is, if {@code msf.spare} asks for one.
     *
     * @throws IllegalArgumentException the value is not true or false, or there is no parent to promote it
     */
    static Optional<WarmSpare> requested(Properties system) {
        String value = system.getProperty(SPARE, "false").trim();
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(SPARE + " must be true or false, not '" + value + "'");
        }
        if (!Boolean.parseBoolean(value)) {
            return Optional.empty();
        }
        if (system.getProperty(ParentWatch.PARENT_PID, "").isBlank()) {
            throw new IllegalArgumentException(SPARE + "=true needs " + ParentWatch.PARENT_PID
                    + ": only a parent can promote a spare");
        }
        return Optional.of(new WarmSpare());
    }

    /** A line from the parent's pipe; {@value #GO} promotes the spare (once). */
    void line(String line) {
        if (GO.equals(line.trim()) && promoted.getCount() > 0) {
            promotedAtMillis = System.currentTimeMillis();
            promoted.countDown();
        }
    }

    /**
     * The configuration of the spare: its own framework cache, wiped at start and never kept, and
     * the spare start level as the beginning one; the container's beginning level is kept for
     * {@link #finalLevel()}.
     *
     * @throws IllegalArgumentException {@code msf.spare.level} is no level below the beginning one
     */
    LauncherConfig standIn(LauncherConfig config, PrintStream problems) {
        Map<String, String> properties = new TreeMap<>(config.properties());
        finalLevel = level(config, Constants.FRAMEWORK_BEGINNING_STARTLEVEL, "1");
        spareLevel = level(config, LEVEL, "1");
        if (spareLevel >= finalLevel) {
            throw new IllegalArgumentException(config.source(LEVEL, Constants.FRAMEWORK_BEGINNING_STARTLEVEL) + ": "
                    + LEVEL + " (" + spareLevel
                    + ") must be below " + Constants.FRAMEWORK_BEGINNING_STARTLEVEL + " (" + finalLevel + ")");
        }
        properties.put(KeptCache.STORAGE, ownCache(config.data()).toString());
        properties.put(KeptCache.CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        properties.put(KeptCache.KEEP, "false");
        properties.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, Integer.toString(spareLevel));
        properties.put(PROMOTED_LEVEL, Integer.toString(finalLevel));
        return new LauncherConfig(config.home(), config.data(), properties, config.overridden());
    }

    /**
     * {@code plan} with the deferred jars ({@code msf.spare.defer} of {@code config}) moved above
     * the spare level; known after {@link #standIn}.
     */
    List<BundleFile> defer(List<BundleFile> plan, LauncherConfig config) {
        if (spareLevel == 0) {
            throw new IllegalStateException("the spare level is known only after standIn");
        }
        JarGlobs deferred = JarGlobs.parse(config.source(DEFER), DEFER, config.properties().getOrDefault(DEFER, ""));
        List<BundleFile> result = new ArrayList<>(plan.size());
        for (BundleFile entry : plan) {
            boolean late = entry.level() <= spareLevel && deferred.matches(entry.file());
            result.add(late ? new BundleFile(spareLevel + 1, entry.file()) : entry);
        }
        return result;
    }

    /**
     * Initialises the classes of {@code msf.spare.init} ({@link ClassInit}): static set-up the
     * promotion would otherwise pay on its critical path, such as loading Netty's native epoll
     * library. Only classes whose initialisation starts no thread and touches no file of the child
     * belong there.
     *
     * @return how many were initialised
     */
    int initialise(BundleContext context, Map<String, String> properties, PrintStream problems) {
        int initialised = 0;
        for (ClassInit.Entry entry : ClassInit.parse(INIT, properties.getOrDefault(INIT, ""), problems)) {
            if (ClassInit.initialise(bundle(context, entry.bundle()), entry, INIT, problems)) {
                initialised++;
            }
        }
        return initialised;
    }

    private static Bundle bundle(BundleContext context, String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        return null;
    }

    /**
     * Waits, with the framework at the spare level, until the parent promotes this spare.
     *
     * @return false if the framework stopped first (SIGTERM, the parent's end)
     */
    boolean awaitPromotion(Framework framework) throws InterruptedException {
        while (!promoted.await(STOP_POLL_MILLIS, TimeUnit.MILLISECONDS)) {
            if ((framework.getState() & (Bundle.STARTING | Bundle.ACTIVE)) == 0) {
                return false;
            }
        }
        return (framework.getState() & (Bundle.STARTING | Bundle.ACTIVE)) != 0;
    }

    /** When the parent's {@value #GO} arrived, epoch milliseconds: the spare's ready line counts from there. */
    long promotedAtMillis() {
        return promotedAtMillis;
    }

    /** The level the spare waits at. */
    int spareLevel() {
        return spareLevel;
    }

    /** The container's beginning start level, which the promotion raises the framework to. */
    int finalLevel() {
        return finalLevel;
    }

    private static int level(LauncherConfig config, String key, String fallback) {
        String value = config.properties().getOrDefault(key, fallback).trim();
        try {
            int level = Integer.parseInt(value);
            if (level >= 1) {
                return level;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(config.source(key) + ": " + key
                + " must be a start level (1 or more), not '" + value + "'");
    }

    /** This spare's framework cache, named by its pid so that no other process ever uses it. */
    static Path ownCache(Path data) {
        return data.resolve(CACHE_PREFIX + ProcessHandle.current().pid());
    }

    /**
     * Removes the caches of spares whose process has ended: a spare removes its own when it
     * stops, but one killed (or a promoted one that crashed) leaves it behind. A cache is kept
     * while its pid is the live container of {@code data} ({@link PidFile#isContainerOf}, as the
     * pid file's): a pid the OS has since given to another program (after a reboot, or just a
     * busy machine) kept it until that program ended, a whole cache of jars for each.
     */
    static void removeEndedCaches(Path data, PrintStream problems) {
        if (!Files.isDirectory(data)) {
            return;
        }
        try (DirectoryStream<Path> caches = Files.newDirectoryStream(data, CACHE_PREFIX + "*")) {
            for (Path cache : caches) {
                if (!ownerAlive(cache.getFileName().toString().substring(CACHE_PREFIX.length()), data)) {
                    remove(cache, problems);
                }
            }
        } catch (IOException | RuntimeException e) {
            problems.println("msf: cannot list the framework caches of ended spares in " + data + ": " + e);
        }
    }

    /** Deletes a spare's cache; a failure is reported, never fatal. */
    static void remove(Path cache, PrintStream problems) {
        try {
            deleteTree(cache);
        } catch (IOException | RuntimeException e) {
            problems.println("msf: cannot remove the framework cache " + cache + " of an ended spare: " + e);
        }
    }

    private static boolean ownerAlive(String pid, Path data) {
        try {
            return PidFile.isContainerOf(Long.parseLong(pid), data);
        } catch (NumberFormatException e) {
            return true; // not named by this class: leave it
        }
    }

    private static void deleteTree(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
