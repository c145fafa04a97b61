package io.msf.itests.agent;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.msf.agent.api.PeerKind;
import io.msf.client.api.Address;
import io.msf.client.api.AgentClients;
import io.msf.itests.Await;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import java.util.concurrent.CompletionStage;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Ids and names are unique: a second claim is refused with a closing ERROR and the holder keeps
 * serving; a claim with REPLACE takes both over from a socket peer, never from a handler in the
 * container. A HELLO without a common version is refused.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RegistrationIT extends AgentTestSupport {

    @Test
    public void secondClaimOfAnIdOrANameIsRefusedAndTheHolderKeepsServing() throws Exception {
        RawPeer holder = rawPeer(agentSocketFile());
        Frame granted = holder.register(4301, "itest.holder");
        assertEquals("id granted", 4301, granted.destination());
        assertEquals("name granted", "itest.holder", granted.subject());
        long refusedBefore = agent().totals().refused();

        assertRefused(ErrorCode.DUPLICATE_ID, 4301, "itest.other");
        assertRefused(ErrorCode.DUPLICATE_NAME, 4302, "itest.holder");
        assertRefused(ErrorCode.DUPLICATE_ID, 0x8000_0001, "itest.assigned.range");
        failure(ErrorCode.DUPLICATE_NAME, () -> AgentClients.connect(overTcp().name("itest.holder").build()));
        Await.value("refused HELLOs counted", () -> agent().totals().refused(), n -> n >= refusedBefore + 4);

        CompletionStage<Message> reply = client().requestAsync(Address.id(4301), 1, utf8("still there?"), PATIENT);
        Frame request = holder.next();
        holder.send(Frame.replyTo(request, "yes"));
        assertEquals("yes", textOf(await(reply)));
    }

    @Test
    public void replaceTakesTheIdAndNameOverAndClosesTheOldConnection() throws Exception {
        RawPeer old = rawPeer(agentTcp());
        old.register(4311, "itest.taken");

        RawPeer successor = rawPeer(agentSocketFile());
        Frame granted = successor.hello(4311, "itest.taken", Frame.FLAG_REPLACE);
        assertEquals("successor accepted: " + granted, Frame.HELLO, granted.type());
        assertEquals(4311, granted.destination());

        Frame farewell = old.next();
        assertEquals("old connection told: " + farewell, Frame.ERROR, farewell.type());
        assertTrue("closing: " + farewell, farewell.closing());
        assertTrue("DUPLICATE_ID or DUPLICATE_NAME: " + farewell,
                farewell.error() == ErrorCode.DUPLICATE_ID.code() || farewell.error() == ErrorCode.DUPLICATE_NAME.code());
        old.awaitClosedByPeer();

        CompletionStage<Message> reply = client().requestAsync(Address.name("itest.taken"), 1, utf8("who?"), PATIENT);
        Frame request = successor.next();
        successor.send(Frame.replyTo(request, "the successor"));
        assertEquals("the successor", textOf(await(reply)));
        assertEquals("listed over its new transport", PeerKind.UNIX, awaitPeer("itest.taken").kind());
    }

    @Test
    public void nameOfAContainerHandlerCannotBeClaimedNorReplaced() throws Exception {
        offer("itest.resident", 4321, replying("resident: "));

        assertRefused(ErrorCode.DUPLICATE_NAME, 4322, "itest.resident");
        RawPeer usurper = rawPeer(agentSocketFile());
        Frame answer = usurper.hello(4321, "itest.usurper", Frame.FLAG_REPLACE);
        assertClosingError(ErrorCode.DUPLICATE_ID, answer);
        usurper.awaitClosedByPeer();

        assertEquals("resident: here", textOf(client().request(Address.id(4321), 1, utf8("here"), PATIENT)));
    }

    @Test
    public void peerClaimingNoIdGetsOneFromTheAssignedRange() throws Exception {
        RawPeer anonymous = rawPeer(agentSocketFile());
        Frame granted = anonymous.register(0, "");
        assertTrue("assigned id " + Integer.toUnsignedString(granted.destination()) + " from 2147483648 up",
                Integer.compareUnsigned(granted.destination(), 0x8000_0000) >= 0);
        assertEquals(PeerKind.UNIX, awaitPeer("#" + Integer.toUnsignedString(granted.destination())).kind());
    }

    @Test
    public void helloWithoutACommonVersionIsRefused() throws Exception {
        RawPeer future = rawPeer(agentSocketFile());
        assertClosingError(ErrorCode.UNSUPPORTED_VERSION, future.hello(Frame.hello(0, "", 0, 2, 3, 1 << 20, "")));
        future.awaitClosedByPeer();
    }

    private void assertRefused(ErrorCode code, int id, String name) throws Exception {
        RawPeer claimant = rawPeer(agentSocketFile());
        assertClosingError(code, claimant.hello(id, name, 0));
        claimant.awaitClosedByPeer();
    }

    private static void assertClosingError(ErrorCode code, Frame answer) {
        assertEquals("answer type: " + answer, Frame.ERROR, answer.type());
        assertEquals("error code: " + answer, code.code(), answer.error());
        assertTrue("closing: " + answer, answer.closing());
        assertTrue("reason given: " + answer, !answer.text().isBlank());
    }
}
