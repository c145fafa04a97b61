package io.msf.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.client.api.Address;
import io.msf.client.api.AgentException;
import io.msf.protocol.api.ErrorCode;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Between a connection's close and the end of it that the event loop reports later, the connection
 * is gone as far as a caller can tell: a send in that gap is told PEER_OFFLINE, as after it, never
 * OVERLOADED (Netty drops a closed channel's outbound buffer at once, so it has no room left, and a
 * caller that retries on OVERLOADED would spin).
 */
class ClosingConnectionTest extends ClientTestBase {

    @Test
    void aSendRightAfterTheConnectionClosedIsToldTheAgentIsOffline() {
        SocketAgentClient client = (SocketAgentClient) connect(options().name("closing"));
        Channel channel = client.session().channel();
        CompletableFuture<Throwable> notification = new CompletableFuture<>();
        CompletableFuture<Throwable> request = new CompletableFuture<>();

        // One task of the event loop: the close's end (channelInactive) runs as a later task.
        channel.eventLoop().execute(() -> {
            channel.close();
            client.notify(Address.name(FakeAgent.ECHO), 1, text("note"))
                    .whenComplete((sent, failure) -> notification.complete(failure));
            client.requestAsync(Address.name(FakeAgent.ECHO), 1, text("ask"), Duration.ofSeconds(2))
                    .whenComplete((reply, failure) -> {
                        if (reply != null) {
                            reply.release();
                        }
                        request.complete(failure);
                    });
            client.publish("news", 1, text("story"));
        });

        assertThat(notification).succeedsWithin(SECONDS_5).isInstanceOfSatisfying(AgentException.class,
                e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.PEER_OFFLINE));
        assertThat(request).succeedsWithin(SECONDS_5).isInstanceOfSatisfying(AgentException.class,
                e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.PEER_OFFLINE));
        AgentException dropped = awaitError("publication on 'news'");
        assertThat(dropped.code()).as(dropped.getMessage()).isEqualTo(ErrorCode.PEER_OFFLINE);
    }

    private AgentException awaitError(String about) {
        long deadline = System.nanoTime() + SECONDS_5.toNanos();
        while (System.nanoTime() < deadline) {
            for (AgentException e : errors) {
                if (e.getMessage().contains(about)) {
                    return e;
                }
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("no error about " + about + " reached onError: " + errors);
    }
}
