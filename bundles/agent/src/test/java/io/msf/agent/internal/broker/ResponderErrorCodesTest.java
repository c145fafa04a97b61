package io.msf.agent.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.startsWith;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import io.msf.agent.api.PeerInfo;
import io.msf.client.api.Address;
import io.msf.client.api.AgentException;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.MessageType;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A program on the socket that is not the Java client may answer a request with any ERROR code. The
 * agent passes on only those a handler may answer (docs/protocol.md section 8): a code about a
 * connection would tell the requester that its own connection is at fault, so it becomes
 * REMOTE_ERROR naming the code and the responder. The responder's CLOSING never reaches the requester.
 */
class ResponderErrorCodesTest {

    @RegisterExtension
    final QuietAgent agent = QuietAgent.start();
    private TestPeer responder;

    @BeforeEach
    void start() throws Exception {
        responder = agent.peer(77, "raw");
    }

    @ParameterizedTest
    @EnumSource(value = ErrorCode.class, mode = EnumSource.Mode.EXCLUDE, names = "OK")
    void aConnectionKeepsOnlyTheCodesAHandlerMayAnswer(ErrorCode sent) throws Exception {
        TestPeer requester = agent.peer(5, "");

        long sequence = requester.request("raw", 16, "x", 5000);
        answerWith(sent, Message.FLAG_CLOSING, "the responder says so");
        Frame answer = requester.next();

        assertThat(answer.type()).as("answer %s", answer).isEqualTo(MessageType.ERROR);
        assertThat(answer.sequence()).isEqualTo(sequence);
        assertThat(answer.command()).isEqualTo(16);
        assertThat(answer.source()).isEqualTo(77);
        assertThat(answer.closing()).as("CLOSING of %s", answer).isFalse();
        if (sent.handlerMayAnswer()) {
            assertThat(answer.error()).isEqualTo(sent);
            assertThat(answer.text()).isEqualTo("the responder says so");
        } else {
            assertThat(answer.error()).isEqualTo(ErrorCode.REMOTE_ERROR);
            assertThat(answer.text()).isEqualTo("peer 'raw' (#77) answered " + sent + ": the responder says so");
        }
        requester.assertNothingElse();
        assertThat(requester.channel.isActive()).isTrue();
    }

    @Test
    void aBundlesClientGetsRemoteErrorToo() throws Exception {
        LocalClient client = agent.broker.openClient("bundle test 1.0.0", UnpooledByteBufAllocator.DEFAULT);
        Thread answering = new Thread(() -> answerWith(ErrorCode.UNAUTHORIZED, 0, "token expired"));
        answering.start();

        assertThatThrownBy(() -> client.request(Address.name("raw"), 3, TestPeer.text("x"), Duration.ofSeconds(10)))
                .isInstanceOfSatisfying(AgentException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.REMOTE_ERROR);
                    assertThat(e.detail()).isEqualTo("peer 'raw' (#77) answered UNAUTHORIZED: token expired");
                });
        answering.join();
    }

    /** A responder that does it on every request would flood the log: one warning, then debug lines. */
    @Test
    void isCountedInTheRespondersErrorsAndWarnedOfOncePerConnection() throws Exception {
        TestPeer requester = agent.peer(5, "");

        for (int i = 0; i < 2; i++) {
            requester.request("raw", 16, "x", 5000);
            answerWith(ErrorCode.BAD_FRAME, 0, "your frame");
            assertThat(requester.next().error()).isEqualTo(ErrorCode.REMOTE_ERROR);
        }

        assertThat(agent.broker.peers()).filteredOn(p -> p.id() == 77).extracting(PeerInfo::errors)
                .containsExactly(2L);
        verify(agent.log, times(1)).warn(startsWith("agent peer {} from {} answered"), eq("'raw' (#77)"),
                anyString(), eq(ErrorCode.BAD_FRAME), any(), any());
        verify(agent.log, times(1)).debug(startsWith("agent peer {} from {} answered"), eq("'raw' (#77)"),
                anyString(), eq(ErrorCode.BAD_FRAME), any(), any());
    }

    /** Answers the next request the responder receives with an ERROR of {@code code}. */
    private void answerWith(ErrorCode code, int flags, String text) {
        Frame request = responder.next();
        assertThat(request.type()).as("request %s", request).isEqualTo(MessageType.REQUEST);
        responder.send(new Message(MessageType.ERROR, flags, code, 0, request.source(), "", request.command(),
                request.sequence(), 0, TestPeer.text(text)));
    }
}
