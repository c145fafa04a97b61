package io.msf.config.internal;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.osgi.service.component.annotations.Component;

/**
 * What each configuration file of etc/ said when the gate last applied it, or the write-back last
 * saved into it. With it the write-back tells a change made through Config Admin from the file's
 * own configuration arriving, and a file that still says what was applied from one an operator has
 * edited since (an edit not read yet, or refused by the gate), which must not be written over. A
 * file the gate refuses before it applied it once (the container started with the edit in it) said
 * what the configuration made from it holds, when it was applied before.
 * Shared by {@link ConfigGate} and {@link ConfigSaveBack}: a service of this bundle only.
 */
@Component(service = AppliedFiles.class)
public final class AppliedFiles {

    private final Map<Path, Map<String, ?>> values = new ConcurrentHashMap<>();
    /** Files whose removal FileInstall reported and whose configuration is being deleted for it. */
    private final Set<Path> removed = ConcurrentHashMap.newKeySet();
    /**
     * Held by the gate from recording what it applies until Config Admin has it, and by the
     * write-back while it compares a configuration with its file and writes or deletes the file:
     * otherwise the write-back could find the file's new values recorded but the old configuration
     * still in force, take that for a change made through Config Admin and write it over the edit.
     */
    private final ReentrantLock applying = new ReentrantLock();

    /** Work that may throw what its caller does. */
    interface Held<E extends Exception> {
        void run() throws E;
    }

    /** Runs {@code work} while neither the gate applies a file nor the write-back writes one. */
    <E extends Exception> void whileHeld(Held<E> work) throws E {
        applying.lock();
        try {
            work.run();
        } finally {
            applying.unlock();
        }
    }

    /** {@code file} now says {@code properties}, and they are (or are being) applied. */
    void applied(Path file, Map<String, ?> properties) {
        removed.remove(key(file));
        values.put(key(file), Map.copyOf(properties));
    }

    /**
     * {@code file} was removed and its configuration is deleted for that: the write-back must not
     * take that deletion for one made through Config Admin. The file may be back before the
     * deletion's event arrives (a tool that deletes and writes a file again), and would be deleted.
     */
    void removedWithItsConfiguration(Path file) {
        values.remove(key(file));
        removed.add(key(file));
    }

    /** Whether the deletion of {@code file}'s configuration followed the file's removal (asked once). */
    boolean takeRemoved(Path file) {
        return removed.remove(key(file));
    }

    /**
     * {@code file} said {@code properties} when it was applied before this bundle started, unless
     * something applied since says otherwise.
     */
    void appliedBefore(Path file, Map<String, ?> properties) {
        values.putIfAbsent(key(file), Map.copyOf(properties));
    }

    /** Nothing is known of {@code file} any more (deleted, or applied unread with the gate off). */
    void forget(Path file) {
        values.remove(key(file));
    }

    /** What {@code file} said when last applied or saved, or null if that is not known. */
    Map<String, ?> lastApplied(Path file) {
        return values.get(key(file));
    }

    private static Path key(Path file) {
        return file.toAbsolutePath().normalize();
    }
}
