package io.msf.supervisor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checks of an msf.process~<name> file the config gate makes before it applies it. */
class ProcessCheckTest {

    private final ProcessCheck check = new ProcessCheck();

    @Test
    void aGoodCommandOrContainerPassesWithoutLookingForTheProgram() {
        assertThat(check.apply("msf.process~web", Map.of("command", "/no/such/program", "args", "-c 'a b'")))
                .isEmpty();
        assertThat(check.apply("msf.process~child", Map.of("type", "container", "warmSpare", "true"))).isEmpty();
    }

    @Test
    void aCommandWithoutProgramOrWithAQuoteLeftOpenIsToldByItsKey() {
        assertThat(check.apply("msf.process~web", Map.of("args", "-c 'a b")))
                .containsExactly(Map.entry("command", "missing; a process of type command needs the program to run"));
        assertThat(check.apply("msf.process~web", Map.of("command", "sh", "args", "-c 'a b")))
                .containsExactly(Map.entry("args", "the quote ' is not closed in: -c 'a b"));
        assertThat(check.apply("msf.process~web", Map.of("command", "sh", "warmSpare", "true")))
                .containsExactly(Map.entry("warmSpare", "only a process of type container can have a warm spare"));
    }

    @Test
    void theNameFromTheFileNameIsChecked() {
        assertThat(check.apply("msf.process~we$b", Map.of("command", "sh")))
                .containsOnlyKeys("name");
    }

    @Test
    void twoKeysAtOddsAreToldForTheFile() {
        assertThat(check.apply("msf.process~web", Map.of("command", "sh", "backoffInitialMillis", "5000",
                "backoffMaxMillis", "100"))).containsOnlyKeys("");
    }

    /** Metatype tells a value of the wrong type; it is that key's problem, whoever tells it. */
    @Test
    void aValueOfTheWrongTypeIsToldByItsKey() {
        assertThat(check.apply("msf.process~web", Map.of("command", "sh", "stopTimeoutMillis", "soon")))
                .containsOnlyKeys("stopTimeoutMillis");
    }
}
