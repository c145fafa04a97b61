package io.msf.agent.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
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
        assertThat(HandlerProperties.of(Map.of("msf.agent.id", 1003.0)).id()).as("a whole Double").isEqualTo(1003);
        assertThat(HandlerProperties.of(Map.of("msf.agent.id", new BigDecimal("1004.00"))).id()).isEqualTo(1004);
    }

    @Test
    void rejectsAnIdThatIsNoWholeNumberOrPastTheLongRangeRatherThanTakeWhatLongValueGives() {
        assertThatThrownBy(() -> HandlerProperties.of(Map.of("msf.agent.id", 1.9)))
                .hasMessage("msf.agent.id 1.9 (a java.lang.Double) is not a whole number in 1..2147483647");
        assertThatThrownBy(() -> HandlerProperties.of(Map.of("msf.agent.id", 42.5f)))
                .hasMessageStartingWith("msf.agent.id 42.5 (a java.lang.Float) is not a whole number");
        assertThatThrownBy(() -> HandlerProperties.of(Map.of("msf.agent.id", Double.NaN)))
                .hasMessageStartingWith("msf.agent.id NaN (a java.lang.Double) is not a whole number");
        // 2^64 + 7: its longValue() is 7
        BigInteger pastTheLongs = BigInteger.TWO.pow(64).add(BigInteger.valueOf(7));
        assertThatThrownBy(() -> HandlerProperties.of(Map.of("msf.agent.id", pastTheLongs)))
                .hasMessage("msf.agent.id 18446744073709551623 is outside 1..2147483647"
                        + " (ids from 2147483648 up are assigned by the agent)");
        assertThatThrownBy(() -> HandlerProperties.of(Map.of("msf.agent.id", 4294967297.0)))
                .hasMessageContaining("4294967297 is outside 1..2147483647");
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
