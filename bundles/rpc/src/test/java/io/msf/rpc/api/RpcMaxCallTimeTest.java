package io.msf.rpc.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import io.msf.protocol.api.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * A handler's longest call time is counted in milliseconds by the guard of every call that has no
 * timeout of its own: one too long to count is refused when the handler is made, not by each such call.
 */
class RpcMaxCallTimeTest {

    private static final CBORMapper CBOR = new CBORMapper();

    /** Answers later. */
    public interface Later {
        CompletionStage<String> answer();
    }

    @Test
    void aMaxCallTimeBeyondWhatMillisecondsCountIsRefused() {
        Later later = CompletableFuture::new;

        assertThatThrownBy(() -> Rpc.handler(Later.class, later, ChronoUnit.FOREVER.getDuration()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxCallTime " + ChronoUnit.FOREVER.getDuration())
                .hasMessageContaining("longer than the longest a call can be given (" + Long.MAX_VALUE + " ms)");
        assertThatThrownBy(() -> Rpc.handler(Later.class, later, Duration.ofSeconds(Long.MAX_VALUE), null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theLongestMaxCallTimeGuardsACallWithoutATimeout() throws Exception {
        CompletableFuture<String> answer = new CompletableFuture<>();
        RpcHandler handler = Rpc.handler(Later.class, () -> answer, Duration.ofMillis(Long.MAX_VALUE));
        Message request = Message.request("test.later", Rpc.command(Later.class.getMethod("answer")), 1, 0,
                Unpooled.wrappedBuffer(CBOR.writeValueAsBytes(List.of()))).withSource(TestAgents.CALLER_ID);

        CompletableFuture<ByteBuf> reply = handler.handle(request).toCompletableFuture();
        answer.complete("done");

        ByteBuf payload = reply.join();
        assertThat(CBOR.readTree(io.netty.buffer.ByteBufUtil.getBytes(payload)).get(1).asText()).isEqualTo("done");
        payload.release();
        request.release();
        handler.close();
    }
}
