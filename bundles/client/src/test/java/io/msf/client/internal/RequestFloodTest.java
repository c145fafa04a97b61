package io.msf.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.msf.client.api.Subscription;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An agent that sends REQUESTs and reads nothing (broken, or hostile): every REQUEST is answered,
 * with the handler's reply or an ERROR of the client's own (NO_HANDLER here), so the answers would
 * grow the client's outbound queue without bound. Past its high-water mark the client answers none.
 */
class RequestFloodTest extends ClientTestBase {

    /** 17.6 MB of REQUESTs, whose answers are more: beyond the high-water mark and the loopback's socket buffers. */
    private static final int REQUESTS = 400_000;

    /**
     * The client's heartbeat: making the frames may take longer than 3 of the default 5 s on a loaded machine,
     * and the client would close the connection as dead before the last one comes.
     */
    private static final Duration QUIET = Duration.ofMinutes(2);

    private volatile SocketAgentClient client;

    @Test
    void requestsOfAnAgentThatReadsNothingAreNotAnsweredPastTheHighWaterMark() throws Exception {
        CompletableFuture<Long> pendingAtThePublication = new CompletableFuture<>();
        client = (SocketAgentClient) connect(options().name("no-handler").heartbeat(QUIET));
        Subscription marker = client.subscribe("marker", publication ->
                // Every REQUEST was read before this publication, which came after them: their answers are queued by now.
                pendingAtThePublication.complete(pendingBytes(client.session().channel())));
        Channel toClient = agent.connections.get(0);
        toClient.eventLoop().submit(() -> {
            toClient.config().setAutoRead(false);
            for (int i = 1; i <= REQUESTS; i++) {
                toClient.write(Message.request(client.id(), 1, i, 5_000, Unpooled.EMPTY_BUFFER), toClient.voidPromise());
                if (i % 1_000 == 0) {
                    toClient.flush(); // the client hears from the agent while the frames are made
                }
            }
            toClient.writeAndFlush(Message.publish("marker", 1, 1, Unpooled.EMPTY_BUFFER));
        }).sync();

        long pending = pendingAtThePublication.get(2, TimeUnit.MINUTES);

        assertThat(pending).isLessThan(Connector.OUTBOUND_HIGH_WATER_BYTES + (1 << 20));
        await().untilAsserted(() -> assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.OVERLOADED);
            assertThat(e).hasMessageContaining("the agent at " + Connector.describe(agent.address()))
                    .hasMessageContaining("its requests are dropped unanswered");
        }));
        toClient.config().setAutoRead(true);
        marker.close();
    }
}
