package io.msf.client.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.InetSocketAddress;
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
}
