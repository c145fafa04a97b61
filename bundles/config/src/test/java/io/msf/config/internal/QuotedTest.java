package io.msf.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QuotedTest {

    @Test
    void aValueUpToTheLimitIsShownWhole() {
        String atLimit = "a".repeat(Quoted.SHOWN);

        assertThat(Quoted.value(atLimit)).isEqualTo("'" + atLimit + "'");
        assertThat(Quoted.value(8080)).isEqualTo("'8080'");
    }

    @Test
    void aLongerValueIsCutAndSaysHowManyCharactersWereLeftOut() {
        String text = "b".repeat(Quoted.SHOWN + 5);

        assertThat(Quoted.value(text)).isEqualTo("'" + "b".repeat(Quoted.SHOWN) + "... (5 more characters)'");
    }

    /** A cut between the halves of a pair would end the shown text with half a character. */
    @Test
    void aCutNeverSplitsASurrogatePair() {
        String text = "c".repeat(Quoted.SHOWN - 1) + "\uD83D\uDE00" + "d".repeat(10);

        String shown = Quoted.shortened(text);

        assertThat(shown).startsWith("c".repeat(Quoted.SHOWN - 1) + "... (")
                .endsWith("(" + (text.length() - Quoted.SHOWN + 1) + " more characters)");
    }
}
