package io.msf.files.properties;

import static org.assertj.core.api.Assertions.assertThat;

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
}
