package io.msf.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.msf.client.api.ConnectedClient;
import io.msf.client.api.ConnectionState;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** awaitConnected: any timeout, however long, is a bound, never an error or a wait cut short. */
class AwaitConnectedTest extends ClientTestBase {

    /** What an application writes for "as long as it takes". */
    private static final Duration FOREVER = ChronoUnit.FOREVER.getDuration();

    @Test
    void aTimeoutTooLongForNanosecondsIsWaitedOut() throws Exception {
        ConnectedClient client = connect(options());
        assertThat(client.awaitConnected(FOREVER)).isTrue();

        agent.stop();
        await().until(() -> client.state() == ConnectionState.RECONNECTING);
        CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                return client.awaitConnected(FOREVER);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        agent.start();

        assertThat(waiter).succeedsWithin(SECONDS_5).isEqualTo(true);
        client.close();
        assertThat(client.awaitConnected(FOREVER)).isFalse();
    }
}
