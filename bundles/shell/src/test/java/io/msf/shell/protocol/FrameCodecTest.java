package io.msf.shell.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.Pipe;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FrameCodecTest {

    private final ByteArrayOutputStream wire = new ByteArrayOutputStream();

    @Test
    void textFrameIsTypeLengthPayload() throws IOException {
        FrameWriter.ofClientFrames(Channels.newChannel(wire), 64).write(Frame.text(FrameType.EXEC, "lb"));

        assertThat(wire.toByteArray()).containsExactly('X', 0, 0, 0, 2, 'l', 'b');
    }

    @Test
    void framesRoundTripInOrder() throws IOException {
        FrameWriter writer = FrameWriter.ofServerFrames(Channels.newChannel(wire));
        writer.write(new Hello(ConsoleProtocol.VERSION, 4096).toFrame());
        writer.write(Frame.text(FrameType.OUT, "héllo\n"));
        writer.write(Frame.status(1, "Command not found: nope"));
        writer.write(Frame.text(FrameType.PROMPT, "msf> "));

        FrameReader reader = FrameReader.ofServerFrames(input(wire.toByteArray()));
        assertThat(Hello.from(reader.read())).isEqualTo(new Hello("msf-console/1", 4096));
        Frame out = reader.read();
        assertThat(out.type()).isEqualTo(FrameType.OUT);
        assertThat(out.text()).isEqualTo("héllo\n");
        Frame status = reader.read();
        assertThat(status.exitCode()).isEqualTo(1);
        assertThat(status.statusMessage()).isEqualTo("Command not found: nope");
        assertThat(reader.read().text()).isEqualTo("msf> ");
        assertThat(reader.read()).as("clean end between frames").isNull();
    }

    /**
     * The last frame and the close are one step under the writer's lock: output another thread is waiting to
     * write meanwhile (a command's, while the reader thread tells a bad frame) fails, and never follows the FAIL.
     */
    @Test
    void nothingFollowsTheLastFrame() throws Exception {
        HeldChannel channel = new HeldChannel();
        FrameWriter writer = FrameWriter.ofServerFrames(channel);
        Thread failing = new Thread(() -> {
            try {
                writer.writeLastAndClose(Frame.fail("bad frame"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        BlockingQueue<Throwable> outputFailed = new LinkedBlockingQueue<>();
        Thread output = new Thread(() -> {
            try {
                writer.write(Frame.text(FrameType.OUT, "late output\n"));
            } catch (IOException | RuntimeException e) {
                outputFailed.add(e);
            }
        });
        channel.contender = output;
        failing.start();
        await().atMost(5, TimeUnit.SECONDS).until(() -> writer.frameUnwrittenFor(Duration.ZERO));
        output.start();
        await().atMost(5, TimeUnit.SECONDS).until(() -> output.getState() == Thread.State.BLOCKED);

        channel.release.countDown();
        failing.join(5000);
        output.join(5000);

        FrameReader reader = FrameReader.ofServerFrames(input(channel.wire.toByteArray()));
        assertThat(reader.read().type()).isEqualTo(FrameType.FAIL);
        assertThat(reader.read()).as("nothing after the FAIL").isNull();
        assertThat(outputFailed.poll(5, TimeUnit.SECONDS)).isInstanceOf(ClosedChannelException.class);
    }

    /**
     * A channel whose writes wait until {@link #release}d: a peer that has not read yet. Its close gives the
     * {@link #contender} for the writer's lock the time to write, if the lock lets it, before it closes.
     */
    private static final class HeldChannel implements WritableByteChannel {

        final ByteArrayOutputStream wire = new ByteArrayOutputStream();
        final CountDownLatch release = new CountDownLatch(1);
        volatile Thread contender;
        private volatile boolean open = true;

        @Override
        public int write(ByteBuffer source) throws IOException {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            if (!open) {
                throw new ClosedChannelException();
            }
            int length = source.remaining();
            byte[] bytes = new byte[length];
            source.get(bytes);
            wire.write(bytes, 0, length);
            return length;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
            while (contender.getState() == Thread.State.BLOCKED && System.nanoTime() < until) {
                Thread.onSpinWait(); // a wait for what must not happen: it stays blocked while the lock is held
            }
            open = false;
        }
    }

    @Test
    void aWatcherSeesAFrameThatStoppedArrivingButNotSilenceBetweenFrames() throws Exception {
        Pipe pipe = Pipe.open();
        FrameReader reader = FrameReader.ofClientFrames(pipe.source(), 16);
        BlockingQueue<Frame> read = new LinkedBlockingQueue<>();
        Thread reading = new Thread(() -> {
            try {
                for (Frame frame = reader.read(); frame != null; frame = reader.read()) {
                    read.add(frame);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        reading.start();
        Duration limit = Duration.ofMillis(50);

        Thread.sleep(150);
        assertThat(reader.frameIncompleteFor(limit)).as("silent before the first frame").isFalse();
        pipe.sink().write(ByteBuffer.wrap(new byte[] {'X', 0, 0}));
        // true once the reading thread has taken the first byte and the limit has passed since: that
        // thread may run late on a loaded machine, so this is waited for rather than slept
        await("stopped inside the header").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                .until(() -> reader.frameIncompleteFor(limit));
        assertThat(reader.frameIncompleteFor(Duration.ofSeconds(10))).as("not for 10 s yet").isFalse();
        pipe.sink().write(ByteBuffer.wrap(new byte[] {0, 2, 'l'}));
        Thread.sleep(150);
        assertThat(reader.frameIncompleteFor(limit)).as("stopped inside the payload").isTrue();
        pipe.sink().write(ByteBuffer.wrap(new byte[] {'b'}));
        assertThat(read.poll(5, TimeUnit.SECONDS).text()).isEqualTo("lb");
        Thread.sleep(150);
        assertThat(reader.frameIncompleteFor(limit)).as("silent after a whole frame").isFalse();

        pipe.sink().close();
        reading.join(5000);
    }

    @Test
    void successfulStatusHasAnEmptyMessage() throws IOException {
        Frame status = Frame.status(0, "");

        assertThat(status.exitCode()).isZero();
        assertThat(status.statusMessage()).isEmpty();
        assertThat(status.payload()).containsExactly(0);
    }

    @Test
    void emptyPayloadIsAllowed() throws IOException {
        Frame frame = FrameReader.ofClientFrames(input(new byte[] {'L', 0, 0, 0, 0}), 16).read();

        assertThat(frame.type()).isEqualTo(FrameType.LINE);
        assertThat(frame.text()).isEmpty();
    }

    @Test
    void lengthAtTheLimitIsRead() throws IOException {
        byte[] frame = frame('X', 16, new byte[16]);

        assertThat(FrameReader.ofClientFrames(input(frame), 16).read().payload()).hasSize(16);
    }

    @Test
    void lengthOverTheLimitIsRefusedBeforeReadingThePayload() {
        byte[] header = frame('X', 17, new byte[0]);

        assertThatThrownBy(() -> FrameReader.ofClientFrames(input(header), 16).read())
                .isInstanceOf(ProtocolException.class)
                .hasMessage("EXEC frame of 17 bytes is over the limit of 16 bytes");
    }

    @Test
    void hugeLengthFieldIsReadUnsigned() {
        byte[] header = {'L', (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};

        assertThatThrownBy(() -> FrameReader.ofClientFrames(input(header), 65536).read())
                .isInstanceOf(ProtocolException.class)
                .hasMessage("LINE frame of 4294967295 bytes is over the limit of 65536 bytes");
    }

    @Test
    void unknownTypeIsRefused() {
        assertThatThrownBy(() -> FrameReader.ofClientFrames(input(frame('Z', 0, new byte[0])), 16).read())
                .isInstanceOf(ProtocolException.class).hasMessage("unknown frame type 0x5a");
    }

    @Test
    void serverFramesFromAClientAreRefused() {
        assertThatThrownBy(() -> FrameReader.ofClientFrames(input(frame('O', 1, new byte[] {'x'})), 16).read())
                .isInstanceOf(ProtocolException.class)
                .hasMessage("OUT frames are sent by the server, not by the client");
    }

    @Test
    void clientFramesFromAServerAreRefused() {
        assertThatThrownBy(() -> FrameReader.ofServerFrames(input(frame('X', 1, new byte[] {'x'}))).read())
                .isInstanceOf(ProtocolException.class)
                .hasMessage("EXEC frames are sent by the client, not by the server");
    }

    @Test
    void serverFrameOverItsLimitIsRefused() {
        byte[] header = frame('O', ConsoleProtocol.MAX_SERVER_FRAME_BYTES + 1, new byte[0]);

        assertThatThrownBy(() -> FrameReader.ofServerFrames(input(header)).read())
                .isInstanceOf(ProtocolException.class).hasMessageContaining("over the limit of 65536 bytes");
    }

    @Test
    void endInsideTheHeaderIsAnError() {
        assertThatThrownBy(() -> FrameReader.ofClientFrames(input(new byte[] {'X', 0, 0}), 16).read())
                .isInstanceOf(ProtocolException.class).hasMessage("connection closed inside a frame");
    }

    @Test
    void endInsideThePayloadIsAnError() {
        byte[] truncated = {'X', 0, 0, 0, 5, 'a', 'b'};

        assertThatThrownBy(() -> FrameReader.ofClientFrames(input(truncated), 16).read())
                .isInstanceOf(ProtocolException.class).hasMessage("connection closed inside a frame");
    }

    @Test
    void textThatIsNotUtf8IsRefused() throws IOException {
        Frame frame = FrameReader.ofClientFrames(input(frame('X', 2, new byte[] {(byte) 0xc3, (byte) 0x28})), 16)
                .read();

        assertThatThrownBy(frame::text).isInstanceOf(ProtocolException.class)
                .hasMessage("EXEC frame payload is not valid UTF-8");
    }

    @Test
    void writerRefusesAFrameOverItsLimit() {
        FrameWriter writer = FrameWriter.ofClientFrames(Channels.newChannel(wire), 4);

        assertThat(writer.fits(4)).isTrue();
        assertThat(writer.fits(5)).isFalse();
        assertThatThrownBy(() -> writer.write(Frame.text(FrameType.EXEC, "12345")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(wire.size()).as("nothing written").isZero();
    }

    @Test
    void longMessagesAreCutToStayWithinAFrame() throws IOException {
        String reason = "x".repeat(100_000);

        assertThat(Frame.fail(reason).text()).hasSize(ConsoleProtocol.MAX_MESSAGE_CHARS).endsWith("...");
        assertThat(Frame.status(1, reason).statusMessage()).hasSize(ConsoleProtocol.MAX_MESSAGE_CHARS);
    }

    @Test
    void statusOfOtherFramesIsAnError() {
        assertThatThrownBy(() -> Frame.text(FrameType.OUT, "x").exitCode()).isInstanceOf(ProtocolException.class);
    }

    @Test
    void malformedHelloIsRefused() {
        assertThatThrownBy(() -> Hello.from(Frame.text(FrameType.HELLO, "ssh-2.0")))
                .isInstanceOf(ProtocolException.class).hasMessage("malformed HELLO 'ssh-2.0'");
        assertThatThrownBy(() -> Hello.from(Frame.text(FrameType.HELLO, "msf-console/1 maxLineBytes=0")))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("out of range");
        assertThatThrownBy(() -> Hello.from(Frame.text(FrameType.OUT, "msf-console/1 maxLineBytes=5")))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("expected HELLO");
    }

    private static byte[] frame(char type, int length, byte[] payload) {
        return ByteBuffer.allocate(5 + payload.length).put((byte) type).putInt(length).put(payload).array();
    }

    private static ReadableByteChannel input(byte[] bytes) {
        return Channels.newChannel(new ByteArrayInputStream(bytes));
    }
}
