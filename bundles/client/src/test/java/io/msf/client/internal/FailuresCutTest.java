package io.msf.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The detail of an ERROR, cut to {@link Failures#MAX_DETAIL_CHARS} chars. */
class FailuresCutTest {

    @Test
    void aShortDetailIsKeptWhole() {
        String detail = "x".repeat(Failures.MAX_DETAIL_CHARS);

        assertThat(Failures.cut(detail)).isSameAs(detail);
    }

    /** A handler's message may hold any text: cut through a surrogate pair, the ERROR carried a '?' there. */
    @Test
    void aLongDetailIsCutBetweenTwoCodePoints() {
        String before = "x".repeat(Failures.MAX_DETAIL_CHARS - 1);

        assertThat(Failures.cut(before + "\uD83C\uDFB5 and more")).isEqualTo(before);
        assertThat(Failures.cut(before + "y\uD83C\uDFB5")).isEqualTo(before + "y");
    }
}
