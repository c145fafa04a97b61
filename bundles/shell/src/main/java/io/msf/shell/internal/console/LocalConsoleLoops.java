package io.msf.shell.internal.console;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.CommandSessionListener;
import org.apache.felix.service.command.JobListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * The local console of {@code bin/msf run} frees and bounds its nested commands ({@link NestedCommands}) as the
 * socket console does: there {@code while { true } { }} ran the container out of heap within seconds, ending it,
 * and a watching loop ({@code while { true } { msf:services; sleep 1000 }}: three nested commands a second,
 * 50 KB each) would have in about twenty minutes.
 *
 * <p>The local console is Gogo JLine's, whose session has a job listener of its own (its report of background
 * jobs), and a Gogo session has one listener, set with no way to read it back. So before each line, unless it
 * is there already, this reads it from Gogo's session ({@link GogoJobs}) and sets both in its place. If it
 * cannot, the console goes on as Gogo has it (its loops keep every round until their line ends), and a WARN line
 * says so once. Only for the sessions with a line reader ({@code .reader}), as {@link LocalConsoleFailures} tells
 * them.
 */
@Component(service = CommandSessionListener.class, configurationPid = ConsoleServer.PID)
public final class LocalConsoleLoops implements CommandSessionListener {

    /** Session variable holding the session's count of nested commands. */
    static final String SESSION = ".msf.nestedCommands";
    /** maxNestedCommands's default, for a first configuration that has a bad one. */
    private static final int DEFAULT_MAX = 1000;

    private final NestedCommands nestedCommands;
    private final Logger log;
    private volatile boolean toldUnbounded;

    @Activate
    public LocalConsoleLoops(ConsoleConfiguration config, @Reference(service = LoggerFactory.class) Logger log) {
        this.log = log;
        this.nestedCommands = new NestedCommands(boundOr(config, DEFAULT_MAX));
    }

    @Modified
    void modified(ConsoleConfiguration config) {
        nestedCommands.max(boundOr(config, nestedCommands.max()));
    }

    /** A bad value is the console server's to refuse, naming it: the local console keeps {@code kept}. */
    private static int boundOr(ConsoleConfiguration config, int kept) {
        try {
            return ConsoleSettings.maxNestedCommands(config);
        } catch (IllegalArgumentException e) {
            return kept;
        }
    }

    /**
     * Looks at the session's listener before each line, not only the first: Gogo JLine runs the profile
     * (etc/gosh_profile) in the session before it sets its own listener, which took the place of this one.
     */
    @Override
    public void beforeExecute(CommandSession session, CharSequence command) {
        if (session.get(LocalConsoleFailures.READER) == null) {
            return;
        }
        JobListener current;
        try {
            current = GogoJobs.jobListenerOf(session);
        } catch (ReflectiveOperationException | RuntimeException e) {
            if (!toldUnbounded) {
                toldUnbounded = true;
                log.warn("the local console's loops keep every round until their line ends, and its nested commands"
                        + " are not bounded (msf.console maxNestedCommands): cannot read the job listener of its Gogo"
                        + " session: {}", e.toString());
            }
            return;
        }
        if (current instanceof NestedCommands.Beside) {
            return;
        }
        // the session's count, kept across a listener set anew
        NestedCommands.Session ours = session.get(SESSION) instanceof NestedCommands.Session counted ? counted
                : nestedCommands.session();
        session.put(SESSION, ours);
        session.setJobListener(ours.beside(current));
    }

    @Override
    public void afterExecute(CommandSession session, CharSequence command, Exception exception) {
    }

    @Override
    public void afterExecute(CommandSession session, CharSequence command, Object result) {
    }
}
