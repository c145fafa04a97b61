package io.msf.client.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AddressTest {

    @Test
    void aNameIsAddressedByName() {
        assertThat(Address.name("dlna.library").byName()).isTrue();
    }

    /** A peer name follows a topic's rules, but a user who gave a name was told of a topic. */
    @Test
    void aBadNameIsToldAsAName() {
        assertThatThrownBy(() -> Address.name("")).hasMessage("the peer name is empty");
        assertThatThrownBy(() -> Address.name("my peer")).hasMessageStartingWith("peer name 'my peer' has ")
                .hasMessageNotContaining("topic");
        assertThatThrownBy(() -> Address.name("a..b")).hasMessage("peer name 'a..b' has an empty segment at index 2");
    }
}
