package io.msf.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.msf.client.api.AgentException;
import io.msf.client.api.ClientOptions;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Protocol;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The agent grants the id claimed, or one from {@link Protocol#FIRST_ASSIGNED_ID} up when none was,
 * and the name claimed (docs/protocol.md sections 6 and 7.1). An answer that grants anything else
 * breaks the protocol: the client took whatever came (id 0, the agent's own, or another peer's id)
 * and answered to it. Now it is refused as a breach that names the agent and what was wrong.
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

        assertBreach(options(), "granted id 0, not one from 2147483648 up");
    }

    @Test
    void anIdOutsideTheAssignedRangeWhenNoneWasClaimedIsABreach() {
        agent.grantId = 5;

        assertBreach(options().name("tool"), "granted id 5, not one from 2147483648 up");
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
     * Connecting fails at the connect timeout (the breach is no refusal: the client tries again after the
     * backoff, as for any breach), and onError has heard of each attempt's breach.
     */
    private void assertBreach(ClientOptions.Builder options, String what) {
        AgentException failed = catchThrowableOfType(AgentException.class,
                () -> connect(options.connectTimeout(Duration.ofSeconds(3))));

        assertThat(failed).as("connect").isNotNull();
        assertThat(failed.code()).isEqualTo(ErrorCode.PEER_OFFLINE);
        assertThat(errors).isNotEmpty().allSatisfy(breach -> {
            assertThat(breach.code()).isEqualTo(ErrorCode.BAD_FRAME);
            assertThat(breach).hasMessageContaining("the agent at " + Connector.describe(agent.address())
                    + " broke the protocol: its answer to the HELLO " + what);
        });
    }
}
