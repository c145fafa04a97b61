package io.msf.itests;

/**
 * A supervised process ({@code msf.process~crasher}) that fails at once, every time, with exit code 3:
 * restarted twice within a short backoff, then given up as a crash loop.
 */
public final class CrashingProcess {

    public static final String FILE = "msf.process~crasher.cfg";

    public static final String[] CONFIG = {
        "command = sh",
        "args = -c 'echo failing; exit 3'",
        "restart = on-failure",
        "backoffInitialMillis = 20",
        "backoffMaxMillis = 200",
        "maxRestarts = 2",
        "windowMillis = 60000"};

    private CrashingProcess() {
    }
}
