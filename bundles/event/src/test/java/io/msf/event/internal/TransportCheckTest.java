package io.msf.event.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.event.api.Transport;
import io.netty.channel.epoll.Epoll;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gate's check of transport takes what the loops take ({@link TransportChoice#select}), in any case. */
class TransportCheckTest {

    private final TransportCheck check = new TransportCheck();

    @Test
    void takesTheWordsTheLoopsTakeInAnyCase() {
        assertThat(check.apply("msf.event", Map.of("transport", "NIO"))).isEmpty();
        assertThat(check.apply("msf.event", Map.of("transport", "Auto"))).isEmpty();
        assertThat(TransportChoice.select("NIO")).isEqualTo(Transport.NIO);
    }

    @Test
    void refusesWhatTheLoopsRefuseWithTheirReason() {
        assertThat(check.apply("msf.event", Map.of("transport", "fast")))
                .containsExactly(Map.entry("transport", "'fast' is not one of auto, epoll, nio"));
    }

    /** epoll where it does not load: the loops refuse it, so does the gate, with the same reason. */
    @Test
    void epollAsTheLoopsWouldTakeItOnThisMachine() {
        Map<String, String> problems = check.apply("msf.event", Map.of("transport", "EPOLL"));
        if (Epoll.isAvailable()) {
            assertThat(problems).isEmpty();
        } else {
            assertThat(problems).containsOnlyKeys("transport");
            assertThat(problems.get("transport")).startsWith("epoll is not available on this machine");
        }
    }

    @Test
    void leavesOtherKeysAndTypesToMetatype() {
        assertThat(check.apply("msf.event", Map.of("ioThreads", "2", "transport", 3))).isEmpty();
    }
}
