package io.msf.shell.internal.console;

import io.msf.shell.internal.Failures;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import org.apache.felix.service.command.CommandSession;

/**
 * What a socket console session starts with, as the local console's does: the session variable
 * {@code .context} and the profile {@code <gosh.home>/etc/gosh_profile}, sourced as Gogo JLine
 * sources it (its URI in {@code $0}). Without it, {@code bin/msf console} and {@code exec} lacked
 * what the profile defines for the local console of {@code bin/msf run}: {@code e} ("Command not
 * found"), {@code SCOPE} (so {@code gogo:} commands came after the others), the {@code context:}
 * commands.
 *
 * <p>The profile is written for Gogo JLine, which sources it for the local console and brings the
 * commands it is made of ({@code try}, {@code if}, {@code addcommand}): where Gogo JLine is not
 * running (a child container of the {@code service} profile leaves {@code bundle/console/} out),
 * there is no local console to source it either, and sessions skip it rather than print
 * "Command not found: try" before every command's output.
 *
 * <p>The file is read for every session, as the local console reads it at its start, so an edit
 * applies to the next connection. A profile that cannot be read or fails is told in that session's
 * error output, naming the file; the session goes on without the rest of it, as the local console
 * does.
 */
final class SessionProfile {

    /** Where Gogo JLine finds the profile, under {@code gosh.home}. */
    static final String FILE = "etc/gosh_profile";
    /** Gogo JLine's session variable for the shell's context, which the profile's {@code addcommand} reads. */
    static final String CONTEXT = ".context";
    static final SessionProfile NONE = new SessionProfile(null, null);
    /** A command of Gogo JLine the profile starts with; its absence means Gogo JLine is not running. */
    static final String GOGO_JLINE_COMMAND = "gogo:try";
    /** Gogo's session variable holding the names of every command. */
    private static final String COMMANDS = ".commands";

    private final Path file;
    private final Object context;

    /**
     * @param file    the profile, or null for none
     * @param context the value of {@code .context}, or null to set none
     */
    SessionProfile(Path file, Object context) {
        this.file = file;
        this.context = context;
    }

    /** The profile under {@code goshHome} (the framework property {@code gosh.home}); none if it is unset. */
    static SessionProfile under(String goshHome, Object context) {
        if (goshHome == null || goshHome.isBlank()) {
            return new SessionProfile(null, context);
        }
        return new SessionProfile(Path.of(goshHome.trim()).resolve(FILE).toAbsolutePath().normalize(), context);
    }

    /**
     * Sets up a new session; anything the profile prints goes to the session's own streams, a
     * failure to {@code err}, never to the container's output.
     */
    void apply(CommandSession session, OutputStream err) throws IOException {
        if (context != null) {
            session.put(CONTEXT, context);
        }
        if (file == null || !(session.get(COMMANDS) instanceof Collection<?> commands)
                || !commands.contains(GOGO_JLINE_COMMAND)) {
            return;
        }
        String script;
        try {
            script = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return; // an assembly without a profile: Gogo's built-in one is for its own console only
        } catch (IOException | RuntimeException e) {
            tell(err, file + ": cannot be read (" + e + "); this session runs without it");
            return;
        }
        session.put("0", file.toUri());
        try {
            session.execute(script);
        } catch (Exception | LinkageError e) {
            tell(err, file + ": " + Failures.describe(e) + "; this session runs without the rest of it");
        } finally {
            session.put("0", null); // Gogo's API has no remove; its own source command does the same
        }
    }

    private static void tell(OutputStream err, String message) throws IOException {
        err.write((message + "\n").getBytes(StandardCharsets.UTF_8));
        err.flush();
    }
}
