package io.msf.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.msf.client.api.AgentException;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Message;
import io.msf.rpc.api.Rpc;
import io.msf.rpc.api.RpcHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The calls waiting for a handler's executor hold their decoded arguments: bounded by their size, not
 * only by how many the executor's queue takes, and let go once their callers are answered.
 */
class WaitingArgumentsTest {

    /** The tasks of a busy executor: queued, never run. */
    private final List<Runnable> queued = new CopyOnWriteArrayList<>();
    private final Executor busy = queued::add;
    private final RpcHandler handler = Rpc.handler(Store.class, text -> text.text().length(), Duration.ofSeconds(60),
            busy);

    /** The decoded arguments of the calls made: to see whether anything still holds them. */
    private static final List<WeakReference<Text>> DECODED = new CopyOnWriteArrayList<>();

    /** A text that notes each one decoded. */
    public record Text(String text) {
        public Text {
            DECODED.add(new WeakReference<>(this));
        }
    }

    /** A method taking a large argument. */
    public interface Store {
        int length(Text text);
    }

    @AfterEach
    void close() {
        handler.close();
        DECODED.clear();
    }

    /** Before, all 100 calls were queued, holding 100 MiB of text: as many as the executor's queue took. */
    @Test
    void callsPastTheBoundOfWaitingArgumentsAreRefusedWithOverloaded() {
        byte[] mebibyte = textOf((1 << 20) - 64);
        int admitted = 0;
        AgentException refused = null;
        for (int i = 0; i < 100 && refused == null; i++) {
            try {
                call(mebibyte, 60_000);
                admitted++;
            } catch (AgentException e) {
                refused = e;
            }
        }

        assertThat(admitted).isEqualTo(31); // 32 MiB, and a little more for each call's tokens
        assertThat(refused).isNotNull();
        assertThat(refused.code()).isEqualTo(ErrorCode.OVERLOADED);
        assertThat(refused).hasMessageStartingWith("OVERLOADED: Store.length(Text) not called: ")
                .hasMessageContaining("the calls waiting for its executor hold 31.0 MiB of arguments")
                .hasMessageContaining("past the most a handler keeps waiting (32.0 MiB)");
        assertThat(queued).hasSize(31);
    }

    /** Before, its task, waiting for a thread that never came, held its arguments for as long. */
    @Test
    void aWaitingCallWhoseCallerGotTimeoutLetsGoOfItsArguments() {
        CompletableFuture<ByteBuf> reply = call(textOf(1000), 100);

        assertThatThrownBy(() -> reply.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(AgentException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT));
        assertThat(queued).hasSize(1);
        assertThat(DECODED).hasSize(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            System.gc();
            return DECODED.get(0).get() == null;
        });

        queued.get(0).run(); // the thread comes to it at last: not made, and nothing to give back twice
        assertThat(reply).isCompletedExceptionally();
    }

    @Test
    void theRoomOfWaitingCallsAnsweredIsGivenBack() {
        byte[] mebibyte = textOf((1 << 20) - 64);
        List<CompletableFuture<ByteBuf>> impatient = new ArrayList<>();
        for (int i = 0; i < 31; i++) {
            CompletableFuture<ByteBuf> reply = call(mebibyte, i < 16 ? 1000 : 60_000);
            if (i < 16) {
                impatient.add(reply);
            }
        }
        assertThatThrownBy(() -> call(mebibyte, 60_000)).isInstanceOfSatisfying(AgentException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.OVERLOADED));

        // the first 16 get TIMEOUT: as many more fit again, and no more
        for (int i = 0; i < 16; i++) {
            await().atMost(Duration.ofSeconds(10)).ignoreException(AgentException.class)
                    .until(() -> call(mebibyte, 60_000) != null);
        }
        assertThat(impatient).allMatch(CompletableFuture::isCompletedExceptionally);
        assertThatThrownBy(() -> call(mebibyte, 60_000)).isInstanceOfSatisfying(AgentException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.OVERLOADED));
    }

    /** A bound it could never pass would answer a call larger than it OVERLOADED for ever. */
    @Test
    void aCallLargerThanTheBoundWaitsWhenNoOtherDoes() {
        WaitingArguments waiting = new WaitingArguments();

        WaitingArguments.Call large = waiting.admit(new Object[0], WaitingArguments.MAX_BYTES + 1);

        assertThat(large).isNotNull();
        assertThat(waiting.admit(new Object[0], 1)).isNull();
        large.drop();
        assertThat(waiting.bytes()).isZero();
        assertThat(waiting.admit(new Object[0], 1)).isNotNull();
    }

    private CompletableFuture<ByteBuf> call(byte[] payload, int timeoutMillis) {
        int command = Rpc.command(Store.class, Store.class.getMethods()[0]);
        Message request = Message.request("test.store", command, 1, timeoutMillis, Unpooled.wrappedBuffer(payload));
        try {
            return handler.handle(request).toCompletableFuture();
        } catch (AgentException refused) {
            throw refused;
        } catch (Exception e) { // handle declares it; this handler throws only AgentException
            throw new AssertionError(e);
        }
    }

    /** {@code [{"text": "xxx..."}]}, the text {@code length} bytes long. */
    private static byte[] textOf(int length) {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        payload.write(0x81);
        payload.write(0xa1); // a map of one entry
        payload.write(0x64); // a text of 4 bytes: the key
        payload.writeBytes("text".getBytes());
        payload.write(0x7a); // a text whose length takes 4 bytes
        payload.write(length >>> 24);
        payload.write(length >>> 16);
        payload.write(length >>> 8);
        payload.write(length);
        for (int i = 0; i < length; i++) {
            payload.write('x');
        }
        return payload.toByteArray();
    }
}
