package io.msf.shell.internal.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.msf.shell.protocol.ConsoleProtocol;
import io.msf.shell.protocol.Frame;
import io.msf.shell.protocol.FrameReader;
import io.msf.shell.protocol.FrameType;
import io.msf.shell.protocol.FrameWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameOutputStreamTest {

    private final ByteArrayOutputStream wire = new ByteArrayOutputStream();
    private final FrameOutputStream out =
            new FrameOutputStream(FrameWriter.ofServerFrames(Channels.newChannel(wire)), FrameType.ERR);

    @Test
    void nothingIsSentBeforeFlush() throws IOException {
        out.write('a');
        out.write(new byte[] {'b', 'c'}, 0, 2);

        assertThat(wire.size()).isZero();
        out.flush();
        assertThat(frames()).extracting(Frame::text).containsExactly("abc");
    }

    @Test
    void flushWithNothingBufferedSendsNothing() throws IOException {
        out.flush();

        assertThat(wire.size()).isZero();
    }

    @Test
    void longOutputIsCutIntoFullChunks() throws IOException {
        int chunk = ConsoleProtocol.OUTPUT_CHUNK_BYTES;
        out.write(new byte[2 * chunk + 100], 0, 2 * chunk + 100);
        out.close();

        List<Frame> frames = frames();
        assertThat(frames).extracting(Frame::type).containsOnly(FrameType.ERR);
        assertThat(frames).extracting(f -> f.payload().length).containsExactly(chunk, chunk, 100);
    }

    @Test
    void writesRespectOffsetAndLength() throws IOException {
        out.write("xxhelloxx".getBytes(), 2, 5);
        out.flush();

        assertThat(frames()).extracting(Frame::text).containsExactly("hello");
    }

    private List<Frame> frames() throws IOException {
        FrameReader reader =
                FrameReader.ofServerFrames(Channels.newChannel(new ByteArrayInputStream(wire.toByteArray())));
        List<Frame> frames = new ArrayList<>();
        for (Frame frame = reader.read(); frame != null; frame = reader.read()) {
            frames.add(frame);
        }
        return frames;
    }
}
