package io.msf.agent.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.startsWith;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import io.msf.protocol.api.MessageType;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A bundle that publishes frames too large for a subscriber on every publication has nobody to be
 * told but the log: the first is logged, then one line a minute with the count, not one per
 * publication.
 */
class LocalPublisherTooLargeTest {

    private static final String WHO = "agent client of bundle test.feed 1.0.0";

    @RegisterExtension
    final QuietAgent agent = QuietAgent.start();
    private LocalClient publisher;

    @AfterEach
    void stop() {
        publisher.close();
    }

    @Test
    void theFirstTooLargePublicationIsLoggedAndTheNextOnesOnceAnIntervalWithTheirCount() throws Exception {
        TestPeer small = agent.connect();
        assertThat(small.hello(1, "small", false, null, 1024).type()).isEqualTo(MessageType.HELLO);
        small.subscribed("big.>");
        publisher = agent.broker.openClient("bundle test.feed 1.0.0", UnpooledByteBufAllocator.DEFAULT);

        for (int i = 0; i < 20; i++) {
            publisher.publish("big.news", 7, Unpooled.wrappedBuffer(new byte[2000]));
        }

        verify(agent.log, times(1)).warn(contains("the next ones are counted"), eq(WHO),
                startsWith("TOO_LARGE a frame of"));
        verify(agent.log, never()).warn(contains("more in the last minute"), any(Object[].class));
        assertThat(publisher.info().errors()).isEqualTo(20);

        publisher.errors.intervalEnded();

        verify(agent.log, times(1)).warn(contains("more in the last minute"), eq(WHO), eq(19L),
                contains("over the limit of 1 subscriber(s): 'small' (#1) with 1024 bytes"));
        small.assertNothingElse();
    }
}
