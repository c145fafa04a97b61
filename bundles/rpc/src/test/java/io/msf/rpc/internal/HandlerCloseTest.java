package io.msf.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.msf.client.api.Address;
import io.msf.client.api.AgentException;
import io.msf.client.testing.InMemoryAgent;
import io.msf.protocol.api.ErrorCode;
import io.msf.rpc.api.Rpc;
import io.msf.rpc.api.RpcHandler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A handler closed as its component stops ends its calls in flight: the agent keeps a removed
 * handler's requests on purpose, and only the handler knows nothing will answer them.
 */
class HandlerCloseTest {

    private static final Address AT = Address.name("test.stuck");

    /** Never completed: the stage of an implementation whose service stopped. */
    private final CompletableFuture<String> stuck = new CompletableFuture<>();
    private final RpcHandler handler = Rpc.handler(Stuck.class, () -> stuck, Duration.ofSeconds(60));
    private final InMemoryAgent agent = InMemoryAgent.onHandlerThreads();
    private final Stuck proxy;

    /** A method whose stage never completes. */
    public interface Stuck {
        CompletionStage<String> never();
    }

    HandlerCloseTest() {
        agent.register(AT.name(), handler);
        proxy = Rpc.proxy(agent.client(5), AT, Stuck.class, Duration.ofSeconds(60));
    }

    @AfterEach
    void everyBufferReleased() {
        await().until(agent::allReleased);
        agent.close();
    }

    /**
     * Before, the caller waited out its 60 s, and the call's timeout task kept the handler, the
     * implementation and its bundle's class loader on the shared timer thread as long.
     */
    @Test
    void closeFailsTheCallsInFlightAtOnceAndDropsTheirTimeouts() throws Exception {
        int waitingBefore = CallTimer.waiting();
        CompletableFuture<String> call = proxy.never().toCompletableFuture();
        await().atMost(Duration.ofSeconds(5)).until(() -> CallTimer.waiting() == waitingBefore + 1);

        handler.close();

        assertThatThrownBy(() -> call.get(2, TimeUnit.SECONDS)).cause().isInstanceOfSatisfying(AgentException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.PEER_OFFLINE);
            assertThat(e).hasMessageContaining("Stuck.never() at test.stuck")
                    .hasMessageContaining("the RPC handler of " + Stuck.class.getName() + " is closed");
        });
        assertThat(CallTimer.waiting()).isEqualTo(waitingBefore);
    }

    @Test
    void aClosedHandlerAnswersEveryLaterCallWithPeerOffline() {
        handler.close();
        handler.close(); // again: nothing more

        CompletableFuture<String> call = proxy.never().toCompletableFuture();

        assertThatThrownBy(() -> call.get(2, TimeUnit.SECONDS)).cause().isInstanceOfSatisfying(AgentException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.PEER_OFFLINE));
    }
}
