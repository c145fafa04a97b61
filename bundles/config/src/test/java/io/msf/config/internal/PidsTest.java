package io.msf.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PidsTest {

    @Test
    void aFactoryConfigurationSplitsAtTheFirstTilde() {
        assertThat(Pids.base("msf.service~demo")).isEqualTo("msf.service");
        assertThat(Pids.name("msf.service~demo")).isEqualTo("demo");
        assertThat(Pids.base("msf.net.endpoint~echo~2")).isEqualTo("msf.net.endpoint");
        assertThat(Pids.name("msf.net.endpoint~echo~2")).isEqualTo("echo~2");
    }

    @Test
    void aPlainPidIsItsOwnBaseAndHasNoName() {
        assertThat(Pids.base("msf.log")).isEqualTo("msf.log");
        assertThat(Pids.name("msf.log")).isNull();
    }

    @Test
    void aTildeAtTheStartSplitsNothing() {
        assertThat(Pids.base("~odd")).isEqualTo("~odd");
        assertThat(Pids.name("~odd")).isNull();
    }

    @Test
    void anEmptyNameIsKept() {
        assertThat(Pids.base("msf.service~")).isEqualTo("msf.service");
        assertThat(Pids.name("msf.service~")).isEmpty();
    }
}
