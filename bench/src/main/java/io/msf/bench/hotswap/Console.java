package io.msf.bench.hotswap;

import io.msf.shell.protocol.ConsoleProtocol;
import io.msf.shell.protocol.Frame;
import io.msf.shell.protocol.FrameReader;
import io.msf.shell.protocol.FrameType;
import io.msf.shell.protocol.FrameWriter;
import io.msf.shell.protocol.Hello;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * One session on the container's console socket ({@code data/msf.sock}), speaking the protocol of
 * {@code bin/msf exec} ({@code io.msf.shell.protocol}) but kept open: a swap is timed from the
 * EXEC frame to the STATUS frame, without the start-up of a client JVM per command.
 */
final class Console implements AutoCloseable {

    /** What a command printed and how it ended. */
    record Result(int exitCode, String output, String failure, long nanos) {
        boolean ok() {
            return exitCode == ConsoleProtocol.STATUS_OK;
        }

        @Override
        public String toString() {
            return ok() ? output.strip() : "exit " + exitCode + ": " + failure + " " + output.strip();
        }
    }

    private final SocketChannel channel;
    private final FrameReader reader;
    private final FrameWriter writer;

    Console(Path socket) throws IOException {
        channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        reader = FrameReader.ofServerFrames(channel);
        Frame first = reader.read();
        if (first == null || first.type() != FrameType.HELLO) {
            throw new IOException("no console HELLO on " + socket + ": " + first);
        }
        writer = FrameWriter.ofClientFrames(channel, Hello.from(first).maxLineBytes());
    }

    /** Runs one Gogo command and waits for its end. */
    Result exec(String command) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long start = System.nanoTime();
        writer.write(Frame.text(FrameType.EXEC, command));
        while (true) {
            Frame frame = reader.read();
            if (frame == null) {
                throw new IOException("the console closed the connection during '" + command + "'");
            }
            switch (frame.type()) {
                case OUT, ERR -> out.write(frame.payload());
                case STATUS -> {
                    return new Result(frame.exitCode(), out.toString(StandardCharsets.UTF_8), frame.statusMessage(),
                            System.nanoTime() - start);
                }
                default -> throw new IOException("unexpected " + frame + " during '" + command + "'");
            }
        }
    }

    /** Runs a command that must succeed. */
    Result require(String command) throws IOException {
        Result result = exec(command);
        if (!result.ok()) {
            throw new IOException("'" + command + "' failed: " + result);
        }
        return result;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
