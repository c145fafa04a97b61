package io.msf.itests.agent;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.msf.agent.api.Agent;
import io.msf.agent.api.PeerKind;
import io.msf.client.api.Address;
import io.msf.client.api.AgentClient;
import io.msf.itests.Await;
import io.msf.itests.external.ExternalClient;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * A program in another JVM, with only the client jar, the protocol jar and Netty on its class
 * path, talks to a handler in the container over the agent's Unix domain socket, and the handler
 * calls it back while answering. The example of docs/agent.md compiles and works as the page says.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ExternalClientIT extends AgentTestSupport {

    private static final String TARGET = "itest.external.target";

    @Test
    public void programInAnotherJvmCallsAContainerHandlerThatCallsItBack() throws Exception {
        Agent agent = agent();
        AgentClient client = client();
        BlockingQueue<String> callers = new LinkedBlockingQueue<>();
        offer(TARGET, null, request -> {
            callers.add(agent.peers().stream().filter(p -> p.id() == request.source()).findFirst()
                    .map(p -> p.kind() + " " + p.name()).orElse("unknown #" + Integer.toUnsignedString(request.source())));
            String text = text(request.payload());
            return client.requestAsync(Address.name(ExternalClient.NAME), 1, utf8("call-back"), PATIENT)
                    .thenApply(answer -> utf8("container got '" + text + "' and heard '" + textOf(answer) + "'"));
        });

        String out = run(dataDir().getParent(), "external-client", "java", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + dataDir().getParent(), "-cp", externalClasspath(),
                ExternalClient.class.getName(), dataDir().toString(), TARGET, "hello from outside");

        assertTrue("the reply printed; output:\n" + out, out.lines().anyMatch(
                "reply: container got 'hello from outside' and heard 'itest.external answers call-back'"::equals));
        assertEquals("the caller as the agent saw it", PeerKind.UNIX + " " + ExternalClient.NAME, next(callers));
        Await.until(ExternalClient.NAME + " gone once its process ended", () -> peer(ExternalClient.NAME).isEmpty());
    }

    /**
     * The page's code block in a class of its own, compiled and run with the jars the page names
     * (the client's, the protocol's, Netty's), in a folder where the data dir it names, relative,
     * is the container's.
     */
    @Test
    public void theExampleOfTheDocsCompilesAndPrintsTheReply() throws Exception {
        offer("dlna", null, request -> CompletableFuture.completedFuture(
                utf8("dlna's answer to command " + request.command())));
        DocsExample example = DocsExample.read();
        Path folder = Files.createDirectories(dataDir().resolveSibling("docs-example"));
        Path dataLink = folder.resolve(example.dataDir());
        Files.createDirectories(dataLink.getParent());
        Files.deleteIfExists(dataLink);
        Files.createSymbolicLink(dataLink, dataDir());
        // the external class path without its first entry, this module's test classes
        String jars = externalClasspath().substring(externalClasspath().indexOf(File.pathSeparatorChar) + 1);

        run(folder, "javac", "javac", "-Xlint:all", "-Werror", "-cp", jars, "-d", folder.toString(),
                example.writeInto(folder).toString());
        String out = run(folder, "java", "java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", jars + File.pathSeparator + folder, DocsExample.CLASS);

        assertEquals("what the example printed", "dlna's answer to command 1", out.strip());
    }

    /** Runs a JDK tool ({@code java}, {@code javac}) in {@code folder}; its output, once it exited 0. */
    private static String run(Path folder, String label, String tool, String... arguments) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", tool).toString());
        // the output is the tool's alone: no JVM warning of a /tmp/hsperfdata file held by a JVM
        // of another pid namespace (a build in a container)
        command.add(tool.equals("java") ? "-XX:-UsePerfData" : "-J-XX:-UsePerfData");
        command.addAll(Arrays.asList(arguments));
        Path output = folder.resolve(label + ".out");
        Process process = new ProcessBuilder(command).directory(folder.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!process.waitFor(2 * Await.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            fail(label + " did not exit; its output:\n" + Files.readString(output));
        }
        String out = Files.readString(output);
        assertEquals(label + "'s exit code; output:\n" + out, 0, process.exitValue());
        return out;
    }
}
