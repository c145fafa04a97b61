package io.msf.upnp.internal;

import io.msf.client.api.Address;
import io.msf.client.api.AgentClient;
import io.msf.client.api.MessageHandler;
import io.msf.dlna.api.Dlna;
import io.msf.dlna.api.MediaLibrary;
import io.msf.dlna.api.Track;
import io.msf.protocol.api.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** dlna as upnp expects it (see {@link Dlna}), with a switch to leave SETs unanswered. */
final class FakeDlna implements MessageHandler {

    /** The library behind dlna.library in these tests. */
    static class TwoTracks implements MediaLibrary {
        static final List<Track> TRACKS = List.of(new Track(1, "So What", "Miles Davis", 562),
                new Track(2, "Giant Steps", "John Coltrane", 286));

        @Override
        public List<Track> tracks() {
            return TRACKS;
        }

        @Override
        public CompletionStage<Track> track(int number) {
            return CompletableFuture.completedFuture(TRACKS.get(number - 1));
        }
    }

    private final AgentClient client;
    private volatile String state = Dlna.INITIAL_STATE;
    private volatile boolean answerSets = true;
    private volatile String setByAnotherPeer;
    private volatile String getThread;

    FakeDlna(AgentClient client) {
        this.client = client;
    }

    String state() {
        return state;
    }

    /** The thread the last GET came on (the test agent delivers on the caller's). */
    String getThread() {
        return getThread;
    }

    void answerSets(boolean answer) {
        answerSets = answer;
    }

    /** Another peer's SET, made right after each of upnp's, before its GET (null: none). */
    void setByAnotherPeerAfterEachSet(String state) {
        setByAnotherPeer = state;
    }

    @Override
    public CompletionStage<ByteBuf> handle(Message message) {
        if (message.command() == Dlna.GET) {
            getThread = Thread.currentThread().getName();
            return CompletableFuture.completedFuture(ByteBufUtil.writeUtf8(client.alloc(), state));
        }
        if (!answerSets) {
            return new CompletableFuture<>();
        }
        if (message.payload().readableBytes() > Dlna.MAX_STATE_BYTES) { // refused as dlna refuses it
            throw new IllegalArgumentException("a state is 1 to " + Dlna.MAX_STATE_BYTES + " bytes");
        }
        String previous = state;
        state = message.payload().toString(StandardCharsets.UTF_8);
        if (!previous.equals(state)) {
            client.notify(Address.name("upnp"), Dlna.STATE_CHANGED, ByteBufUtil.writeUtf8(client.alloc(), state));
            client.publish(Dlna.STATE_TOPIC, Dlna.STATE_CHANGED, ByteBufUtil.writeUtf8(client.alloc(), state));
        }
        if (setByAnotherPeer != null) {
            state = setByAnotherPeer;
        }
        return CompletableFuture.completedFuture(ByteBufUtil.writeUtf8(client.alloc(), previous));
    }
}
