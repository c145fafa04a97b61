package io.msf.agent.internal.broker;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.AdditionalMatchers.and;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.endsWith;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.startsWith;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.mockingDetails;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockito.invocation.Invocation;

/**
 * Anyone who can reach the agent's port can send garbage on connection after connection (a port
 * scanner, an HTTP probe): every one is counted, but the log gets one WARN line for the address,
 * naming the first connection and its reason, and the next ones in one line a minute.
 */
class MalformedFrameFloodTest {

    private static final int PROBES = 50;
    private static final String FROM_LOOPBACK = "agent, malformed frames from tcp 127.0.0.1";
    private static final String BAD_MAGIC = "BAD_FRAME bad magic 0x4745, expected 0x4d53 ('MS'): not an msf agent peer"
            + " at offset 0";

    @RegisterExtension
    final QuietAgent agent = QuietAgent.start();

    /** {@link #PROBES} connections that each send an HTTP request, closed by the agent. */
    private void probe() throws InterruptedException {
        for (int i = 0; i < PROBES; i++) {
            TestPeer probe = agent.connect();
            probe.sendRaw(Unpooled.copiedBuffer("GET / HTTP/1.1\r\n\r\n", US_ASCII));
            assertThat(probe.awaitClosed()).isTrue();
        }
        await().until(() -> agent.broker.totals().malformed() == PROBES);
    }

    private List<Invocation> warnLines() {
        return mockingDetails(agent.log).getInvocations().stream()
                .filter(call -> call.getMethod().getName().equals("warn")).collect(Collectors.toList());
    }

    @Test
    void manyMalformedConnectionsFromOneAddressAreAllCountedButOneWarnLine() throws Exception {
        probe();

        assertThat(agent.broker.totals().malformed()).isEqualTo(PROBES);
        assertThat(warnLines()).hasSize(1);
        verify(agent.log).warn(contains("the next ones are counted and told once a minute"), eq(FROM_LOOPBACK),
                and(startsWith("closed the connection from tcp 127.0.0.1:"), endsWith(": " + BAD_MAGIC)));
    }

    @Test
    void theNextOnesAreToldInOneLineAMinuteAndAQuietMinuteForgetsTheAddress() throws Exception {
        probe();
        RepeatedWarnings fromLoopback = agent.broker.malformedFrames.of("tcp 127.0.0.1");

        fromLoopback.intervalEnded();
        verify(agent.log, times(1)).warn(contains("more in the last minute"), eq(FROM_LOOPBACK), eq(PROBES - 1L),
                and(startsWith("closed the connection from tcp 127.0.0.1:"), endsWith(": " + BAD_MAGIC)));

        fromLoopback.intervalEnded();   // a minute without any
        assertThat(agent.broker.malformedFrames.addresses()).isZero();
        clearInvocations(agent.log);

        TestPeer again = agent.connect();
        again.sendRaw(Unpooled.copiedBuffer("GET / HTTP/1.1\r\n\r\n", US_ASCII));
        await().until(() -> agent.broker.totals().malformed() == PROBES + 1);
        verify(agent.log, times(1)).warn(contains("the next ones are counted and told once a minute"),
                eq(FROM_LOOPBACK), endsWith(": " + BAD_MAGIC));
    }
}
