package io.msf.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.msf.client.api.Address;
import io.msf.client.api.AgentException;
import io.msf.client.api.ConnectedClient;
import io.msf.client.api.ConnectionState;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The agent's texts (its ERRORs, the name it grants) reach exception messages and the client's log
 * lines with their control characters escaped, line feeds too: as they came, a hostile agent or peer
 * could write log lines that pass for the application's, or take over the terminal showing them.
 */
class AgentTextTest extends ClientTestBase {

    private static final String FORGED = "going away\nSEVERE: forged line\u001b[2J\r";
    private static final String ESCAPED = "going away\\u000aSEVERE: forged line\\u001b[2J\\u000d";

    @Test
    void aClosingErrorsTextIsEscaped() {
        ConnectedClient client = connect(options());
        Queue<ConnectionState> states = states(client);

        agent.cutOff(ErrorCode.OVERLOADED, FORGED);

        await().until(() -> states.contains(ConnectionState.CONNECTED));
        assertThat(errors).singleElement().satisfies(e -> assertThat(e.getMessage())
                .contains("closed the connection: " + ESCAPED).doesNotContain("\n", "\r", "\u001b"));
    }

    @Test
    void aPeersErrorTextIsEscapedInTheRequestersException() {
        connect(options().name("svc").handler(message -> {
            throw new IllegalStateException(FORGED);
        }));
        ConnectedClient requester = connect(options());

        AgentException failed = catchThrowableOfType(AgentException.class,
                () -> requester.request(Address.name("svc"), 1, text("x"), SECONDS_5));

        assertThat(failed.code()).isEqualTo(ErrorCode.REMOTE_ERROR);
        assertThat(failed.getMessage()).contains(ESCAPED).doesNotContain("\n", "\r", "\u001b");
    }

    @Test
    void aGrantedNameIsEscaped() {
        agent.grantName = "x\ny";

        AgentException failed = catchThrowableOfType(AgentException.class, () -> connect(options().name("tool")));

        assertThat(failed).isNotNull();
        assertThat(failed.getMessage()).contains("granted the name 'x\\u000ay'").doesNotContain("\n");
        assertThat(errors).singleElement().satisfies(e -> assertThat(e.getMessage())
                .contains("granted the name 'x\\u000ay'").doesNotContain("\n"));
    }

    /**
     * A topic is checked by the agent that routes it, not by this client: a hostile agent's publication
     * on a topic with a line feed matches a subscription to {@code news.>}, and its topic went into the
     * OVERLOADED report of it (and the WARNING line of a listener's failure on it) as it came.
     */
    @Test
    void aPublicationsTopicIsEscapedInTheReportThatDropsIt() throws InterruptedException {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ConnectedClient client = connect(options().maxQueuedMessages(1));
        client.subscribe("news.>", message -> {
            entered.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            agent.sendToAll(channel -> Message.publish("news.x\nSEVERE: forged", 1, 1, Unpooled.EMPTY_BUFFER));
            assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
            agent.sendToAll(channel -> Message.publish("news.x\nSEVERE: forged", 1, 2, Unpooled.EMPTY_BUFFER));
            agent.sendToAll(channel -> Message.publish("news.x\nSEVERE: forged", 1, 3, Unpooled.EMPTY_BUFFER));
            // Answered on the client's I/O thread once it has read what came before: the publications it drops.
            agent.sendToAll(channel -> Message.ping(77));
            await().atMost(Duration.ofSeconds(30)).until(() -> agent.pongs.contains(77L));
        } finally {
            // The report goes to the client's callback thread, which the listener holds until now.
            release.countDown();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(errors).anySatisfy(e -> assertThat(
                e.getMessage()).contains("dropping publication on 'news.x\\u000aSEVERE: forged'").doesNotContain("\n")));
    }
}
