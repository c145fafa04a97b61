package io.msf.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BundleNameTest {

    @Test
    void aBundleGoesByItsSymbolicName() {
        assertThat(BundleName.of("io.msf.demo.echo", 12)).isEqualTo("io.msf.demo.echo");
    }

    @Test
    void aBundleWithoutASymbolicNameGoesByItsId() {
        assertThat(BundleName.of(null, 12)).isEqualTo("bundle#12");
    }
}
