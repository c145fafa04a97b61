package io.msf.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Loops and closures run through the console socket, as {@code bin/msf exec} runs them, and in a session like
 * bin/msf run's local console, with Gogo JLine's {@code while} and {@code each}. Gogo keeps every round's job
 * until the command line ends: an endless loop ran the container out of heap within seconds (and the
 * container ended). The rounds are freed as they end, so a loop of many more rounds than msf.console's
 * maxNestedCommands runs whole; a closure calling itself, each level under way, is stopped at it, saying so,
 * and the console and container go on.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConsoleLoopIT extends MsfTestSupport {

    @Inject
    private CommandProcessor processor;

    @Configuration
    public Option[] configuration() throws IOException {
        return OptionUtils.combine(super.configuration(),
                // the bundles' commands without the interactive console, as bin/msf start has them
                frameworkProperty("gosh.args").value("--nointeractive"),
                mavenBundle("org.jline", "jline").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.gogo.jline").versionAsInProject());
    }

    @Test(timeout = 60_000)
    public void aLoopRunsWholeAndAClosureCallingItselfIsStoppedAtTheBound() throws Exception {
        // five times the bound in rounds: each is freed as it ends, and counts no longer
        Exec loop = exec("each [" + "x ".repeat(5000) + "] { true } ; echo alive");
        assertEquals(loop.message, 0, loop.exitCode);
        assertTrue(loop.out, loop.out.endsWith("alive\n"));

        Exec recursion = exec("f = { f } ; f");

        assertEquals(recursion.message, 1, recursion.exitCode);
        assertTrue(recursion.message, recursion.message.startsWith("command line stopped: the console's command"
                + " lines have 1000 nested commands under way")
                && recursion.message.contains("msf.console maxNestedCommands"));
        assertEquals("alive\n", exec("echo alive").out);
    }

    /** The console of bin/msf run (Gogo JLine's session, with its line reader) frees and bounds them too. */
    @Test(timeout = 60_000)
    public void theLocalConsoleFreesTheRoundsOfALoopAndStopsAClosureCallingItselfToo() throws Exception {
        assertTrue(localConsoleOutput(processor, "each [" + "x ".repeat(5000) + "] { true } ; echo alive")
                .endsWith("alive\n"));
        try {
            localConsoleOutput(processor, "f = { f } ; f");
            fail("the closure calling itself ended by itself");
        } catch (IllegalStateException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("command line stopped: the console's command lines"
                    + " have 1000 nested commands under way"));
        }
    }

    /** One EXEC on a connection of its own: the STATUS's exit code and message, and the OUT frames' text. */
    private Exec exec(String line) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(dataDir().resolve("msf.sock")));
            assertEquals("greeting", 'H', (char) read(channel).type);
            byte[] payload = line.getBytes(StandardCharsets.UTF_8);
            ByteBuffer frame = ByteBuffer.allocate(5 + payload.length).put((byte) 'X').putInt(payload.length)
                    .put(payload).flip();
            while (frame.hasRemaining()) {
                channel.write(frame);
            }
            StringBuilder out = new StringBuilder();
            for (Frame answer = read(channel); ; answer = read(channel)) {
                if (answer.type == 'O') {
                    out.append(new String(answer.payload, StandardCharsets.UTF_8));
                } else if (answer.type == 'S') {
                    return new Exec(answer.payload[0], new String(answer.payload, 1, answer.payload.length - 1,
                            StandardCharsets.UTF_8), out.toString());
                }
            }
        }
    }

    private static Frame read(SocketChannel channel) throws IOException {
        ByteBuffer header = readFully(channel, 5);
        byte type = header.get();
        return new Frame(type, readFully(channel, header.getInt()).array());
    }

    private static ByteBuffer readFully(SocketChannel channel, int bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(bytes);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new IOException("the console closed the connection");
            }
        }
        return buffer.flip();
    }

    private record Frame(byte type, byte[] payload) {
    }

    private record Exec(int exitCode, String message, String out) {
    }
}
