package io.msf.itests.agent;

import static org.junit.Assert.assertEquals;

import io.msf.agent.api.AgentTotals;
import io.msf.client.api.Address;
import io.msf.client.api.AgentClient;
import io.msf.client.api.ConnectedClient;
import io.msf.itests.Await;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * A request nobody answers in time gets TIMEOUT and its late reply is dropped; a request to a
 * destination that is not there, or that leaves before answering, gets PEER_OFFLINE.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TimeoutAndOfflineIT extends AgentTestSupport {

    private static final Duration SHORT = Duration.ofMillis(300);

    @Test
    public void socketPeerThatDoesNotAnswerInTimeGetsItsLateReplyDropped() throws Exception {
        RawPeer sloth = rawPeer(agentSocketFile());
        sloth.register(4201, "itest.sloth");
        long timeoutsBefore = agent().totals().timeouts();
        long lateBefore = agent().totals().lateReplies();

        CompletionStage<Message> first = client().requestAsync(Address.name("itest.sloth"), 1, utf8("first"), SHORT);
        Frame request = sloth.next();
        assertEquals("request forwarded: " + request, Frame.REQUEST, request.type());
        assertEquals("timeout forwarded", SHORT.toMillis(), request.timeoutMillis());
        awaitFailure(ErrorCode.TIMEOUT, first);
        Await.value("timeouts counted", () -> agent().totals().timeouts(), n -> n == timeoutsBefore + 1);

        sloth.send(Frame.replyTo(request, "too late"));
        Await.value("late replies counted", () -> agent().totals().lateReplies(), n -> n == lateBefore + 1);

        CompletionStage<Message> second = client().requestAsync(Address.name("itest.sloth"), 1, utf8("second"), PATIENT);
        Frame next = sloth.next();
        assertEquals("second", next.text());
        sloth.send(Frame.replyTo(next, "in time"));
        assertEquals("the late reply went nowhere; the next one reaches its request", "in time",
                textOf(await(second)));
    }

    @Test
    public void containerHandlerThatNeverAnswersTimesOutAndItsLateReplyIsDropped() throws Exception {
        CompletableFuture<ByteBuf> never = new CompletableFuture<>();
        offer("itest.never", null, message -> never);
        ConnectedClient caller = connect(overSocketFile());
        AgentTotals before = agent().totals();

        awaitFailure(ErrorCode.TIMEOUT, caller.requestAsync(Address.name("itest.never"), 1, utf8("?"), SHORT));
        Await.value("timeouts counted", () -> agent().totals().timeouts(), n -> n == before.timeouts() + 1);

        never.complete(utf8("too late"));
        Await.value("late replies counted", () -> agent().totals().lateReplies(), n -> n == before.lateReplies() + 1);
    }

    @Test
    public void requestsToANameOrIdNobodyHoldsFailAtOnceWithPeerOffline() throws Exception {
        ConnectedClient socketCaller = connect(overTcp());
        long offlineBefore = agent().totals().peerOffline();
        for (AgentClient caller : List.of(socketCaller, client())) {
            // A patient timeout: were the agent to wait for the destination, TIMEOUT would come instead.
            failure(ErrorCode.PEER_OFFLINE,
                    () -> caller.request(Address.name("itest.nobody"), 1, utf8("?"), PATIENT));
            awaitFailure(ErrorCode.PEER_OFFLINE, caller.requestAsync(Address.id(4299), 1, utf8("?"), PATIENT));
        }
        Await.value("PEER_OFFLINE answers counted", () -> agent().totals().peerOffline(),
                n -> n >= offlineBefore + 4);
    }

    @Test
    public void requestsOutstandingToAPeerThatLeavesFailWithPeerOffline() throws Exception {
        RawPeer leaver = rawPeer(agentTcp());
        leaver.register(4202, "itest.leaver");
        CompletionStage<Message> first = client().requestAsync(Address.name("itest.leaver"), 1, utf8("a"), PATIENT);
        CompletionStage<Message> second = client().requestAsync(Address.id(4202), 1, utf8("b"), PATIENT);
        assertEquals(Frame.REQUEST, leaver.next().type());
        assertEquals(Frame.REQUEST, leaver.next().type());

        leaver.close();

        awaitFailure(ErrorCode.PEER_OFFLINE, first);
        awaitFailure(ErrorCode.PEER_OFFLINE, second);
        Await.until("itest.leaver gone", () -> peer("itest.leaver").isEmpty());
    }

    @Test
    public void requestOutstandingToAClientThatClosesFailsWithPeerOffline() throws Exception {
        ConnectedClient mute = connect(overSocketFile().name("itest.mute")
                .handler(message -> new CompletableFuture<>()));
        CompletionStage<Message> pending = client().requestAsync(Address.name("itest.mute"), 1, utf8("?"), PATIENT);
        Await.value("request in flight at itest.mute", () -> peer("itest.mute").map(p -> p.inFlight()).orElse(0),
                n -> n == 1);

        mute.close();

        awaitFailure(ErrorCode.PEER_OFFLINE, pending);
    }
}
