package io.msf.agent.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.AdditionalMatchers.and;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.endsWith;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.startsWith;
import static org.mockito.Mockito.mockingDetails;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockito.invocation.Invocation;

/**
 * Anyone who can reach the agent's port can be refused at the HELLO on connection after connection (a
 * client retrying with a wrong token, a peer of another protocol that speaks first): each refusal is counted, but the log gets one WARN line
 * for the address, naming the first connection and its reason, and the next ones in one line a minute.
 */
class RefusedHelloFloodTest {

    private static final int ATTEMPTS = 30;
    private static final String FROM_LOOPBACK = "agent, refused connections from tcp 127.0.0.1";

    @RegisterExtension
    final QuietAgent agent = QuietAgent.start();

    private List<Invocation> lines(String level) {
        return mockingDetails(agent.log).getInvocations().stream()
                .filter(call -> call.getMethod().getName().equals(level)).collect(Collectors.toList());
    }

    @Test
    void connectionsRefusedAtTheirHelloAreCountedEachButToldOnceAMinute() throws Exception {
        for (int i = 0; i < ATTEMPTS; i++) {
            TestPeer eager = agent.connect();
            eager.send(Message.ping(1));
            assertThat(eager.next().error()).isEqualTo(ErrorCode.UNAUTHORIZED);
            assertThat(eager.awaitClosed()).isTrue();
        }
        await().until(() -> agent.broker.totals().refused() == ATTEMPTS);

        assertThat(lines("warn")).hasSize(1);
        assertThat(lines("info")).noneMatch(call -> String.valueOf(call.getArgument(0)).contains("refused"));
        verify(agent.log).warn(contains("the next ones are counted and told once a minute"), eq(FROM_LOOPBACK),
                and(startsWith("refused the connection from tcp 127.0.0.1:"), endsWith(": UNAUTHORIZED the first frame must be a HELLO, not PING")));

        agent.broker.refusedConnections.of("tcp 127.0.0.1").intervalEnded();
        verify(agent.log, times(1)).warn(contains("more in the last minute"), eq(FROM_LOOPBACK), eq(ATTEMPTS - 1L),
                endsWith(": UNAUTHORIZED the first frame must be a HELLO, not PING"));
    }
}
