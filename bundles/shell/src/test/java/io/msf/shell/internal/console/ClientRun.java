package io.msf.shell.internal.console;

import io.msf.shell.client.MsfClient;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One run of {@link MsfClient}, in this JVM, with its exit code and what it printed. */
record ClientRun(int exitCode, String out, String err) {

    static ClientRun exec(Path socket, String... command) {
        List<String> args = new ArrayList<>(List.of(socket.toString(), "exec"));
        args.addAll(List.of(command));
        return run("", args.toArray(String[]::new));
    }

    static ClientRun console(Path socket, String input) {
        return run(input, socket.toString(), "console");
    }

    static ClientRun run(String input, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = MsfClient.run(args, new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new ClientRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
