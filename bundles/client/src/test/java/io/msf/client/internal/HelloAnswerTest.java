package io.msf.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.msf.client.api.AgentException;
import io.msf.client.api.ClientOptions;
import io.msf.client.api.ConnectedClient;
import io.msf.client.api.ConnectionState;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Protocol;
import org.junit.jupiter.api.Test;

/**
 * The agent answers the HELLO from its own id, 0, granting the id claimed, or one from
 * {@link Protocol#FIRST_ASSIGNED_ID} up when none was, and the name claimed (docs/protocol.md sections
 * 6 and 7.1). An answer from another source, or that grants anything else, breaks the protocol: the
 * client took whatever came (id 0, the agent's own, or another peer's id) and answered to it. It is
 * refused as a breach that names the agent and what was wrong, and the first connect fails with it at
 * once.
 */
class HelloAnswerTest extends ClientTestBase {

    @Test
    void anIdOtherThanTheOneClaimedIsABreach() {
        agent.grantId = 8;

        assertBreach(options().id(7), "granted id 8, not the id 7 this client claimed");
    }

    @Test
    void idZeroIsABreach() {
        agent.grantId = 0;

        assertBreach(options(), "granted id 0, not one from 2147483648 up (this client claimed none)");
    }

    @Test
    void anIdOutsideTheAssignedRangeWhenNoneWasClaimedIsABreach() {
        agent.grantId = 5;

        assertBreach(options().name("tool"), "granted id 5, not one from 2147483648 up (this client claimed none)");
    }

    @Test
    void anAnswerFromAnotherSourceThanTheAgentIsABreach() {
        agent.helloSource = 5;

        assertBreach(options().name("tool"), "came from #5, not from the agent (#0)");
    }

    @Test
    void aNameOtherThanTheOneClaimedIsABreach() {
        agent.grantName = "other";

        assertBreach(options().name("tool"), "granted the name 'other', not the name 'tool' this client claimed");
    }

    @Test
    void aNameWhenNoneWasClaimedIsABreach() {
        agent.grantName = "other";

        assertBreach(options(), "granted the name 'other', not the name '' this client claimed");
    }

    /**
     * Only the first connect fails for it: a client that has registered keeps trying after the backoff, as
     * for any breach, and is back once the agent answers as it should.
     */
    @Test
    void aBreachInTheAnswerOnAReconnectIsTriedAgain() {
        ConnectedClient client = connect(options().name("tool"));
        agent.grantName = "other";

        agent.dropConnections();

        await().untilAsserted(() -> assertThat(agent.hellos).hasSizeGreaterThanOrEqualTo(3));
        assertThat(client.state()).isEqualTo(ConnectionState.RECONNECTING);
        assertThat(errors).allSatisfy(error -> assertThat(error).hasMessageEndingWith(
                "its answer to the HELLO granted the name 'other', not the name 'tool' this client claimed"));
        agent.grantName = null;
        await().until(() -> client.state() == ConnectionState.CONNECTED);
    }

    /**
     * Connecting fails at once with the breach itself, not at the connect timeout with PEER_OFFLINE: what
     * the agent answered will not change on another attempt, and none is made. onError has heard of it
     * once (connect() has closed the client, its callbacks run, when it throws).
     */
    private void assertBreach(ClientOptions.Builder options, String what) {
        String breach = "BAD_FRAME: the agent at " + Connector.describe(agent.address())
                + " broke the protocol: its answer to the HELLO " + what;

        AgentException failed = catchThrowableOfType(AgentException.class, () -> connect(options));

        assertThat(failed).as("connect").isNotNull();
        assertThat(failed.code()).isEqualTo(ErrorCode.BAD_FRAME);
        assertThat(failed).hasMessage(breach);
        assertThat(errors).singleElement().satisfies(error -> assertThat(error).hasMessage(breach));
        assertThat(agent.hellos).as("HELLOs the agent saw").hasSize(1);
    }
}
