package io.msf.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.msf.client.api.Address;
import io.msf.client.api.AgentException;
import io.msf.client.api.ConnectedClient;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFuture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The agent sends an ERROR for no call per publication too large for a subscriber and per
 * notification it could not deliver: as many as the application sends. While onError is busy they
 * are counted into the report that waits, not queued one by one, and none goes untold.
 */
class StrayErrorReportTest extends ClientTestBase {

    private static final int ERRORS = 2_000;
    private static final Pattern MORE = Pattern.compile("; (\\d+) more ERRORs TOO_LARGE for no call since, the last: ");

    @Test
    void errorsForNoCallWhileOnErrorIsBusyAreCountedIntoOneReport() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<AgentException> reports = new CopyOnWriteArrayList<>();
        ConnectedClient client = connect(options().name("publisher").onError(e -> {
            reports.add(e);
            try {
                release.await();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }));

        agent.sendToAll(channel -> stray(channel, 0));
        await().until(() -> reports.size() == 1);
        List<ChannelFuture> written = List.of();
        for (int i = 1; i < ERRORS; i++) {
            int n = i;
            written = agent.sendToAll(channel -> stray(channel, n));
        }
        // The writes are tasks queued on the agent's event loop, which may read the request below and answer it
        // before running them all: the request goes once the last ERROR is on the wire, so that its answer comes
        // after every ERROR on the same connection, and once answered, the client has read them all.
        written.forEach(ChannelFuture::syncUninterruptibly);
        textOf(client.request(Address.name(FakeAgent.ECHO), 1, text("after"), Duration.ofSeconds(5)));
        release.countDown();

        await().until(() -> counted(reports) == ERRORS);
        assertThat(reports).as("reports for %d ERRORs", ERRORS).hasSize(2);
        assertThat(reports.get(0).getMessage()).startsWith("TOO_LARGE: publication 0 too large for subscriber 7");
        assertThat(reports.get(1).getMessage()).startsWith("TOO_LARGE: publication 1 too large for subscriber 7")
                .contains("the last: TOO_LARGE: publication " + (ERRORS - 1) + " too large");
    }

    /** A program may talk to several agents: the report says which one sent the ERROR. */
    @Test
    void anErrorForNoCallNamesTheAgentItCameFrom() {
        connect(options());

        agent.sendToAll(channel -> stray(channel, 0));

        await().untilAsserted(() -> assertThat(errors).singleElement().satisfies(e -> assertThat(e).hasMessage(
                "TOO_LARGE: publication 0 too large for subscriber 7 (from the agent at "
                        + Connector.describe(agent.address()) + ", command 1, sequence 1000000)")));
    }

    /** An ERROR the agent sends for a publication of {@code n}'s sequence, which no call waits for. */
    private static Message stray(io.netty.channel.Channel channel, int n) {
        Message publication = Message.publish("news", 1, 1_000_000 + n, channel.alloc().buffer(0));
        try {
            return Message.error(ErrorCode.TOO_LARGE, publication,
                    ByteBufUtil.writeUtf8(channel.alloc(), "publication " + n + " too large for subscriber 7"));
        } finally {
            publication.release();
        }
    }

    /** How many ERRORs the reports tell of: one each, and those counted into it. */
    private static long counted(List<AgentException> reports) {
        long count = 0;
        for (AgentException report : reports) {
            Matcher more = MORE.matcher(report.getMessage());
            count += 1 + (more.find() ? Long.parseLong(more.group(1)) : 0);
        }
        return count;
    }
}
