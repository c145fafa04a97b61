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

    /** The gate points at the line of the key: a NUL character's own path error named none. */
    @Test
    void aNulCharacterOrAnEmptyAgentSocketIsToldByItsKey() {
        assertThat(check.apply("msf.process~web", Map.of("command", "sh", "directory", "a\u0000b")))
                .containsOnlyKeys("directory");
        assertThat(check.apply("msf.process~web", Map.of("command", "sh", "args", "-c \u0000")))
                .containsOnlyKeys("args");
        assertThat(check.apply("msf.process~web", Map.of("command", "sh", "agentSocket", "")))
                .containsOnlyKeys("agentSocket");
    }

    /** The supervisor reads type and restart in any case: Metatype options, matched exactly, refused these. */
    @Test
    void typeAndRestartInAnyCaseAsTheSupervisorReadsThem() {
        assertThat(check.apply("msf.process~child", Map.of("type", "Container", "restart", "ON-FAILURE"))).isEmpty();
        assertThat(check.apply("msf.process~web", Map.of("type", "COMMAND", "command", "sh", "restart", "Never")))
                .isEmpty();
        assertThat(check.apply("msf.process~web", Map.of("type", "daemon", "command", "sh")))
                .containsExactly(Map.entry("type", "'daemon' is not container or command"));
        assertThat(check.apply("msf.process~web", Map.of("command", "sh", "restart", "sometimes")))
                .containsExactly(Map.entry("restart", "'sometimes' is not always, on-failure or never"));
    }

    @Test
    void theNameFromTheFileNameIsChecked() {
        assertThat(check.apply("msf.process~we$b", Map.of("command", "sh")))
                .containsOnlyKeys("name");
    }

    /** The gate names the line of the key a problem is told against: the file alone said neither where nor which. */
    @Test
    void twoKeysAtOddsAreToldAtTheLaterOneNamingBoth() {
        assertThat(check.apply("msf.process~web", Map.of("command", "sh", "backoffInitialMillis", "5000",
                "backoffMaxMillis", "100"))).containsExactly(Map.entry("backoffMaxMillis",
                        "keys 'backoffInitialMillis' (5000) and 'backoffMaxMillis' (100): need 0 <= backoffInitialMillis"
                                + " <= backoffMaxMillis"));
    }

    /**
     * A value wrong on its own is told at its own key, though the other key of its rule is set too:
     * a file with logMaxBytes = 100 and logMaxFiles = 3 is wrong at logMaxBytes, not at logMaxFiles.
     */
    @Test
    void aValueWrongOnItsOwnIsToldAtItsKeyWhateverElseTheFileSets() {
        assertThat(check.apply("msf.process~web", Map.of("command", "sh", "logMaxBytes", "100", "logMaxFiles", "3")))
                .containsExactly(Map.entry("logMaxBytes", "100 is under 16384"));
        assertThat(check.apply("msf.process~web", Map.of("command", "sh", "logMaxBytes", "65536", "logMaxFiles", "0")))
                .containsExactly(Map.entry("logMaxFiles", "0 is under 1"));
        assertThat(check.apply("msf.process~web", Map.of("command", "sh", "backoffInitialMillis", "-5",
                "backoffMaxMillis", "100"))).containsExactly(Map.entry("backoffInitialMillis", "-5 is negative"));
    }

    /** A file that sets only one of the two: told at that one's line, the other being its default. */
    @Test
    void twoKeysAtOddsOfWhichTheFileSetsOneAreToldAtThatOne() {
        assertThat(check.apply("msf.process~web", Map.of("command", "sh", "backoffInitialMillis", "60000")))
                .containsOnlyKeys("backoffInitialMillis")
                .hasEntrySatisfying("backoffInitialMillis", reason -> assertThat(reason).contains("'backoffMaxMillis'"));
    }

    /**
     * A ready timeout of 0 would stop every run of a child container at once, a negative one too: the
     * gate refuses both at the key's line, also where Metatype's min does not reach (Config Admin).
     */
    @Test
    void aReadyTimeoutUnder1IsToldByItsKey() {
        assertThat(check.apply("msf.process~kid", Map.of("type", "container", "readyTimeoutMillis", "0")))
                .containsExactly(Map.entry("readyTimeoutMillis", "0 is under 1 (a child container not ready within"
                        + " it is stopped; 0 would stop every run at once)"));
        assertThat(check.apply("msf.process~kid", Map.of("type", "container", "readyTimeoutMillis", "-5")))
                .containsOnlyKeys("readyTimeoutMillis");
        assertThat(check.apply("msf.process~kid", Map.of("type", "container", "readyTimeoutMillis", "1"))).isEmpty();
    }

    /** Metatype tells a value of the wrong type; it is that key's problem, whoever tells it. */
    @Test
    void aValueOfTheWrongTypeIsToldByItsKey() {
        assertThat(check.apply("msf.process~web", Map.of("command", "sh", "stopTimeoutMillis", "soon")))
                .containsOnlyKeys("stopTimeoutMillis");
    }
}
