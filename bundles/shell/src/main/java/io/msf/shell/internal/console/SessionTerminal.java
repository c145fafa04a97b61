package io.msf.shell.internal.console;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Function;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;

/**
 * The terminal a socket console session shows Gogo JLine's commands: a dumb one, as the session
 * has none. Gogo takes a session's own output for a terminal ({@code Process.isTty} is true for
 * any stream not redirected), so without a terminal of type {@code dumb} in {@code .terminal}
 * its {@code grep} wrote colour escapes into {@code bin/msf exec 'lb | grep msf' > file}, and
 * {@code ls}, which reads the terminal's width, failed with a NullPointerException. A dumb
 * terminal makes JLine write text without escapes, and is 0 columns wide, so {@code ls} lists one
 * name a line, as {@code ls | cat} does. Gogo JLine's full-screen programs ({@link #SCREEN_PROGRAMS})
 * need a terminal that reads keys and draws: on this one {@code less} spun on the CPU, reading
 * end-of-input as a key, until the client left, and the others failed with an exception about an
 * array; in a session their names are refused, saying why.
 *
 * <p>Gogo JLine and JLine are optional: a child container of the {@code service} profile runs
 * neither, and its sessions get no terminal (no command there would read one).
 */
final class SessionTerminal {

    /** Gogo JLine's session variable for the terminal (Shell.VAR_TERMINAL). */
    static final String VAR = ".terminal";
    /** Gogo JLine's {@code ls} colours: an empty style for each kind, so that {@code ls -l} writes none. */
    static final String LS_COLORS = "dr=:ex=:sl=:ot=";

    /** Gogo JLine's commands that draw on the whole screen and read keys. */
    static final List<String> SCREEN_PROGRAMS = List.of("less", "nano", "ttop", "tmux");

    /** The scope Gogo JLine registers its commands under. */
    private static final String GOGO_SCOPE = "gogo:";

    private SessionTerminal() {
    }

    /**
     * Gives {@code session} a dumb terminal writing to {@code out}, if JLine is there.
     *
     * @return what closes it at the end of the session (nothing to close without one)
     */
    static Closeable attach(CommandSession session, OutputStream out) {
        try {
            return Dumb.attach(session, out);
        } catch (NoClassDefFoundError e) {
            return () -> { }; // no JLine wired to this bundle: no command here reads a terminal
        } catch (IOException e) {
            return () -> { }; // not thrown by a dumb terminal over given streams; the session goes on as before
        }
    }

    /** A session variable holding a Function is run in place of the command of that name. */
    private static Function refusal(String program) {
        return (session, arguments) -> {
            throw new IllegalStateException(program + " needs a terminal, and a session of bin/msf console or exec "
                    + "has none: run it in the console of bin/msf run" + (program.equals("less")
                    ? ", or page on your side: bin/msf exec 'cat <file>' | less" : ""));
        };
    }

    /** Kept apart so that JLine's classes are loaded only when a session asks for them. */
    private static final class Dumb {
        static Closeable attach(CommandSession session, OutputStream out) throws IOException {
            Terminal terminal = new DumbTerminal("msf-console", Terminal.TYPE_DUMB, InputStream.nullInputStream(),
                    out, StandardCharsets.UTF_8);
            session.put(VAR, terminal);
            session.put("LS_COLORS", LS_COLORS);
            for (String program : SCREEN_PROGRAMS) {
                session.put(program, refusal(program));
                // Gogo looks a scoped name up as a variable first too
                session.put(GOGO_SCOPE + program, refusal(program));
            }
            return terminal;
        }
    }
}
