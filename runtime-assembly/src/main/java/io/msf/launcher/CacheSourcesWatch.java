package io.msf.launcher;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitOption;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Watches the folders a kept cache's fingerprint covers ({@code msf.cache.watch}) while the
 * container runs, and runs a check after each change, on a thread of its own ({@code
 * msf-cache-watch}). A burst of changes (an editor's save, FileInstall writing configurations back)
 * makes one check. Folders made later are watched from their creation on. A watched folder that
 * does not exist at the start is not watched (etc/ and deploy/ always do): one made while the
 * container runs and removed while it is down is not seen. When watching fails (the kernel's limit
 * of watches, say), the watch ends and says so, and the record goes: the next start wipes.
 */
final class CacheSourcesWatch implements AutoCloseable {

    /** How long a burst of changes may go on before the check runs. */
    private static final long SETTLE_MILLIS = 50;

    private final WatchService service;
    private final Runnable check;
    private final Runnable lost;
    private final PrintStream problems;

    private CacheSourcesWatch(WatchService service, Runnable check, Runnable lost, PrintStream problems) {
        this.service = service;
        this.check = check;
        this.lost = lost;
        this.problems = problems;
    }

    /**
     * Watches {@code folders} and everything below them, then runs {@code check} after each change,
     * and {@code lost} if the watch fails later (changes may then go unseen).
     *
     * @return null if they cannot be watched (reported to {@code problems})
     */
    static CacheSourcesWatch start(List<Path> folders, Runnable check, Runnable lost, PrintStream problems) {
        WatchService service = null;
        try {
            service = FileSystems.getDefault().newWatchService();
            for (Path folder : folders) {
                if (Files.isDirectory(folder)) {
                    register(service, folder);
                }
            }
        } catch (IOException | RuntimeException e) {
            problems.println("msf: cannot watch " + folders + " for changes (the next start wipes the cache): " + e);
            closeQuietly(service);
            return null;
        }
        CacheSourcesWatch watch = new CacheSourcesWatch(service, check, lost, problems);
        Thread thread = new Thread(watch::run, "msf-cache-watch");
        thread.setDaemon(true);
        thread.start();
        return watch;
    }

    @Override
    public void close() {
        closeQuietly(service);
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = service.take();
                do {
                    registerCreatedFolders(key);
                    key.reset();
                    key = service.poll(SETTLE_MILLIS, TimeUnit.MILLISECONDS);
                } while (key != null);
                check.run();
            }
        } catch (ClosedWatchServiceException e) {
            // closed: the container stopped, or the check has done what it was there for
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            problems.println("msf: stopped watching the files the kept cache was built from (the next start wipes"
                    + " it): " + e);
            lost.run();
        }
    }

    private void registerCreatedFolders(WatchKey key) throws IOException {
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == ENTRY_CREATE && key.watchable() instanceof Path) {
                Path created = ((Path) key.watchable()).resolve((Path) event.context());
                if (Files.isDirectory(created)) {
                    try {
                        register(service, created);
                    } catch (NoSuchFileException gone) {
                        // removed again at once: its deletion is the next event
                    }
                }
            }
        }
    }

    private static void register(WatchService service, Path folder) throws IOException {
        Files.walkFileTree(folder, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes)
                            throws IOException {
                        dir.register(service, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                        if (e instanceof FileSystemLoopException) {
                            // as the fingerprint skips it: the folder it leads to is watched already
                            return FileVisitResult.CONTINUE;
                        }
                        throw e;
                    }
                });
    }

    private static void closeQuietly(WatchService service) {
        if (service == null) {
            return;
        }
        try {
            service.close();
        } catch (IOException e) {
            // nothing left to watch either way
        }
    }
}
