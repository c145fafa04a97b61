package io.msf.itests.agent;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.msf.client.api.Address;
import io.msf.client.api.AgentClient;
import io.msf.client.api.AgentException;
import io.msf.client.api.ConnectedClient;
import io.msf.client.api.ConnectionState;
import io.msf.client.api.MessageHandler;
import io.msf.itests.Await;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceRegistration;

/**
 * Requests reach their destination by id and by name, synchronously and asynchronously, between
 * every pair of places a peer can be: a handler in the container, this bundle's in-container
 * client, and processes on the Unix domain socket and on TCP.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AgentRoutingIT extends AgentTestSupport {

    private static final int ECHO = 1;

    @Test
    public void socketClientsReachAContainerHandlerByNameAndById() throws Exception {
        offer("itest.route.handler", 4101, replying("handler: "));
        for (ConnectedClient caller : List.of(connect(overSocketFile()), connect(overTcp()))) {
            Message byName = caller.request(Address.name("itest.route.handler"), ECHO, utf8("by name"), PATIENT);
            assertEquals("reply source is the handler's id: " + byName, 4101, byName.source());
            assertEquals("command echoed", ECHO, byName.command());
            assertEquals("handler: by name", textOf(byName));

            Message byId = await(caller.requestAsync(Address.id(4101), ECHO, utf8("by id"), PATIENT));
            assertEquals("handler: by id", textOf(byId));
        }
    }

    @Test
    public void containerClientReachesASocketPeerByNameAndByIdSyncAndAsync() throws Exception {
        connect(overTcp().id(4102).name("itest.route.remote").handler(replying("remote: ")));
        AgentClient client = client();

        assertEquals("remote: sync by name",
                textOf(client.request(Address.name("itest.route.remote"), ECHO, utf8("sync by name"), PATIENT)));
        assertEquals("remote: sync by id",
                textOf(client.request(Address.id(4102), ECHO, utf8("sync by id"), PATIENT)));
        assertEquals("remote: async by name", textOf(await(
                client.requestAsync(Address.name("itest.route.remote"), ECHO, utf8("async by name"), PATIENT))));
        assertEquals("remote: async by id",
                textOf(await(client.requestAsync(Address.id(4102), ECHO, utf8("async by id"), PATIENT))));
    }

    @Test
    public void concurrentRequestsBetweenSocketPeersGetTheirOwnReplies() throws Exception {
        connect(overTcp().name("itest.route.server").handler(replying("served ")));
        ConnectedClient caller = connect(overSocketFile().name("itest.route.caller"));

        List<CompletionStage<Message>> replies = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            replies.add(caller.requestAsync(Address.name("itest.route.server"), ECHO, utf8("#" + i), PATIENT));
        }
        for (int i = 0; i < replies.size(); i++) {
            assertEquals("reply matched to its request by sequence", "served #" + i, textOf(await(replies.get(i))));
        }
    }

    @Test
    public void requesterSeesTheSourceIdOfItsRequestAtTheHandler() throws Exception {
        BlockingQueue<Integer> sources = new LinkedBlockingQueue<>();
        offer("itest.route.who", null, message -> {
            sources.add(message.source());
            return CompletableFuture.completedFuture(utf8(""));
        });
        ConnectedClient caller = connect(overSocketFile().id(4103));
        caller.request(Address.name("itest.route.who"), ECHO, utf8(""), PATIENT).release();
        client().request(Address.name("itest.route.who"), ECHO, utf8(""), PATIENT).release();

        assertEquals("the socket peer's claimed id", Integer.valueOf(4103), next(sources));
        assertEquals("the test bundle's client id", Integer.valueOf(client().id()), next(sources));
        assertTrue("in-container clients get assigned ids: " + Integer.toUnsignedString(client().id()),
                client().id() < 0);
    }

    @Test
    public void notificationsReachTheirHandlerAndUndeliverableOnesAreReported() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        offer("itest.route.inbox", null, message -> {
            received.add(message.type() + " " + text(message.payload()));
            return null;
        });
        List<AgentException> errors = new ArrayList<>();
        ConnectedClient caller = connect(overSocketFile().onError(e -> {
            synchronized (errors) {
                errors.add(e);
            }
        }));

        await(caller.notify(Address.name("itest.route.inbox"), ECHO, utf8("from a socket")));
        assertEquals("NOTIFY from a socket", next(received));
        await(client().notify(Address.name("itest.route.inbox"), ECHO, utf8("from the container")));
        assertEquals("NOTIFY from the container", next(received));

        awaitFailure(ErrorCode.PEER_OFFLINE, client().notify(Address.name("itest.route.nobody"), ECHO, utf8("lost")));
        caller.notify(Address.name("itest.route.nobody"), ECHO, utf8("lost"));
        Await.until("PEER_OFFLINE for the NOTIFY sent over a socket", () -> {
            synchronized (errors) {
                return errors.stream().anyMatch(e -> e.code() == ErrorCode.PEER_OFFLINE);
            }
        });
    }

    @Test
    public void handlerFailuresReachTheRequesterAsNoHandlerAndRemoteError() throws Exception {
        offer("itest.route.picky", null, message -> {
            if (message.command() == 2) {
                throw new IllegalStateException("itest boom");
            }
            throw new AgentException(ErrorCode.NO_HANDLER, "no command " + message.command());
        });
        ConnectedClient caller = connect(overSocketFile());
        for (AgentClient requester : List.of(caller, client())) {
            failure(ErrorCode.NO_HANDLER,
                    () -> requester.request(Address.name("itest.route.picky"), 1, utf8(""), PATIENT));
            AgentException remote = failure(ErrorCode.REMOTE_ERROR,
                    () -> requester.request(Address.name("itest.route.picky"), 2, utf8(""), PATIENT));
            assertTrue("the handler's failure as text: " + remote.getMessage(),
                    remote.getMessage().contains("itest boom"));
        }
    }

    @Test
    public void newRequestsGoToTheHighestRankedOfSeveralHandlersWithOneName() throws Exception {
        offer("itest.route.ranked", null, 0, replying("low: "));
        ServiceRegistration<MessageHandler> high = offer("itest.route.ranked", null, 10, replying("high: "));
        offer("itest.route.ranked", null, 5, replying("middle: "));
        ConnectedClient caller = connect(overSocketFile());

        assertEquals("high: a", textOf(caller.request(Address.name("itest.route.ranked"), ECHO, utf8("a"), PATIENT)));
        high.unregister();
        Await.value("the next in rank answering", () -> textOf(client().request(Address.name("itest.route.ranked"),
                ECHO, utf8("b"), PATIENT)), "middle: b"::equals);
    }

    @Test
    public void messageLargerThanTheDestinationAcceptsIsRefusedAndTheSenderStays() throws Exception {
        RawPeer small = rawPeer(agentSocketFile());
        Frame granted = small.hello(Frame.hello(4104, "itest.route.small", 0, 1, 1, 1024, ""));
        assertEquals("accepted: " + granted, Frame.HELLO, granted.type());
        ConnectedClient caller = connect(overTcp());
        String large = "x".repeat(2000);

        failure(ErrorCode.TOO_LARGE, () -> caller.request(Address.name("itest.route.small"), ECHO, utf8(large), PATIENT));
        failure(ErrorCode.TOO_LARGE, () -> client().request(Address.id(4104), ECHO, utf8(large), PATIENT));

        CompletionStage<Message> fits = caller.requestAsync(Address.name("itest.route.small"), ECHO, utf8("fits"),
                PATIENT);
        Frame request = small.next();
        assertEquals("only the request that fits came through: " + request, "fits", request.text());
        small.send(Frame.replyTo(request, "got it"));
        assertEquals("got it", textOf(await(fits)));
        assertEquals(ConnectionState.CONNECTED, caller.state());
    }
}
