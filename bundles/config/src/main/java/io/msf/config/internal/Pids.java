package io.msf.config.internal;

/**
 * The parts of a configuration's PID as Config Admin gives it: {@code factoryPid~name} for a factory
 * configuration, the plain PID otherwise. The first {@code '~'} splits, so a name may hold another; one
 * at the start splits nothing (no factory PID is empty).
 */
final class Pids {

    private Pids() {
    }

    /** The factory PID of {@code factoryPid~name}; a plain PID is its own. */
    static String base(String pid) {
        int tilde = pid.indexOf('~');
        return tilde > 0 ? pid.substring(0, tilde) : pid;
    }

    /** The factory configuration's name, after the {@code '~'}; null for a plain PID. */
    static String name(String pid) {
        int tilde = pid.indexOf('~');
        return tilde > 0 ? pid.substring(tilde + 1) : null;
    }
}
