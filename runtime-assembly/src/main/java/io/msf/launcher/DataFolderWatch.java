package io.msf.launcher;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Stops the container once its data folder no longer marks it as running there ({@link PidFile#lost}):
 * the folder, or the lock file the launcher holds in it, deleted, moved or replaced while the container
 * runs (by hand, a clean-up script, systemd-tmpfiles on a folder under /tmp). bin/msf finds the container
 * by those files: without them {@code status} said "not running", {@code stop} stopped nothing and
 * {@code start} launched a second container on the folder beside this one, which lost the ports to it,
 * while this one ran on where nothing but {@code kill} could reach it. Its framework cache and its sockets
 * went with the folder, and a running framework cannot make them again, so the container stops, with exit
 * code 1: the next start (by hand, a service manager, the parent's supervisor) makes the folder whole.
 * PostgreSQL does the same when its postmaster.pid goes.
 *
 * <p>One look every {@value #INTERVAL_SECONDS} s: a few file attribute reads on a daemon thread.
 */
final class DataFolderWatch {

    static final int INTERVAL_SECONDS = 5;

    private final Supplier<Optional<String>> lostBecause;
    private final Runnable stop;
    private final PrintStream err;
    private final long pid;
    private final Thread thread;
    private volatile boolean lost;

    /**
     * @param lostBecause why the folder no longer marks this container as its own, if it does not
     * @param stop        stops the container (and returns once it has stopped, or gave up)
     */
    DataFolderWatch(Supplier<Optional<String>> lostBecause, long pid, Duration interval, Runnable stop,
            PrintStream err) {
        this.lostBecause = lostBecause;
        this.pid = pid;
        this.stop = stop;
        this.err = err;
        this.thread = new Thread(() -> watch(interval.toMillis()), "msf-data-watch");
        thread.setDaemon(true);
    }

    /** Watches the data folder of {@code pidFile} from now on. */
    static DataFolderWatch start(PidFile pidFile, Runnable stop, PrintStream err) {
        return new DataFolderWatch(pidFile::lost, pidFile.pid(), Duration.ofSeconds(INTERVAL_SECONDS), stop, err)
                .started();
    }

    DataFolderWatch started() {
        thread.start();
        return this;
    }

    /** Whether the container stopped because of the data folder: the launcher then exits with 1, not 0. */
    boolean lost() {
        return lost;
    }

    /** No more looks: the container is stopping, and its launcher removes these files itself. */
    void close() {
        thread.interrupt();
    }

    private void watch(long intervalMillis) {
        try {
            while (true) {
                Thread.sleep(intervalMillis);
                Optional<String> reason = lostBecause.get();
                if (reason.isPresent()) {
                    lost = true;
                    err.println("msf: " + reason.get() + " while the container ran: bin/msf can no longer find this"
                            + " container (pid " + pid + ") to stop it, and a start would run a second one on the"
                            + " folder; stopping (exit code 1), start it again to make the data folder whole");
                    stop.run();
                    return;
                }
            }
        } catch (InterruptedException e) {
            // closed
        }
    }
}
