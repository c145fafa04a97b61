package io.msf.shell.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * Runs Gogo commands in a running container over its console socket, as Karaf's
 * {@code bin/client} does. JDK classes only, so it runs outside OSGi:
 *
 * <pre>
 * java -cp msf-shell.jar io.msf.shell.client.MsfClient &lt;socketPath&gt; exec &lt;command...&gt;
 * java -cp msf-shell.jar io.msf.shell.client.MsfClient &lt;socketPath&gt; console [--script]
 * </pre>
 *
 * <p>{@code exec} runs one command: its words are joined with single spaces, as ssh does, so
 * a command with pipes or Gogo quoting is best passed as one quoted word. Output goes to
 * standard output, errors and the failure message to standard error. {@code console} is a
 * line-based session: prompt {@code msf> }, {@code exit} or end of input (Ctrl-D) leaves.
 * {@code console --script} (what {@code bin/msf console} runs when its input is no terminal) reads
 * a script instead: no prompts, each line run as {@code exec} runs a command, in one session, a
 * failure told as {@code exec} tells it; all lines are run, and the exit code is
 * {@value #EXIT_FAILED} if any failed. An interactive console's exit code says only whether it
 * could run: a person sees each failure, and there is no one answer for a whole session.
 *
 * <p>Exit codes: {@value #EXIT_OK} the command ran; {@value #EXIT_FAILED} it failed, the
 * connection was lost while it ran, or its output could no longer be written (its reader gone, as
 * {@code head} in {@code exec ... | head -1}: the command is then ended, without a word; an error
 * stream that cannot be written only loses its lines); {@value #EXIT_NOT_RUN} nothing was run: the
 * container is not running, the socket path is wrong or not allowed, the container is busy or does
 * not answer within {@link #GREETING_TIMEOUT}, it closed the connection before {@code exec}'s
 * command could be sent (stopping), the command is too long, or the usage is wrong.
 */
public final class MsfClient {

    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_NOT_RUN = 2;
    /** The option of {@code console} for input that is a script, not a person at a terminal. */
    public static final String SCRIPT = "--script";

    /**
     * How long connecting and the greeting may take. A container that is alive but hung (or
     * stopped with SIGSTOP) still takes connections into its socket's backlog, and a client
     * waiting for its HELLO without a bound would wait for ever (a health check run by a
     * service manager too). Commands themselves are not bounded: they may rightly run long.
     */
    static final Duration GREETING_TIMEOUT = Duration.ofSeconds(10);

    private static final String USAGE = String.join("\n",
            "usage: MsfClient <socketPath> exec <command...>   run one command in the container",
            "       MsfClient <socketPath> console            interactive session ('exit' or Ctrl-D leaves)",
            "       MsfClient <socketPath> console --script   run the lines of standard input, without prompts",
            "exit codes: 0 ok, 1 command failed, 2 not run (cannot connect, bad usage)");

    private MsfClient() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    /** Does what {@link #main} does, with the streams given; returns the exit code instead of exiting. */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        return run(args, in, out, err, GREETING_TIMEOUT);
    }

    static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Duration greetingTimeout) {
        if (args.length == 1 && (args[0].equals("-h") || args[0].equals("--help"))) {
            out.println(USAGE);
            return EXIT_OK;
        }
        boolean exec = args.length >= 3 && args[1].equals("exec");
        boolean console = args.length == 2 && args[1].equals("console");
        boolean script = args.length == 3 && args[1].equals("console") && args[2].equals(SCRIPT);
        if (!exec && !console && !script) {
            err.println(USAGE);
            return EXIT_NOT_RUN;
        }
        try (ConsoleClient client = ConsoleClient.connect(Path.of(args[0]), greetingTimeout)) {
            if (exec) {
                return exec(client, String.join(" ", Arrays.asList(args).subList(2, args.length)), out, err);
            }
            return script ? script(client, in, out, err) : console(client, in, out, err);
        } catch (CannotConnectException e) {
            err.println("msf: " + e.getMessage());
            return EXIT_NOT_RUN;
        } catch (OutputClosedException e) {
            return EXIT_FAILED; // as a shell's pipeline ends its writer: without a word, no one reads it
        } catch (IOException e) {
            out.flush();
            err.println("msf: " + e.getMessage());
            return EXIT_FAILED;
        }
    }

    private static int exec(ConsoleClient client, String command, PrintStream out, PrintStream err)
            throws IOException {
        if (tooLong(client, command, err)) {
            return EXIT_NOT_RUN;
        }
        try {
            return client.exec(command, out, err);
        } catch (CommandNotSentException e) {
            // the container closed the connection after its greeting (stopping): nothing was run,
            // which a script may try again, unlike a command that failed
            err.println("msf: " + e.getMessage());
            return EXIT_NOT_RUN;
        }
    }

    private static int console(ConsoleClient client, InputStream in, PrintStream out, PrintStream err)
            throws IOException {
        InputLines lines = linesOf(in, client);
        String prompt = client.line("", out, err);
        while (true) {
            out.print(prompt);
            out.flush();
            InputLines.Line read = lines.next();
            if (read == null) {
                out.println();
                return EXIT_OK;
            }
            // Told first: the start of a line cut short says nothing of the rest (blanks, then a command).
            if (tooLong(client, read, err)) {
                continue;
            }
            String line = read.text();
            String words = line.strip();
            if (isExit(words)) {
                return EXIT_OK;
            }
            if (words.startsWith("exit ") || words.startsWith("exit\t")) {
                // the container knows no exit ("Command not found"), and the console would stay without a word
                err.println("msf: exit takes no arguments: type exit, or press Ctrl-D, to leave");
                continue;
            }
            prompt = client.line(line, out, err);
        }
    }

    /**
     * Runs each line of {@code in} as one command, in one session (variables carry over), as
     * {@code exec} runs it: the line's output as it comes, a failure on {@code err}. The console's
     * LINE frames answer a failure with the same prompt as a success, so piped into the console a
     * script that failed ended with 0, and its output held a prompt per line, the last without a
     * line end. Every line runs, as in a shell script; {@code exit} ends the script early.
     *
     * @return {@value #EXIT_FAILED} if a line failed, else {@value #EXIT_OK}
     */
    private static int script(ConsoleClient client, InputStream in, PrintStream out, PrintStream err)
            throws IOException {
        InputLines lines = linesOf(in, client);
        int failed = 0;
        int number = 0;
        for (InputLines.Line read = lines.next(); read != null; read = lines.next()) {
            number++;
            String line = read.text();
            // Told first: the start of a line cut short says nothing of the rest (blanks, then a command).
            boolean tooLong = tooLong(client, read, err);
            String words = line.strip();
            if (!tooLong && isExit(words)) {
                break;
            }
            if (!tooLong && words.isEmpty()) {
                continue;
            }
            if (tooLong || client.exec(line, out, err) != EXIT_OK) {
                failed++;
                err.println("msf: line " + number + " failed: " + (tooLong ? Shown.start(line, read.cut()) : words));
            }
        }
        out.flush();
        return failed == 0 ? EXIT_OK : EXIT_FAILED;
    }

    /**
     * {@code exit}, alone or ended as a Gogo statement is ({@code exit;}, {@code exit ;}): sent on, the
     * container, which knows no exit, said "Command not found: exit" and the console stayed.
     */
    static boolean isExit(String words) {
        return words.replaceFirst("[\\s;]+$", "").equals("exit");
    }

    private static boolean tooLong(ConsoleClient client, String line, PrintStream err) {
        return tooLong(client, new InputLines.Line(line, false), err);
    }

    private static boolean tooLong(ConsoleClient client, InputLines.Line line, PrintStream err) {
        if (line.cut()) {
            // more characters than the container takes bytes: too long whatever they are
            err.println("msf: command of more than " + client.maxLineBytes() + " bytes is too long; the container"
                    + " accepts at most " + client.maxLineBytes() + " (msf.console maxLineBytes)");
            return true;
        }
        int bytes = line.text().getBytes(StandardCharsets.UTF_8).length;
        if (bytes <= client.maxLineBytes()) {
            return false;
        }
        err.println("msf: command of " + bytes + " bytes is too long; the container accepts at most "
                + client.maxLineBytes() + " (msf.console maxLineBytes)");
        return true;
    }

    /**
     * The lines of the input, each held up to as many characters as the container takes bytes: one longer
     * is too long whatever its characters, and is told so from its start.
     */
    private static InputLines linesOf(InputStream in, ConsoleClient client) {
        return new InputLines(new BufferedReader(new InputStreamReader(in, Charset.defaultCharset())),
                client.maxLineBytes());
    }
}
