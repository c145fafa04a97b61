package io.msf.shell.internal.console;

import io.msf.shell.internal.Failures;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.CommandSessionListener;
import org.osgi.service.component.annotations.Component;

/**
 * The local console's words for a command line whose arguments fit none of the command's forms,
 * the same as {@code bin/msf exec} and {@code bin/msf console} give ({@link Failures#ofLine}):
 * {@code test:big: wrong arguments (Cannot coerce big(Token) to any of [(int)]); 'help test:big'
 * shows what it takes}. Gogo JLine's console ({@code bin/msf run} on a terminal) prints only the
 * exception, {@code java.lang.IllegalArgumentException: Cannot coerce big(Token) ...}, which names
 * neither the command as typed nor where to look. It prints that exception whatever a listener
 * does (Gogo ignores what a listener throws), so msf's line comes just before it.
 *
 * <p>Only for the local console's session: it alone has a line reader ({@code .reader}, as
 * etc/gosh_profile tests); the socket console's sessions say it themselves ({@link ConsoleConnection}).
 */
@Component(service = CommandSessionListener.class)
public final class LocalConsoleFailures implements CommandSessionListener {

    /** Gogo JLine's session variable holding the interactive console's line reader. */
    static final String READER = ".reader";

    @Override
    public void beforeExecute(CommandSession session, CharSequence command) {
    }

    @Override
    public void afterExecute(CommandSession session, CharSequence command, Exception exception) {
        if (session.get(READER) == null) {
            return;
        }
        String line = command.toString();
        String said = Failures.ofLine(exception, line, session);
        if (!said.equals(Failures.describe(exception))) {
            session.getConsole().println(said);
            session.getConsole().flush();
        }
    }

    @Override
    public void afterExecute(CommandSession session, CharSequence command, Object result) {
    }
}
