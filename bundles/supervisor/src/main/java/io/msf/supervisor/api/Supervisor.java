package io.msf.supervisor.api;

import java.util.List;
import java.util.NoSuchElementException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The processes the container supervises, one per {@code msf.process~<name>} configuration, and
 * the operator's controls over them. Every method that names a process throws
 * {@link NoSuchElementException} when no process has that name.
 */
@ProviderType
public interface Supervisor {

    /**
     * EventAdmin topic of the alert raised when a process is given up after a crash loop, and cleared
     * when it leaves it (started again, stopped by hand, reconfigured, or removed): {@link #EVENT_STATE}
     * tells which.
     */
    String CRASH_LOOP_TOPIC = "msf/alert/crashloop";
    /** Event property: {@code raised} or {@code cleared}, as on the monitor's {@code msf/alert/<kind>} topics. */
    String EVENT_STATE = "state";
    /** Event property: the process's name. */
    String EVENT_PROCESS = "process";
    /**
     * Event property: the restarts that reached the limit before it was given up (Integer; raised only):
     * those within the window, or, for a child container, those in a row after runs that never became
     * ready, as the message says.
     */
    String EVENT_RESTARTS = "restarts";
    /**
     * Event property: the process's {@code windowMillis}, in milliseconds (Long; raised only, on every
     * raised event, as in 1.2). When {@link #EVENT_LIMIT} is {@link #LIMIT_FAILED_STARTS_IN_A_ROW}, the
     * restarts were not counted in that window: failed starts in a row count whatever their spacing.
     */
    String EVENT_WINDOW_MILLIS = "windowMillis";
    /**
     * Event property: the limit the crash loop reached (String; raised only):
     * {@link #LIMIT_RESTARTS_IN_WINDOW} or {@link #LIMIT_FAILED_STARTS_IN_A_ROW}.
     *
     * @since 1.3
     */
    String EVENT_LIMIT = "limit";
    /** {@link #EVENT_LIMIT}: {@link #EVENT_RESTARTS} restarts within {@link #EVENT_WINDOW_MILLIS}. */
    String LIMIT_RESTARTS_IN_WINDOW = "restartsInWindow";
    /**
     * {@link #EVENT_LIMIT}: {@link #EVENT_RESTARTS} restarts in a row of a child container whose runs never
     * became ready, whatever their spacing.
     */
    String LIMIT_FAILED_STARTS_IN_A_ROW = "failedStartsInARow";
    /** Event property: the exit code of the last run (Integer). */
    String EVENT_EXIT_CODE = "exitCode";
    /** Event property: a sentence for operators. */
    String EVENT_MESSAGE = "message";

    /** Every supervised process, by name. */
    List<ProcessInfo> processes();

    /** One process. */
    ProcessInfo process(String name);

    /**
     * Starts a process that is not running, clearing its crash-loop state and backoff; a running
     * process is left as it is.
     *
     * @return its state after the call
     * @throws IllegalStateException if it is still stopping (what is left of its last run has not
     *     ended): it is not started, and the message says when it can be; or if a spawn of it (a hung
     *     mount under its command or JDK) has held it for more than a few seconds: nothing is done, and
     *     the message says since when it is spawned
     */
    ProcessInfo start(String name);

    /**
     * Stops a process: SIGTERM (to the whole process tree of an external command), then a kill
     * after its stop timeout. It is not restarted until {@link #start} or {@link #restart}. Waits
     * for the end, at most the stop timeout and a little more. One given up after a crash loop is
     * STOPPED from then on, its alert cleared.
     *
     * @return its state after the call
     * @throws IllegalStateException if a spawn of it has held it for more than a few seconds, as for
     *     {@link #start}: it is not stopped
     */
    ProcessInfo stop(String name);

    /**
     * Stops the process if it runs, then starts it again.
     *
     * @throws IllegalStateException if the stop has not ended in the time {@link #stop} waits, or the
     *     process is still stopping after it: it is not started; or if a spawn of it has held it for more
     *     than a few seconds, as for {@link #start}
     */
    ProcessInfo restart(String name);

    /**
     * The last lines the process wrote to its stdout and stderr (its log file
     * {@code data/log/proc-<name>.log} and the file rotated before it), oldest first.
     *
     * @param lines how many lines at most
     */
    List<String> log(String name, int lines);
}
