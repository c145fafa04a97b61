package io.msf.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import org.junit.jupiter.api.Test;

class KeyProblemsTest {

    @Test
    void saysEachRefusalWithoutTheKeyTheGateNamesItself() {
        KeyProblems problems = new KeyProblems()
                .check("port", () -> Integer.parseInt("7000"))
                .check("framing", () -> {
                    throw new IllegalArgumentException("framing: 'lenght' is not one of LENGTH, LINE");
                })
                .check("size", () -> {
                    throw new IllegalArgumentException("'64MB' is not a size");
                });

        assertThat(problems.found()).containsExactly(
                entry("framing", "'lenght' is not one of LENGTH, LINE"),
                entry("size", "'64MB' is not a size"));
    }

    @Test
    void keepsAMessageThatOnlyStartsLikeTheKey() {
        KeyProblems problems = new KeyProblems().check("port", () -> {
            throw new IllegalArgumentException("ports: must be below 65536");
        });

        assertThat(problems.found()).containsEntry("port", "ports: must be below 65536");
    }

    @Test
    void aValueThatCannotBeReadForAnotherReasonIsNotItsProblem() {
        KeyProblems problems = new KeyProblems();

        assertThatThrownBy(() -> problems.check("port", () -> {
            throw new IllegalStateException("the transport is not loaded");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(problems.found()).isEmpty();
    }
}
