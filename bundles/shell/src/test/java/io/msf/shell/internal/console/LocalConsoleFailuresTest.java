package io.msf.shell.internal.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.shell.testing.Gogo;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The local console (Gogo JLine's session, the one with a line reader) names the command and its help. */
class LocalConsoleFailuresTest {

    /** A command taking one number. */
    public static final class Big {
        public String big(int count) {
            return "x".repeat(count);
        }
    }

    private final Gogo gogo = new Gogo().add("test", new Big(), "big");

    @AfterEach
    void close() {
        gogo.close();
    }

    /** bin/msf run's console said only "java.lang.IllegalArgumentException: Cannot coerce big(Token) ...". */
    @Test
    void wrongArgumentsInTheLocalConsoleAreToldAsExecTellsThem() {
        ((CommandProcessorImpl) gogo.processor()).addListener(new LocalConsoleFailures());

        assertThat(run(true, "test:big many")).isEqualTo("test:big: wrong arguments (Cannot coerce big(Token) to any"
                + " of [(int)]); 'help test:big' shows what it takes\n");
        assertThat(run(true, "x = 1; big")).isEqualTo("big: wrong arguments (Cannot coerce big() to any"
                + " of [(int)]); 'help big' shows what it takes\n");
        assertThat(run(true, "test:big 2")).isEmpty();
    }

    /** A mistyped command: Gogo JLine prints 'CommandNotFoundException: Command not found: test:bgi' alone. */
    @Test
    void aMistypedCommandInTheLocalConsoleNamesTheOneMeant() {
        ((CommandProcessorImpl) gogo.processor()).addListener(new LocalConsoleFailures());

        assertThat(run(true, "test:bgi 2")).isEqualTo("Command not found: test:bgi (did you mean test:big?)\n");
    }

    /** bin/msf exec and console say it themselves: not twice. */
    @Test
    void otherSessionsAreLeftAlone() {
        ((CommandProcessorImpl) gogo.processor()).addListener(new LocalConsoleFailures());

        assertThat(run(false, "test:big many")).isEmpty();
    }

    /** What the session printed besides the result, the failure aside. */
    private String run(boolean withReader, String line) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CommandSession session = gogo.processor().createSession(InputStream.nullInputStream(), out, out)) {
            if (withReader) {
                session.put(LocalConsoleFailures.READER, new Object());
            }
            try {
                session.execute(line);
            } catch (Exception e) {
                // Gogo JLine prints it after; the test looks at what came before
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
