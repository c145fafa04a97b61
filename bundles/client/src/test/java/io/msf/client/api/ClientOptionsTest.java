package io.msf.client.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClientOptionsTest {

    /**
     * Checked when the options are built, in words of the agent's address: port 0 was taken and then
     * failed at every connection attempt, an empty host silently meant the loopback address, and a
     * port past 65535 was told as the JDK's "port out of range:70000".
     */
    @Test
    void anAgentAddressNoAgentCanHaveIsRefusedAtOnce() {
        assertThatIllegalArgumentException().isThrownBy(() -> ClientOptions.builder().tcp("localhost", 70000))
                .withMessage("the agent's port 70000 is outside 1..65535");
        assertThatIllegalArgumentException().isThrownBy(() -> ClientOptions.builder().tcp("localhost", 0))
                .withMessage("the agent's port 0 is outside 1..65535");
        assertThatIllegalArgumentException().isThrownBy(() -> ClientOptions.builder().tcp(" ", 7420))
                .withMessage("the agent's host is empty");

        ClientOptions options = ClientOptions.builder().tcp("agent.example", 65535).build();
        assertThat(options.agent()).isEqualTo(InetSocketAddress.createUnresolved("agent.example", 65535));
    }

    /**
     * A Duration the client cannot count with is refused when given: under a millisecond became 0,
     * which Netty reads as no connect or handshake limit at all; one of centuries, meant as
     * "never", overflowed into an ArithmeticException out of connect.
     */
    @Test
    void aDurationOutsideOneMillisecondToTwoToTheThirtyOneIsRefused() {
        ClientOptions.Builder builder = ClientOptions.builder();
        assertThatIllegalArgumentException().isThrownBy(() -> builder.heartbeat(Duration.ofSeconds(Long.MAX_VALUE)))
                .withMessageStartingWith("heartbeat PT").withMessageEndingWith(" is outside 1 ms..2147483647 ms");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.connectTimeout(Duration.ofNanos(999_999)))
                .withMessage("connectTimeout PT0.000999999S is outside 1 ms..2147483647 ms");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.tlsHandshakeTimeout(Duration.ZERO))
                .withMessageStartingWith("tlsHandshakeTimeout PT0S is outside");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.reconnectBackoff(Duration.ofMillis(1),
                Duration.ofDays(365))).withMessageStartingWith("max backoff PT8760H is outside");

        ClientOptions options = builder.heartbeat(Duration.ofMillis(Integer.MAX_VALUE))
                .connectTimeout(Duration.ofMillis(1)).tcp("localhost", 7420).build();
        assertThat(options.heartbeat()).isEqualTo(Duration.ofMillis(Integer.MAX_VALUE));
        assertThat(options.connectTimeout()).isEqualTo(Duration.ofMillis(1));
    }
}
