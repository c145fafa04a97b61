package io.msf.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * The codecs built ahead wait in a bounded queue: a program that makes proxies faster than their
 * codecs are built (one per request, say) does not queue builds without end; the codec of one left
 * out is built by its first call.
 */
class CodecBuildsAheadTest {

    private static final CountDownLatch BUILDER_FREE = new CountDownLatch(1);
    private static final CountDownLatch BUILDER_BUSY = new CountDownLatch(1);

    @Test
    void buildsWaitingAreBoundedAndOneLeftOutIsBuiltByItsFirstCall() throws Exception {
        try {
            RpcInterface.of(Busy.class);
            BUILDER_BUSY.await();

            RpcInterface last = null;
            for (int i = 0; i < 10 * RpcInterface.MOST_BUILDS_WAITING; i++) {
                last = RpcInterface.of(Plain.class);
            }

            assertThat(RpcInterface.buildsWaiting()).isEqualTo(RpcInterface.MOST_BUILDS_WAITING);
            assertThat(last.codec()).as("built by the call that needs it").isNotNull();
        } finally {
            BUILDER_FREE.countDown();
        }
        await().until(() -> RpcInterface.buildsWaiting() == 0);
    }

    /** An interface of no interest but its codec. */
    public interface Plain {
        String echo(String text);
    }

    /** An interface whose codec holds the builder until the test lets it go. */
    public interface Busy {
        String read(Held value);
    }

    /** Its serializer waits as it is made. */
    @JsonSerialize(using = HoldingWriter.class)
    public record Held() {
    }

    /** Jackson's: made while the builder is held. */
    public static final class HoldingWriter extends StdSerializer<Held> {
        public HoldingWriter() throws InterruptedException {
            super(Held.class);
            BUILDER_BUSY.countDown();
            BUILDER_FREE.await();
        }

        @Override
        public void serialize(Held value, JsonGenerator out, SerializerProvider provider) {
        }
    }
}
