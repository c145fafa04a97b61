package io.msf.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandSuggestionTest {

    private static final List<String> COMMANDS = List.of("felix:lb", "felix:start", "agent:send");

    @Test
    void aNameOneOrTwoEditsFromACommandNamesIt() {
        assertThat(CommandSuggestion.of("lbb", COMMANDS)).contains("felix:lb");
        assertThat(CommandSuggestion.of("agent:sned", COMMANDS)).contains("agent:send");
        assertThat(CommandSuggestion.of("strat", COMMANDS)).contains("felix:start");
        assertThat(CommandSuggestion.of("starts", COMMANDS)).contains("felix:start");
    }

    /** Named 'felix:lb' and 'felix:start': the nearest was taken at one edit more than the limit. */
    @Test
    void aNameFartherThanTheLimitFromEveryCommandNamesNone() {
        assertThat(CommandSuggestion.of("lbbb", COMMANDS)).isEmpty(); // 4 characters: 1 edit at most
        assertThat(CommandSuggestion.of("status", COMMANDS)).isEmpty(); // 3 edits from start
    }
}
