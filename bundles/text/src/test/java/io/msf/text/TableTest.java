package io.msf.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void alignsColumnsUnderTitleAndRule() {
        String table = Table.withHeader().left("GROUP").left("TRANSPORT").right("THREADS")
                .row("io", "EPOLL", 4)
                .row("worker", "EPOLL", 12)
                .render();

        assertThat(table).isEqualTo(""
                + "GROUP   TRANSPORT  THREADS\n"
                + "------  ---------  -------\n"
                + "io      EPOLL            4\n"
                + "worker  EPOLL           12\n");
    }

    @Test
    void linesHaveNoTrailingBlanks() {
        String table = Table.withHeader().left("NAME").left("LAST ERROR").row("a", "").row("b", "x").render();

        assertThat(table.lines()).noneMatch(line -> line.endsWith(" "));
        assertThat(table).contains("\na\n");
    }

    @Test
    void withoutHeaderListsLabelsAndValues() {
        String table = Table.withoutHeader().left("l").left("v").row("pid", 42).row("data dir", "/var/msf").render();

        assertThat(table).isEqualTo("pid       42\ndata dir  /var/msf\n");
    }

    @Test
    void controlCharactersCannotBreakARow() {
        String table = Table.withoutHeader().left("a").left("b").row("one\ntwo\tthree", "x").render();

        assertThat(table).isEqualTo("one two three  x\n");
    }

    /** A peer's name with a right-to-left override turned the rest of the row around in a terminal. */
    @Test
    void invisibleFormatCharactersAndHalvesOfACharacterShowAsQuestionMarks() {
        String table = Table.withoutHeader().left("a").left("b")
                .row("x\u202Ey\u200Bz\uD800", "\uD83D\uDE80ok").render();

        assertThat(table).isEqualTo("x?y?z?  \uD83D\uDE80ok\n");
    }

    /**
     * The tag characters (U+E0020 to U+E007F) spell out words no terminal shows: a name could carry text
     * a reader of the table never sees. They are format characters written as two halves (U+E0041 is
     * \uDB40\uDC41), and passed as any whole character did.
     */
    @Test
    void invisibleFormatCharactersBeyondTheFirstPlaneShowAsQuestionMarks() {
        String table = Table.withoutHeader().left("a").left("b")
                .row("x\uDB40\uDC41\uDB40\uDC42y", "\uD834\uDD73ok").render();

        assertThat(table).isEqualTo("x??y  ?ok\n");
    }

    @Test
    void aCutDoesNotLeaveHalfACharacter() {
        String table = Table.withoutHeader().column("task", Table.Align.LEFT, 10)
                .row("abcdef\uD83D\uDE80ghijk").render();

        assertThat(table).isEqualTo("abcdef...\n");
    }

    @Test
    void longCellsAreCutToTheColumnWidth() {
        String table = Table.withoutHeader().column("task", Table.Align.LEFT, 10).row("abcdefghijklmnop").render();

        assertThat(table).isEqualTo("abcdefg...\n");
    }

    @Test
    void cellsThatFitAreNotCut() {
        String table = Table.withoutHeader().column("task", Table.Align.LEFT, 10).row("abcdefghij").render();

        assertThat(table).isEqualTo("abcdefghij\n");
    }

    @Test
    void nullCellIsEmpty() {
        assertThat(Table.withoutHeader().left("a").left("b").row(null, "x").render()).isEqualTo("  x\n");
    }

    @Test
    void rowMustMatchTheColumns() {
        Table table = Table.withHeader().left("A").left("B");

        assertThatThrownBy(() -> table.row("only one")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 cells").hasMessageContaining("2 columns");
    }

    @Test
    void columnsComeBeforeRows() {
        Table table = Table.withHeader().left("A").row("a");

        assertThatThrownBy(() -> table.left("B")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void emptyTableIsJustTheHeader() {
        Table table = Table.withHeader().left("A");

        assertThat(table.isEmpty()).isTrue();
        assertThat(table.render()).isEqualTo("A\n-\n");
    }
}
