package io.msf.agent.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.agent.api.PeerKind;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.protocol.api.Protocol;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DirectoryTest {

    private static final class Dummy extends Peer {
        Dummy(int id, String name) {
            super(id, name, PeerKind.TCP, "test", null);
        }

        @Override
        void deliver(Message message) {
            message.release();
        }

        @Override
        void error(ErrorCode code, int command, long sequence, String detail) {
        }
    }

    @Test
    void findsEveryIdAndNameAndNothingElse() {
        Map<Integer, Peer> ids = new HashMap<>();
        Map<String, Peer> names = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            int id = i % 2 == 0 ? i + 1 : Protocol.FIRST_ASSIGNED_ID + i;
            Dummy peer = new Dummy(id, "p" + i);
            ids.put(id, peer);
            names.put(peer.name(), peer);
        }

        Directory directory = new Directory(ids, names);

        ids.forEach((id, peer) -> assertThat(directory.byId(id)).isSameAs(peer));
        names.forEach((name, peer) -> assertThat(directory.byName(name)).isSameAs(peer));
        assertThat(directory.byId(0)).isNull();
        assertThat(directory.byId(-1)).isNull();
        assertThat(directory.byId(2)).isNull();
        assertThat(directory.byName("p1000")).isNull();
        assertThat(Directory.EMPTY.byId(1)).isNull();
    }
}
