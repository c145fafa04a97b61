package io.msf.itests.agent;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.msf.client.api.Address;
import io.msf.client.api.AgentException;
import io.msf.client.api.ConnectedClient;
import io.msf.client.api.ConnectionState;
import io.msf.itests.Await;
import io.msf.mempool.api.MemoryPoolAdmin;
import io.msf.mempool.api.PoolUsage;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.netty.buffer.Unpooled;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * A peer that stops answering heartbeats is evicted, one that stops reading is cut off, one that
 * sends garbage is told why and closed, one that answers with a code about a connection has it
 * passed on as REMOTE_ERROR; every other peer carries on untouched.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MisbehavingPeersIT extends AgentTestSupport {

    private static final int HEARTBEAT_MILLIS = 100;
    private static final int FLOOD_PAYLOAD_BYTES = 64 * 1024;
    /** Enough to fill any socket buffers and queue bound several times over; the test fails after it. */
    private static final int MAX_FLOOD_MESSAGES = 2048;
    private static final int NO_ERROR = -1;

    @Inject
    private ConfigurationAdmin configAdmin;

    private final AgentConfig agentConfig = new AgentConfig(() -> configAdmin);

    /** The heartbeat the agent announced before a test changed it; 0 if no test did. */
    private int defaultHeartbeat;

    /** A well-behaved peer over TCP: it must never notice what the others do. */
    private ConnectedClient bystander;
    private final List<ConnectionState> bystanderStates = new CopyOnWriteArrayList<>();

    @Before
    public void offerEcho() {
        offer("itest.bad.echo", null, replying("echo: "));
    }

    @After
    public void restoreConfig() throws IOException {
        agentConfig.restore();
        if (defaultHeartbeat != 0) {
            // Config Admin applies it asynchronously: the next test must find the default in force
            Await.value("heartbeat back to " + defaultHeartbeat, this::announcedHeartbeat, ms -> ms == defaultHeartbeat);
            defaultHeartbeat = 0;
        }
    }

    @Test
    public void peerThatStopsAnsweringPingsIsEvictedAndItsRequestsFailWithPeerOffline() throws Exception {
        defaultHeartbeat = announcedHeartbeat();
        agentConfig.set("heartbeatMillis", HEARTBEAT_MILLIS, "heartbeatMisses", 3);
        Await.value("heartbeat announced in the agent's HELLO", this::announcedHeartbeat, ms -> ms == HEARTBEAT_MILLIS);
        startBystander();
        long evictedBefore = agent().totals().evicted();

        RawPeer silent = rawPeer(agentSocketFile());
        silent.register(4401, "itest.silent");
        CompletionStage<Message> outstanding =
                client().requestAsync(Address.name("itest.silent"), 1, utf8("are you there?"), PATIENT);
        assertEquals("request forwarded before the eviction", Frame.REQUEST, silent.nextIgnoringPings().type());

        awaitFailure(ErrorCode.PEER_OFFLINE, outstanding);
        silent.awaitClosedByPeer();
        Await.value("evictions", () -> agent().totals().evicted(), n -> n == evictedBefore + 1);
        assertFalse("itest.silent no longer listed", peer("itest.silent").isPresent());
        rawPeer(agentSocketFile()).register(4401, "itest.silent");
        assertBystanderUntouched();
    }

    @Test
    public void subscriberThatStopsReadingIsCutOffWhileAnotherKeepsReceiving() throws Exception {
        startBystander();
        Semaphore bystanderGot = new Semaphore(0);
        bystander.subscribe("itest.flood", message -> bystanderGot.release());
        RawPeer sleeper = rawPeer(agentTcp(), 4096);
        sleeper.register(4402, "itest.sleeper");
        sleeper.send(Frame.subscribe("itest.flood", 1));
        assertEquals(Frame.REPLY, sleeper.next().type());
        long overloadedBefore = agent().totals().overloaded();

        int published = 0;
        while (agent().totals().overloaded() == overloadedBefore) {
            assertTrue("no cut-off after " + published + " publications of " + FLOOD_PAYLOAD_BYTES + " bytes",
                    published < MAX_FLOOD_MESSAGES);
            client().publish("itest.flood", 1, Unpooled.wrappedBuffer(new byte[FLOOD_PAYLOAD_BYTES]));
            published++;
            // In step with the bystander, so that only the sleeper can fall behind.
            assertTrue("the bystander got publication " + published,
                    bystanderGot.tryAcquire(Await.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
        }

        // The closing ERROR queues behind everything the sleeper did not read, and the agent closes
        // after a grace period whether it was read or not: the close is certain, the ERROR is not.
        int error = errorBeforeClose(sleeper);
        assertTrue("the sleeper's closing error, if it got one: " + error,
                error == NO_ERROR || error == ErrorCode.OVERLOADED.code());
        Await.until("itest.sleeper gone", () -> peer("itest.sleeper").isEmpty());
        client().publish("itest.flood", 1, utf8("after the cut"));
        assertTrue("the bystander still receives",
                bystanderGot.tryAcquire(Await.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
        assertBystanderUntouched();
    }

    /**
     * A program that is not the Java client answers with a code about a connection, and CLOSING: its
     * requesters get REMOTE_ERROR naming it and its code, and keep their connections.
     */
    @Test
    public void responderAnsweringWithACodeAboutAConnectionIsPassedOnAsRemoteError() throws Exception {
        startBystander();
        RawPeer liar = rawPeer(agentSocketFile());
        liar.register(4403, "itest.liar");

        CompletionStage<Message> fromOutside =
                bystander.requestAsync(Address.name("itest.liar"), 1, utf8("a"), PATIENT);
        Frame request = liar.next();
        liar.send(Frame.errorTo(request, ErrorCode.DUPLICATE_ID.code(), Frame.FLAG_CLOSING, "not mine"));
        AgentException outside = awaitFailure(ErrorCode.REMOTE_ERROR, fromOutside);
        assertTrue("names the liar and its code: " + outside.detail(),
                outside.detail().endsWith("peer 'itest.liar' (#4403) answered DUPLICATE_ID: not mine"));

        CompletionStage<Message> fromInside = client().requestAsync(Address.id(4403), 2, utf8("b"), PATIENT);
        liar.send(Frame.errorTo(liar.next(), ErrorCode.UNAUTHORIZED.code(), 0, "token expired"));
        AgentException inside = awaitFailure(ErrorCode.REMOTE_ERROR, fromInside);
        assertEquals("peer 'itest.liar' (#4403) answered UNAUTHORIZED: token expired", inside.detail());

        assertEquals("the liar's errors", 2, peer("itest.liar").orElseThrow().errors());
        assertBystanderUntouched();
    }

    /**
     * A subscriber that stops reading, sent payloads just past what the encoder copies into its batches by a
     * publisher whose other publications are large: each small payload was a slice of a read buffer of up to
     * 128 KiB, and the queue behind the sleeper kept that whole buffer while its mark counted the payload (53 MiB
     * held for a 1 MiB mark). Copied now, the agent's memory stays within a few marks until the sleeper is cut off.
     */
    @Test
    public void subscriberThatStopsReadingHoldsAboutItsMarkWhateverBufferItsPublicationsCameIn() throws Exception {
        RawPeer sleeper = rawPeer(agentTcp(), 4096);
        sleeper.register(4405, "itest.pinned.sleeper");
        sleeper.send(Frame.subscribe("itest.pinned", 1));
        assertEquals(Frame.REPLY, sleeper.next().type());
        ConnectedClient publisher = connect(overTcp());
        long mark = markInForce();
        long overloadedBefore = agent().totals().overloaded();
        long before = agentMemory();
        long most = 0;
        for (int published = 0; agent().totals().overloaded() == overloadedBefore; published++) {
            assertTrue("no cut-off after " + published + " publications", published < 4 * mark / 2100);
            publisher.publish("itest.pinned", 1, Unpooled.wrappedBuffer(new byte[2100]));
            publisher.publish("itest.nobody", 1, Unpooled.wrappedBuffer(new byte[60_000]));
            // in step with the agent: its answer comes after it routed both, the publisher's own queue short
            publisher.request(Address.name("itest.bad.echo"), 1, utf8("x"), PATIENT).release();
            most = Math.max(most, agentMemory() - before);
        }
        assertTrue("the agent held " + most + " bytes more for a mark of " + mark, most < 3 * mark);
    }

    /** The agent's pooled memory in use (its connections' buffers are charged to it). */
    private long agentMemory() {
        List<PoolUsage> usage = service(MemoryPoolAdmin.class).usage();
        return usage.stream().filter(u -> u.bundle().equals("io.msf.agent")).mapToLong(PoolUsage::bytesInUse)
                .reduce(Long::sum).orElseThrow(() -> new AssertionError("no memory of io.msf.agent in " + usage));
    }

    private long markInForce() throws IOException {
        Object mark = configAdmin.getConfiguration("msf.agent", "?").getProperties().get("outboundHighWaterBytes");
        return mark == null ? 8L << 20 : Long.parseLong(mark.toString());
    }

    @Test
    public void badMagicGetsAClosingBadFrameError() throws Exception {
        startBystander();
        assertMalformed(ErrorCode.BAD_FRAME, "bad magic 0x4745", ascii("GET / HTTP/1.1\r\nHost: x\r\n\r\n"
                + "padding to pass the 44-byte header"), false);
    }

    @Test
    public void frameOverTheLimitGetsAClosingTooLargeErrorOnItsHeaderAlone() throws Exception {
        startBystander();
        ByteBuffer header = ByteBuffer.allocate(Frame.HEADER_BYTES).putShort(Frame.MAGIC).put((byte) 1)
                .put((byte) Frame.REQUEST).putInt(Integer.MAX_VALUE);
        assertMalformed(ErrorCode.TOO_LARGE, "2147483647", header.clear(), true);
    }

    /** Before its HELLO a connection may send nothing over 1,024 bytes, whatever the agent's limit (1 MiB). */
    @Test
    public void frameOverTheSmallestLimitBeforeTheHelloGetsAClosingTooLargeError() throws Exception {
        startBystander();
        ByteBuffer header = ByteBuffer.allocate(Frame.HEADER_BYTES).putShort(Frame.MAGIC).put((byte) 1)
                .put((byte) Frame.REQUEST).putInt(64 * 1024);
        assertMalformed(ErrorCode.TOO_LARGE, "frame length 65536 is over the maximum of 1024 bytes before the HELLOs",
                header.clear(), false);
    }

    @Test
    public void lyingLengthsGetAClosingBadFrameError() throws Exception {
        startBystander();
        ByteBuffer frame = Frame.request("itest.bad.echo", 1, 1, 0, "0123456789").encode();
        frame.putInt(4, frame.remaining() - 1);
        assertMalformed(ErrorCode.BAD_FRAME, "lengths disagree", frame, true);
    }

    @Test
    public void frameBeforeTheHelloIsUnauthorized() throws Exception {
        startBystander();
        assertMalformed(ErrorCode.UNAUTHORIZED, "", Frame.request("itest.bad.echo", 1, 1, 0, "hi").encode(), false);
    }

    @Test
    public void secondHelloIsABadFrame() throws Exception {
        startBystander();
        assertMalformed(ErrorCode.BAD_FRAME, "HELLO", Frame.hello(0, "", 0).encode(), true);
    }

    private void assertMalformed(ErrorCode code, String reasonPart, ByteBuffer bytes, boolean afterHello)
            throws Exception {
        long malformedBefore = agent().totals().malformed();
        RawPeer offender = rawPeer(agentSocketFile());
        if (afterHello) {
            offender.register(0, "");
        }
        offender.sendRaw(bytes);
        Frame error = offender.next();
        assertEquals("answer: " + error, Frame.ERROR, error.type());
        assertEquals("code: " + error, code.code(), error.error());
        assertTrue("closing: " + error, error.closing());
        assertTrue("reason names the fault: " + error, error.text().contains(reasonPart));
        offender.awaitClosedByPeer();
        if (code != ErrorCode.UNAUTHORIZED) {
            Await.value("malformed connections", () -> agent().totals().malformed(), n -> n == malformedBefore + 1);
        }
        assertBystanderUntouched();
    }

    private void startBystander() {
        bystander = connect(overTcp());
        bystander.onStateChange(bystanderStates::add);
        assertEquals("echo: before", textOf(bystander.request(Address.name("itest.bad.echo"), 1, utf8("before"),
                PATIENT)));
    }

    private void assertBystanderUntouched() {
        assertEquals("echo: after", textOf(bystander.request(Address.name("itest.bad.echo"), 1, utf8("after"),
                PATIENT)));
        assertEquals("bystander states", List.of(), bystanderStates);
        assertEquals(ConnectionState.CONNECTED, bystander.state());
    }

    /** The heartbeat interval in the agent's answer to a fresh HELLO. */
    private int announcedHeartbeat() {
        try (RawPeer probe = RawPeer.connect(agentSocketFile())) {
            return probe.register(0, "").helloHeartbeatMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // the agent is restarting: ask again
        }
    }

    /** Reads what the cut-off peer was still sent until the close; returns its ERROR's code or {@link #NO_ERROR}. */
    private static int errorBeforeClose(RawPeer peer) throws IOException {
        int code = NO_ERROR;
        while (true) {
            try {
                Frame frame = peer.read();
                if (frame.type() == Frame.ERROR) {
                    assertTrue("closing: " + frame, frame.closing());
                    code = frame.error();
                }
            } catch (EOFException | SocketException closed) {
                return code;
            }
        }
    }

    private static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }
}
