package io.msf.config.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The threads of bundles' own checks ({@link OwnCheck}) that did not answer in time and still run, by
 * bundle and class: such a check is not started again until that thread ends. A check that hangs for
 * good would otherwise hold FileInstall's thread for its whole wait at every file of its PID (at
 * start, every {@code msf.process~} file, one after the other) and leave one more thread behind each
 * time.
 */
final class LateChecks {

    private static final Map<String, Thread> RUNNING = new ConcurrentHashMap<>();

    private LateChecks() {
    }

    /** Whether the check {@code className} of {@code bundleId} still runs from a call it did not answer in time. */
    static boolean stillRunning(long bundleId, String className) {
        String key = key(bundleId, className);
        Thread late = RUNNING.get(key);
        if (late != null && !late.isAlive()) {
            RUNNING.remove(key, late);
            return false;
        }
        return late != null;
    }

    /** Notes that {@code thread}, running the check, did not answer in time. */
    static void late(long bundleId, String className, Thread thread) {
        RUNNING.put(key(bundleId, className), thread);
    }

    private static String key(long bundleId, String className) {
        return bundleId + " " + className;
    }
}
