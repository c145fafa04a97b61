package io.msf.itests.agent;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.msf.client.api.AgentException;
import io.msf.client.api.ConnectedClient;
import io.msf.protocol.api.ErrorCode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** The agent's Gogo commands show its peers, topics and counters, and send requests through it. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AgentCommandsIT extends AgentTestSupport {

    @Inject
    private CommandProcessor processor;

    @Test
    public void peersListsHandlersAndSocketPeersWithTheirKind() throws Exception {
        offer("itest.cmd.handler", 4601, replying(""));
        connect(overSocketFile().id(4602).name("itest.cmd.remote"));
        String out = run("agent:peers");
        assertTrue(out, lineWith(out, "itest.cmd.handler").matches("\\s*4601\\s+itest\\.cmd\\.handler\\s+HANDLER\\b.*"));
        assertTrue(out, lineWith(out, "itest.cmd.remote").matches("\\s*4602\\s+itest\\.cmd\\.remote\\s+UNIX\\b.*"));
    }

    @Test
    public void sendPrintsTheReplyOfAHandlerAndAFailureAsItsCode() throws Exception {
        offer("itest.cmd.echo", 4603, replying("echo: "));
        String byName = run("agent:send itest.cmd.echo 7 'hello there'");
        assertTrue(byName, byName.startsWith("reply from 4603 to command 7, "));
        assertTrue(byName, byName.contains("echo: hello there"));
        String byId = run("agent:send 4603 7 x");
        assertTrue(byId, byId.contains("echo: x"));

        try {
            run("agent:send itest.cmd.nobody 7 x");
            throw new AssertionError("agent:send to nobody succeeded");
        } catch (AgentException e) {
            assertEquals(e.getMessage(), ErrorCode.PEER_OFFLINE, e.code());
        }
    }

    @Test
    public void topicsAndStatsShowSubscriptionsAndCounters() throws Exception {
        ConnectedClient subscriber = connect(overTcp().name("itest.cmd.subscriber"));
        subscriber.subscribe("itest.cmd.>", message -> { });
        String topics = run("agent:topics");
        assertTrue(topics, lineWith(topics, "itest.cmd.>").contains("itest.cmd.subscriber"));

        String stats = run("agent:stats");
        assertTrue(stats, lineWith(stats, "itest.cmd.subscriber").contains("TCP"));
        assertTrue(stats, stats.contains("routed ") && stats.contains("refused "));
    }

    /** Runs a command line; returns what it printed and its result. */
    private String run(String commandLine) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), print, print);
        try {
            Object result = session.execute(commandLine);
            return out.toString(StandardCharsets.UTF_8) + (result == null ? "" : result);
        } finally {
            session.close();
        }
    }

    private static String lineWith(String out, String text) {
        return out.lines().filter(line -> line.contains(text)).findFirst()
                .orElseThrow(() -> new AssertionError("no line with '" + text + "' in:\n" + out));
    }
}
