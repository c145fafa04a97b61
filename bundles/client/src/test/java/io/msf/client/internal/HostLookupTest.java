package io.msf.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.msf.client.api.AgentException;
import io.msf.client.api.ClientOptions;
import io.msf.client.api.ConnectedClient;
import io.msf.client.api.ConnectionState;
import io.msf.protocol.api.ErrorCode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * The agent's host name is looked up at each connection attempt, not once when the options are
 * built: an agent whose address changed is found again on the next reconnect. The lookups here
 * are the test's own, so no DNS is involved.
 */
class HostLookupTest extends ClientTestBase {

    /** The hosts looked up, and on which threads. */
    private final Queue<String> lookups = new ConcurrentLinkedQueue<>();
    private final Queue<String> lookupThreads = new ConcurrentLinkedQueue<>();

    @Test
    void eachAttemptLooksTheHostUpAgain() throws Exception {
        // "localhost" resolves when the options are built: it was looked up then, and never again.
        Queue<Object> answers = new ConcurrentLinkedQueue<>();
        answers.add(new UnknownHostException("localhost: not yet"));
        answers.add(InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1}));
        answers.add(InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1}));
        HostLookups changing = new HostLookups(host -> {
            lookups.add(host);
            lookupThreads.add(Thread.currentThread().getName());
            Object answer = answers.poll();
            if (answer instanceof UnknownHostException unknown) {
                throw unknown;
            }
            return new InetAddress[] {(InetAddress) answer};
        });

        ConnectedClient client = connect(options().tcp("localhost", agent.port()).name("moving"), changing);
        assertThat(lookups).containsExactly("localhost", "localhost"); // the first failed, the second connected
        agent.dropConnections();

        await().until(() -> lookups.size() == 3 && client.state() == ConnectionState.CONNECTED);
        assertThat(lookupThreads).allSatisfy(thread -> assertThat(thread).isEqualTo("msf-client-lookup"));
    }

    @Test
    void aHostThatDoesNotResolveIsAFailedAttemptNamingIt() {
        HostLookups unknown = new HostLookups(host -> {
            lookups.add(host);
            throw new UnknownHostException(host + ": Name or service not known");
        });

        AgentException error = catchThrowableOfType(AgentException.class, () -> connect(
                options().tcp("no-such-host.invalid", 7420).connectTimeout(Duration.ofMillis(500)), unknown));

        assertThat(error.code()).isEqualTo(ErrorCode.PEER_OFFLINE);
        assertThat(error).hasMessage("PEER_OFFLINE: could not register with the agent at no-such-host.invalid:7420"
                + " within 500 ms (last attempt: UnknownHostException: the agent's host no-such-host.invalid could"
                + " not be looked up (no-such-host.invalid: Name or service not known))");
        assertThat(lookups.size()).as("attempts, after the backoff").isGreaterThan(1);
    }

    @Test
    void theBuilderTakesAHostThatDoesNotResolveYet() {
        ClientOptions options = ClientOptions.builder().tcp("no-such-host.invalid", 7420).build();

        assertThat(Connector.describe(options.agent())).isEqualTo("no-such-host.invalid:7420");
        assertThat(Connector.describe(ClientOptions.builder().tcp("::1", 7420).build().agent())).isEqualTo("[::1]:7420");
    }

    private ConnectedClient connect(ClientOptions.Builder options, HostLookups lookups) {
        return closeLater(SocketAgentClient.connect(options.build(), lookups));
    }
}
