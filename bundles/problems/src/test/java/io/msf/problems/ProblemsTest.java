package io.msf.problems;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProblemsTest {

    @Test
    void aStringAnArrayOrACollectionEachGiveTheirTexts() {
        assertThat(Problems.texts("port in use")).containsExactly("port in use");
        assertThat(Problems.texts(new String[] {"a", "b"})).containsExactly("a", "b");
        assertThat(Problems.texts(List.of("a", "b"))).containsExactly("a", "b");
        assertThat(Problems.texts(Set.of("a"))).containsExactly("a");
    }

    @Test
    void blankNullAndMissingValuesAreNoProblem() {
        assertThat(Problems.texts(null)).isEmpty();
        assertThat(Problems.texts(" ")).isEmpty();
        assertThat(Problems.texts(new String[0])).isEmpty();
        assertThat(Problems.texts(new String[] {"", null, "a"})).containsExactly("a");
        assertThat(Problems.texts(Arrays.asList(null, " ", "b"))).containsExactly("b");
    }
}
