package io.msf.agent.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HandlerPropertiesTest {

    @Test
    void readsIdNameRankingAndServiceId() {
        assertThat(HandlerProperties.of(Map.of("msf.agent.name", "dlna", "msf.agent.id", 1001,
                "service.ranking", 5, "service.id", 42L))).isEqualTo(new HandlerProperties(1001, "dlna", 5, 42));
        assertThat(HandlerProperties.of(Map.of("msf.agent.id", "1002"))).isEqualTo(
                new HandlerProperties(1002, "", 0, 0));
        assertThat(HandlerProperties.of(Map.of("msf.agent.id", 2147483647L)).id()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void rejectsWhatCannotAddressAHandler() {
        assertThatThrownBy(() -> HandlerProperties.of(Map.of())).hasMessageContaining("neither msf.agent.name");
        assertThatThrownBy(() -> HandlerProperties.of(Map.of("msf.agent.id", 0))).hasMessageContaining("1..");
        assertThatThrownBy(() -> HandlerProperties.of(Map.of("msf.agent.id", 2147483648L)))
                .hasMessageContaining("assigned by the agent");
        assertThatThrownBy(() -> HandlerProperties.of(Map.of("msf.agent.id", "x1"))).hasMessageContaining("not a number");
        assertThatThrownBy(() -> HandlerProperties.of(Map.of("msf.agent.name", "a b")))
                .hasMessage("msf.agent.name: peer name 'a b' has white space or a control character at index 1");
        assertThatThrownBy(() -> HandlerProperties.of(Map.of("msf.agent.name", 7)))
                .hasMessageContaining("must be a String");
    }
}
