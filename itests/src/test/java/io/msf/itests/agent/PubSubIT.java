package io.msf.itests.agent;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;

import io.msf.agent.api.TopicInfo;
import io.msf.client.api.AgentClient;
import io.msf.client.api.ConnectedClient;
import io.msf.client.api.Subscription;
import io.msf.itests.Await;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Publications reach every connection with a matching pattern ({@code *} one segment, {@code >}
 * the rest), once per connection, whether the subscriber and the publisher are in the container
 * or on a socket.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PubSubIT extends AgentTestSupport {

    private static final String FENCE = "itest.fence";

    /** The raw peer's own fence, so that it is published only after every other delivery was routed. */
    private static final String RAW_FENCE = "itest.rawfence";

    @Test
    public void publicationsReachEveryMatchingSubscriberOnceWhereverItIs() throws Exception {
        AgentClient inContainer = client();
        ConnectedClient overFile = connect(overSocketFile().name("itest.sub.file"));
        ConnectedClient overTcp = connect(overTcp().name("itest.sub.tcp"));
        Received a = new Received();
        Received b = new Received();
        Received c = new Received();
        subscribe(inContainer, a, "itest.dev.*.added");
        Subscription bDev = subscribe(overFile, b, "itest.dev.>");
        subscribe(overTcp, c, "itest.*.tv.removed");
        RawPeer raw = rawPeer(agentSocketFile());
        raw.register(0, "itest.sub.raw");
        // two patterns matching one topic: still one delivery to the connection
        rawSubscribe(raw, "itest.dev.tv.added", "itest.*.tv.>", RAW_FENCE);

        for (String topic : List.of("itest.dev.tv.added", "itest.dev.tv.removed", "itest.dev.added")) {
            overFile.publish(topic, 7, utf8("from the socket"));
        }
        for (String topic : List.of("itest.dev.a.b.added", "itest.cfg.tv.removed")) {
            inContainer.publish(topic, 7, utf8("from the container"));
        }

        a.awaitExactly("itest.dev.tv.added");
        b.awaitExactly("itest.dev.a.b.added", "itest.dev.added", "itest.dev.tv.added", "itest.dev.tv.removed");
        c.awaitExactly("itest.cfg.tv.removed", "itest.dev.tv.removed");
        assertEquals("the raw peer's deliveries, each once",
                List.of("itest.cfg.tv.removed", "itest.dev.tv.added", "itest.dev.tv.removed"), rawPublications(raw));

        TopicInfo dev = topic("itest.dev.>").orElseThrow();
        assertEquals("subscribers of itest.dev.>", List.of("itest.sub.file"), dev.subscribers());
        assertEquals("delivered through itest.dev.>", 4, dev.delivered());

        bDev.close();
        inContainer.publish("itest.dev.tv.added", 7, utf8("after the unsubscription"));
        a.awaitExactly("itest.dev.tv.added", "itest.dev.tv.added");
        b.awaitExactly("itest.dev.a.b.added", "itest.dev.added", "itest.dev.tv.added", "itest.dev.tv.removed");

        overTcp.close();
        Await.until("subscriptions end with their connection", () -> topic("itest.*.tv.removed").isEmpty());
    }

    /** A listener that never blocks may run on its client's I/O thread: same deliveries, in order. */
    @Test
    public void aListenerOnTheClientsIoThreadGetsEveryPublicationInOrder() throws Exception {
        ConnectedClient subscriber = connect(overSocketFile().name("itest.sub.inline").listenersOnIoThread(true));
        List<String> seen = new ArrayList<>();
        List<String> threads = new ArrayList<>();
        subscriber.subscribe("itest.inline.>", message -> {
            synchronized (seen) {
                seen.add(message.payload().toString(java.nio.charset.StandardCharsets.UTF_8));
                threads.add(Thread.currentThread().getName());
            }
        });

        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            sent.add(Integer.toString(i));
            client().publish("itest.inline.n", 1, utf8(Integer.toString(i)));
        }

        Await.until("500 publications", () -> {
            synchronized (seen) {
                return seen.size() >= sent.size();
            }
        });
        synchronized (seen) {
            assertEquals("in order, each once", sent, seen);
            assertFalse("on the I/O thread, never the callback thread: " + threads,
                    threads.stream().anyMatch(name -> !name.endsWith("-itest.sub.inline-io")));
        }
    }

    @Test
    public void badPatternsAreRefusedAndTheConnectionStays() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> client().subscribe("itest.>.x", m -> { }));
        RawPeer raw = rawPeer(agentSocketFile());
        raw.register(0, "");
        raw.send(Frame.subscribe("itest.>.x", 1));
        Frame refusal = raw.next();
        assertEquals("refusal: " + refusal, ErrorCode.INVALID_SUBJECT.code(), refusal.error());
        assertFalse("the connection stays: " + refusal, refusal.closing());
        assertEquals("sequence echoed", 1, refusal.sequence());
        rawSubscribe(raw, "itest.still.open");
    }

    @Test
    public void publicationNobodySubscribedToIsDroppedAndCounted() {
        long before = agent().totals().unmatchedPublications();
        client().publish("itest.nobody.listens", 1, utf8("void"));
        Await.value("unmatched publications", () -> agent().totals().unmatchedPublications(), n -> n == before + 1);
    }

    private Subscription subscribe(AgentClient client, Received into, String pattern) {
        client.subscribe(FENCE, into);
        return client.subscribe(pattern, into);
    }

    private static void rawSubscribe(RawPeer raw, String... patterns) throws IOException {
        for (int i = 0; i < patterns.length; i++) {
            raw.send(Frame.subscribe(patterns[i], 100 + i));
            Frame ack = raw.next();
            assertEquals("SUBSCRIBE " + patterns[i] + " acknowledged: " + ack, Frame.REPLY, ack.type());
            assertEquals("sequence echoed", 100 + i, ack.sequence());
        }
    }

    /** Publishes the raw peer's fence and returns the sorted topics it got before it. */
    private List<String> rawPublications(RawPeer raw) throws IOException {
        client().publish(RAW_FENCE, 0, utf8(""));
        List<String> topics = new ArrayList<>();
        for (Frame frame = raw.next(); !frame.subject().equals(RAW_FENCE); frame = raw.next()) {
            assertEquals("a publication: " + frame, Frame.PUBLISH, frame.type());
            topics.add(frame.subject());
        }
        topics.sort(null);
        return topics;
    }

    private Optional<TopicInfo> topic(String pattern) {
        return agent().topics().stream().filter(t -> t.pattern().equals(pattern)).findFirst();
    }

    /** The topics a subscriber got, in arrival order. */
    private final class Received implements Consumer<Message> {
        private final List<String> topics = new ArrayList<>();

        @Override
        public synchronized void accept(Message message) {
            topics.add(message.subject());
        }

        /**
         * Waits until the subscriber got {@code expected} (sorted), then publishes the fence: once
         * it arrives, anything else would have arrived too.
         */
        void awaitExactly(String... expected) {
            List<String> wanted = List.of(expected);
            Await.value("publications " + wanted, this::sortedWithoutFences, wanted::equals);
            int fences = fences();
            client().publish(FENCE, 0, utf8(""));
            Await.until("fence received", () -> fences() > fences);
            assertEquals("nothing more than " + wanted, wanted, sortedWithoutFences());
        }

        private synchronized List<String> sortedWithoutFences() {
            List<String> sorted = new ArrayList<>(topics);
            sorted.removeIf(FENCE::equals);
            sorted.sort(null);
            return sorted;
        }

        private synchronized int fences() {
            return (int) topics.stream().filter(FENCE::equals).count();
        }
    }
}
