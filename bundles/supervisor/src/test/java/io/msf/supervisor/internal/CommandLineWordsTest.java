package io.msf.supervisor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CommandLineWordsTest {

    @Test
    void blanksSeparateAndQuotesKeepBlanks() {
        assertThat(CommandLineWords.split("args", "  -c 'exit 3'  \"a b\"c x")).containsExactly("-c", "exit 3", "a bc", "x");
    }

    @Test
    void emptyQuotesAreAnEmptyWord() {
        assertThat(CommandLineWords.split("args", "a '' b")).containsExactly("a", "", "b");
        assertThat(CommandLineWords.split("args", "   ")).isEmpty();
    }

    @Test
    void anOpenQuoteIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> CommandLineWords.split("jvmOptions", "-Da='b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("jvmOptions: ");
    }
}
