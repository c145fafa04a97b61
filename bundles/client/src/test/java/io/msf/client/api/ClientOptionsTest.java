package io.msf.client.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.net.InetSocketAddress;
import java.time.Duration;
import javax.net.ssl.SSLContext;
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
     * An SSLContext that was never initialised is refused when given, saying so: it failed only at the
     * first connection, deep in the TLS handler.
     */
    @Test
    void anUninitialisedSslContextIsRefusedWhenGiven() throws Exception {
        SSLContext uninitialised = SSLContext.getInstance("TLS");

        assertThatIllegalArgumentException().isThrownBy(() -> ClientOptions.builder().tls(uninitialised))
                .withMessageContaining("the TLS context (TLS) is not initialised");
    }

    /**
     * A Duration under a millisecond is refused when given: the client counts in whole milliseconds, and
     * 0 is what Netty reads as no connect or handshake limit at all.
     */
    @Test
    void aDurationUnderOneMillisecondIsRefused() {
        ClientOptions.Builder builder = ClientOptions.builder();
        assertThatIllegalArgumentException().isThrownBy(() -> builder.connectTimeout(Duration.ofNanos(999_999)))
                .withMessage("connectTimeout PT0.000999999S is under 1 ms");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.tlsHandshakeTimeout(Duration.ZERO))
                .withMessage("tlsHandshakeTimeout PT0S is under 1 ms");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.heartbeat(Duration.ofSeconds(-1)))
                .withMessage("heartbeat PT-1S is under 1 ms");

        assertThat(builder.connectTimeout(Duration.ofMillis(1)).tcp("localhost", 7420).build().connectTimeout())
                .isEqualTo(Duration.ofMillis(1));
    }

    /**
     * A long Duration, meant as "hardly ever" or "never", is taken as 2^31 - 1 ms (about 24.8 days), the
     * longest the client counts with: a heartbeat of 30 days or a backoff of up to a year worked before
     * they were checked, and one of centuries overflowed when the client started.
     */
    @Test
    void aDurationPastTwoToTheThirtyOneMillisecondsIsTakenAsThat() {
        Duration longest = Duration.ofMillis(Integer.MAX_VALUE);
        ClientOptions options = ClientOptions.builder().heartbeat(Duration.ofDays(30))
                .connectTimeout(Duration.ofSeconds(Long.MAX_VALUE)).tlsHandshakeTimeout(longest)
                .reconnectBackoff(Duration.ofMillis(1), Duration.ofDays(365)).tcp("localhost", 7420).build();

        assertThat(options.heartbeat()).isEqualTo(longest);
        assertThat(options.connectTimeout()).isEqualTo(longest);
        assertThat(options.tlsHandshakeTimeout()).isEqualTo(longest);
        assertThat(options.reconnectInitial()).isEqualTo(Duration.ofMillis(1));
        assertThat(options.reconnectMax()).isEqualTo(longest);
        assertThatIllegalArgumentException().isThrownBy(() -> ClientOptions.builder()
                .reconnectBackoff(Duration.ofDays(365), Duration.ofDays(30)))
                .withMessage("max backoff PT720H is below the initial PT8760H");
    }

    /** A null argument was a NullPointerException without a message from deep inside the JDK. */
    @Test
    void aNullArgumentIsRefusedNamingIt() {
        ClientOptions.Builder builder = ClientOptions.builder();
        assertThatNullPointerException().isThrownBy(() -> builder.unixSocket(null)).withMessage("socket");
        assertThatNullPointerException().isThrownBy(() -> builder.dataDir(null)).withMessage("dataDir");
        assertThatNullPointerException().isThrownBy(() -> builder.token(null)).withMessage("token");
        assertThatNullPointerException().isThrownBy(() -> builder.tlsTrustStore(null, new char[0]))
                .withMessage("trustStore");
    }
}
