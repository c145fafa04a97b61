package io.msf.files.properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

class KeyLinesTest {

    private static final String FILE = String.join("\n",
            "# command = commented out",
            "args = --mode \\",
            "    command",
            "! command = also a comment",
            "",
            "command = sleep",
            "with\\ space = 1",
            "port:7",
            "bare",
            "command = later");

    @Test
    void eachKeyHasTheLineItsValueStartsOnAsFileInstallReadsIt() {
        assertThat(KeyLines.of(FILE)).containsExactly(
                new KeyLines.Entry("args", 2, "--mode command"),
                new KeyLines.Entry("command", 6, "sleep"),
                new KeyLines.Entry("with space", 7, "1"),
                new KeyLines.Entry("port", 8, "7"),
                new KeyLines.Entry("bare", 9, ""),
                new KeyLines.Entry("command", 10, "later"));
    }

    @Test
    void theLineOfAKeyIsTheLastThatSetsItAndNeverALineInsideAValueOrAComment() {
        assertThat(KeyLines.lineOf(FILE, "command")).contains(10);
        assertThat(KeyLines.lineOf(FILE, "args")).contains(2);
        assertThat(KeyLines.lineOf(FILE, "with space")).contains(7);
        assertThat(KeyLines.lineOf(FILE, "mode")).isEmpty();
        assertThat(KeyLines.lineOf("", "command")).isEmpty();
    }

    @Test
    void aBlankLineAfterABackslashIsSkippedAndTheKeyKeepsItsOwnLine() {
        // the reader joins "b = 2" to a's value, as FileInstall does; a is still on line 1
        assertThat(KeyLines.of("a = 1\\\n\nb = 2\n")).containsExactly(new KeyLines.Entry("a", 1, "1b = 2"));
        assertThat(KeyLines.of("x = 0\n\na = 1\\\n\n  \n# note\n! note\nb = 2\nc = 3\n")).containsExactly(
                new KeyLines.Entry("x", 1, "0"),
                new KeyLines.Entry("a", 3, "1b = 2"),
                new KeyLines.Entry("c", 9, "3"));
    }

    @Test
    void linesEndedByCrLfOrCrCountAsTheReaderCountsThem() {
        assertThat(KeyLines.of("# head\r\n\r\na = 1\\\r\n\r\nb = 2\r\nc = 3\r\n")).containsExactly(
                new KeyLines.Entry("a", 3, "1b = 2"),
                new KeyLines.Entry("c", 6, "3"));
        assertThat(KeyLines.of("a = 1\\\r\rb = 2\rc = 3")).containsExactly(
                new KeyLines.Entry("a", 1, "1b = 2"),
                new KeyLines.Entry("c", 4, "3"));
    }

    @Test
    void anUnreadableKeyWithABlankLineInItsValueIsNamedOnItsOwnLine() {
        KeyLines.UnreadableKey unreadable = catchThrowableOfType(
                () -> KeyLines.of("a = 1\n\nbad\\uZZZZ = 3,\\\n\n# note\n  4\n"), KeyLines.UnreadableKey.class);

        assertThat(unreadable.line).isEqualTo(3);
        assertThat(unreadable.written).isEqualTo("bad\\uZZZZ");
    }
}
