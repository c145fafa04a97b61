package io.msf.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.protocol.api.Message;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An agent that sends PINGs and reads nothing (broken, or hostile): the client's PONGs cannot grow
 * its outbound queue without bound. Any PONG clears the agent's count of misses, so one waiting to
 * be written answers every PING that comes meanwhile.
 */
class PingFloodTest extends ClientTestBase {

    /** 17.6 MB of PINGs: twice the client's high-water mark, beyond what the loopback's socket buffers take. */
    private static final int PINGS = 400_000;

    /**
     * The client's heartbeat: making the frames may take longer than 3 of the default 5 s on a loaded machine,
     * and the client would close the connection as dead before the last one comes.
     */
    private static final Duration QUIET = Duration.ofMinutes(2);

    private volatile SocketAgentClient client;

    @Test
    void pingsOfAnAgentThatReadsNothingQueueAtMostOnePong() throws Exception {
        CompletableFuture<Long> pendingAtTheRequest = new CompletableFuture<>();
        client = (SocketAgentClient) connect(options().name("svc").heartbeat(QUIET).handler(request -> {
            // Every PING was read before this REQUEST, which came after them: their PONGs are queued by now.
            pendingAtTheRequest.complete(pendingBytes(client.session().channel()));
            return CompletableFuture.completedFuture(Unpooled.EMPTY_BUFFER);
        }));
        Channel toClient = agent.connections.get(0);
        toClient.eventLoop().submit(() -> {
            toClient.config().setAutoRead(false);
            for (int i = 1; i <= PINGS; i++) {
                toClient.write(Message.ping(i), toClient.voidPromise());
                if (i % 1_000 == 0) {
                    toClient.flush(); // the client hears from the agent while the frames are made
                }
            }
            toClient.writeAndFlush(Message.request(client.id(), 1, 1, 5_000, Unpooled.EMPTY_BUFFER));
        }).sync();

        long pending = pendingAtTheRequest.get(2, TimeUnit.MINUTES);

        assertThat(pending).isLessThan(Connector.OUTBOUND_HIGH_WATER_BYTES / 8);
        toClient.config().setAutoRead(true);
    }
}
