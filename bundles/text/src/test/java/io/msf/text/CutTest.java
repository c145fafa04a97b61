package io.msf.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CutTest {

    @Test
    void textWithinTheLengthIsKeptWhole() {
        String text = "x".repeat(300);

        assertThat(Cut.atMost(text, 300)).isSameAs(text);
        assertThat(Cut.atMost("", 0)).isEmpty();
    }

    @Test
    void longerTextIsCutToTheLength() {
        assertThat(Cut.atMost("abcdef", 4)).isEqualTo("abcd");
        assertThat(Cut.atMost("abcdef", 0)).isEmpty();
    }

    /** Cut through a surrogate pair, UTF-8 carried a '?' and a log a replacement character there. */
    @Test
    void aSurrogatePairIsNeverCutInHalf() {
        String before = "x".repeat(299);

        assertThat(Cut.atMost(before + "\uD83C\uDFB5 and more", 300)).isEqualTo(before);
        assertThat(Cut.atMost(before + "y\uD83C\uDFB5", 300)).isEqualTo(before + "y");
        assertThat(Cut.atMost("\uD83C\uDFB5", 1)).isEmpty();
    }
}
