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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.BlockingQueue;
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
 * calls it back while answering.
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

        Path output = dataDir().resolveSibling("external-client.out");
        Process process = new ProcessBuilder(javaCommand(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Djava.io.tmpdir=" + dataDir().getParent(), "-cp", externalClasspath(), ExternalClient.class.getName(),
                dataDir().toString(), TARGET, "hello from outside")
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!process.waitFor(2 * Await.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            fail("the external client did not exit; its output:\n" + Files.readString(output));
        }
        String out = Files.readString(output);

        assertEquals("exit code; output:\n" + out, 0, process.exitValue());
        assertTrue("the reply printed; output:\n" + out, out.lines().anyMatch(
                "reply: container got 'hello from outside' and heard 'itest.external answers call-back'"::equals));
        assertEquals("the caller as the agent saw it", PeerKind.UNIX + " " + ExternalClient.NAME, next(callers));
        Await.until(ExternalClient.NAME + " gone once its process ended", () -> peer(ExternalClient.NAME).isEmpty());
    }

    private static String javaCommand() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }
}
