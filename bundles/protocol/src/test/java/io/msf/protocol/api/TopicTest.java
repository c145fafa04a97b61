package io.msf.protocol.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopicTest {

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
        "dlna.device.added,  dlna.device.added,  true",
        "dlna.device.added,  dlna.device.removed, false",
        "dlna.device,        dlna.device.added,  false",
        "dlna.device.added,  dlna.device,        false",
        "dlna.*.added,       dlna.device.added,  true",
        "dlna.*.added,       dlna.added,         false",
        "dlna.*.added,       dlna.a.b.added,     false",
        "*,                  dlna,               true",
        "*,                  dlna.device,        false",
        "*.*,                dlna.device,        true",
        "dlna.>,             dlna.device,        true",
        "dlna.>,             dlna.device.added,  true",
        "dlna.>,             dlna,               false",
        ">,                  dlna,               true",
        ">,                  dlna.device.added,  true",
        "*.device.>,         dlna.device.a.b,    true",
        "*.device.>,         dlna.device,        false",
        "dlna.dev,           dlna.device,        false",
        "dlna.device,        dlna.dev,           false",
        "a.*,                a.b.c,              false",
        "grün.*,             grün.blatt,         true",
    })
    void matches(String pattern, String topic, boolean expected) {
        Topic.checkPattern(pattern);
        Topic.checkTopic(topic);

        assertThat(Topic.matches(pattern, topic)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "dlna..device    | topic 'dlna..device' has an empty segment at index 5",
        ".dlna           | topic '.dlna' has an empty segment at index 0",
        "dlna.           | topic 'dlna.' has an empty segment at index 5",
        "'dlna device'   | topic 'dlna device' has white space or a control character at index 4",
        "dlna.*          | topic 'dlna.*' has the wildcard '*' at index 5; wildcards belong in subscription patterns",
        "dlna.>          | topic 'dlna.>' has the wildcard '>' at index 5; wildcards belong in subscription patterns",
    })
    void topicsBreakingTheRulesAreRefused(String topic, String message) {
        assertThatIllegalArgumentException().isThrownBy(() -> Topic.checkTopic(topic)).withMessage(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "dlna.dev* | pattern 'dlna.dev*' has the wildcard '*' at index 8 inside a segment; a wildcard must be a whole"
                + " segment",
        "dlna.>>   | pattern 'dlna.>>' has the wildcard '>' at index 5 inside a segment; a wildcard must be a whole"
                + " segment",
        ">.added         | pattern '>.added' has '>' at index 0 before its last segment",
        "dlna.*.         | pattern 'dlna.*.' has an empty segment at index 7",
    })
    void patternsBreakingTheRulesAreRefused(String pattern, String message) {
        assertThatIllegalArgumentException().isThrownBy(() -> Topic.checkPattern(pattern)).withMessage(message);
    }

    /** A peer name follows a topic's rules, but the one who gave a name is told of a name. */
    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "''          | the peer name is empty",
        "'my peer'   | peer name 'my peer' has white space or a control character at index 2",
        "a..b        | peer name 'a..b' has an empty segment at index 2",
        "dlna.*      | peer name 'dlna.*' has the wildcard '*' at index 5; wildcards belong in subscription patterns",
    })
    void namesBreakingTheRulesAreToldAsNames(String name, String message) {
        assertThatIllegalArgumentException().isThrownBy(() -> Topic.checkName(name)).withMessage(message);
    }

    @Test
    void emptyAndControlCharactersAreRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> Topic.checkTopic("")).withMessage("the topic is empty");
        assertThatIllegalArgumentException().isThrownBy(() -> Topic.checkPattern(null))
                .withMessage("the pattern is empty");
        assertThatIllegalArgumentException().isThrownBy(() -> Topic.checkTopic("a.\u0000"))
                .withMessageContaining("control character at index 2");
    }

    /**
     * Text with half a surrogate pair has no UTF-8 form: the encoder would write another name, or bytes
     * that are no UTF-8, which the receiver refuses as a malformed frame, closing the connection.
     */
    @Test
    void anUnpairedSurrogateIsRefusedAndAPairTakenAsAnyCharacter() {
        assertThatIllegalArgumentException().isThrownBy(() -> Topic.checkTopic("dlna.\uD83D\u00e9"))
                .withMessage("topic 'dlna.\uD83D\u00e9' has an unpaired surrogate at index 5: it has no UTF-8 form");
        assertThatIllegalArgumentException().isThrownBy(() -> Topic.checkTopic("dlna.a\uDE00"))
                .withMessage("topic 'dlna.a\uDE00' has an unpaired surrogate at index 6: it has no UTF-8 form");
        assertThatIllegalArgumentException().isThrownBy(() -> Topic.checkPattern("*.\uD83D"))
                .withMessage("pattern '*.\uD83D' has an unpaired surrogate at index 2: it has no UTF-8 form");

        assertThat(Topic.checkTopic("dlna.\uD83D\uDE00.added")).isEqualTo("dlna.\uD83D\uDE00.added");
        assertThat(Topic.matches("*.\uD83D\uDE00.>", "dlna.\uD83D\uDE00.added")).isTrue();
    }

    @Test
    void theLengthIsBoundedInUtf8Bytes() {
        String longest = "ü".repeat(127) + "x";
        assertThat(Topic.checkTopic(longest)).isEqualTo(longest);

        assertThatIllegalArgumentException().isThrownBy(() -> Topic.checkTopic("ü".repeat(128)))
                .withMessageEndingWith("is longer than 255 UTF-8 bytes");
    }

    /** A topic of a megabyte (a peer's, or a bug's) is named by its start: the message goes into a log line. */
    @Test
    void aTopicFarTooLongIsNamedByItsStart() {
        assertThatIllegalArgumentException().isThrownBy(() -> Topic.checkTopic("t".repeat(1 << 20)))
                .withMessage("topic '" + "t".repeat(40) + "...' is longer than 255 UTF-8 bytes");
        assertThatIllegalArgumentException().isThrownBy(() -> Topic.checkPattern("p".repeat(300)))
                .withMessage("pattern '" + "p".repeat(40) + "...' is longer than 255 UTF-8 bytes");
        String emoji = "\uD83C\uDFB5";
        assertThatIllegalArgumentException().isThrownBy(() -> Topic.checkTopic("t".repeat(39) + emoji.repeat(100)))
                .withMessage("topic '" + "t".repeat(39) + "...' is longer than 255 UTF-8 bytes"); // no half emoji
    }

    @Test
    void wildcardsAreFoundOnlyInPatternsThatHaveThem() {
        assertThat(Topic.hasWildcard("dlna.*.added")).isTrue();
        assertThat(Topic.hasWildcard("dlna.>")).isTrue();
        assertThat(Topic.hasWildcard("dlna.device")).isFalse();
    }
}
