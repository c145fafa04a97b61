package io.msf.agent.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.client.api.AgentClients;
import io.msf.client.api.AgentException;
import io.msf.client.api.ClientOptions;
import io.msf.client.api.ConnectedClient;
import io.msf.client.api.MessageHandler;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.MessageType;
import java.net.UnixDomainSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A handler's failure reaches the requester with the same code and text whether the handler runs
 * in the container or in a program on the socket (docs/protocol.md section 8): a code about a
 * connection becomes REMOTE_ERROR in both, and so does any other exception, named with its class.
 */
class HandlerFailureCodesTest {

    /** The command for which the handler fails with an exception of its own: OK's code, never thrown. */
    private static final int PLAIN_FAILURE = ErrorCode.OK.code();

    /** Throws an AgentException with the code the request's command names, or any other exception. */
    private static final MessageHandler FAILING = message -> {
        if (message.command() == PLAIN_FAILURE) {
            throw new IllegalStateException("the handler broke");
        }
        throw new AgentException(ErrorCode.fromCode(message.command()), "the handler says so");
    };

    @RegisterExtension
    final QuietAgent agent = QuietAgent.start();
    private ConnectedClient outside;

    @BeforeEach
    void start() throws Exception {
        agent.broker.addHandler(FAILING, new HandlerProperties(0, "inside", 0, 1), "bundle inside 1.0.0");
        outside = AgentClients.connect(ClientOptions.builder()
                .unixSocket(((UnixDomainSocketAddress) agent.udsAddress()).getPath()).name("outside")
                .handler(FAILING).connectTimeout(Duration.ofSeconds(10)).build());
    }

    @AfterEach
    void stop() throws Exception {
        outside.close();
    }

    @ParameterizedTest
    @EnumSource(value = ErrorCode.class, mode = EnumSource.Mode.EXCLUDE, names = "OK")
    void inTheContainerAndOnTheSocketAlike(ErrorCode thrown) throws Exception {
        TestPeer requester = agent.peer(5, "");

        Frame fromInside = answer(requester, "inside", thrown.code());
        Frame fromOutside = answer(requester, "outside", thrown.code());

        ErrorCode expected = thrown.handlerMayAnswer() ? thrown : ErrorCode.REMOTE_ERROR;
        String text = thrown.handlerMayAnswer() ? "the handler says so" : thrown + ": the handler says so";
        assertThat(fromInside.error()).isEqualTo(expected);
        assertThat(fromInside.text()).isEqualTo(text);
        assertThat(fromOutside.error()).isEqualTo(expected);
        assertThat(fromOutside.text()).isEqualTo(text);
    }

    @Test
    void anyOtherFailureIsARemoteErrorWithItsClassAndMessageAlike() throws Exception {
        TestPeer requester = agent.peer(5, "");

        Frame fromInside = answer(requester, "inside", PLAIN_FAILURE);
        Frame fromOutside = answer(requester, "outside", PLAIN_FAILURE);

        for (Frame answer : new Frame[] {fromInside, fromOutside}) {
            assertThat(answer.error()).isEqualTo(ErrorCode.REMOTE_ERROR);
            assertThat(answer.text()).isEqualTo("java.lang.IllegalStateException: the handler broke");
        }
    }

    private static Frame answer(TestPeer requester, String handler, int command) {
        long sequence = requester.request(handler, command, "x", 5000);
        Frame answer = requester.next();
        assertThat(answer.type()).as("answer of %s: %s", handler, answer).isEqualTo(MessageType.ERROR);
        assertThat(answer.sequence()).isEqualTo(sequence);
        assertThat(answer.closing()).isFalse();
        return answer;
    }
}
